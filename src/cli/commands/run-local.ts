/**
 * `locustctl run FILE --local`: runs the test's master and workers on this machine with real
 * Locust, exactly as the operator renders their command lines, and exits with the master's exit
 * code (the verdict a cluster judges the master Job by).
 */
import { rm } from 'node:fs/promises';
import { exitCodes, type CliIo } from '../io.ts';
import { createLiveView, viewMode } from '../live-view.ts';
import { MissingSourceError, prepareLocalRun, type PreparedRun } from '../local-run-setup.ts';
import { runLocally } from '../local-run-session.ts';
import { findLocust } from '../locust-executable.ts';
import type { SecretObject } from '../manifest-objects.ts';
import { formatRunSummary, runSummaryJson } from '../run-summary.ts';
import { parseSecretFileArgument, parseSecretText } from '../secret-files.ts';
import { loadSingleTest } from '../single-test.ts';

/** The command-line options of `run`. */
export interface RunLocalOptions {
  readonly local?: boolean;
  readonly files?: string;
  readonly libFiles?: string;
  readonly secretFile: readonly string[];
  readonly workers?: number;
  readonly locust?: string;
  readonly output: 'text' | 'json';
  readonly logs?: boolean;
}

async function readSecrets(
  given: readonly SecretObject[],
  args: readonly string[],
  io: CliIo,
): Promise<Map<string, SecretObject> | undefined> {
  const secrets = new Map(given.map((secret) => [secret.name, secret]));
  for (const arg of args) {
    const parsed = parseSecretFileArgument(arg);
    if (parsed === undefined) {
      io.stderr(`locustctl: --secret-file ${arg}: expected NAME=PATH\n`);
      return undefined;
    }
    let text: string;
    try {
      text = await io.readText(parsed.path);
    } catch (error) {
      io.stderr(
        `locustctl: cannot read ${parsed.path}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return undefined;
    }
    const { secret, problems } = parseSecretText(parsed.name, text);
    if (problems.length > 0) {
      for (const problem of problems) io.stderr(`${parsed.path}: ${problem}\n`);
      return undefined;
    }
    secrets.set(secret.name, secret);
  }
  return secrets;
}

// The master's own words when it failed in a way the statistics cannot explain.
function masterTail(prepared: PreparedRun, output: string): string[] {
  const lines = output.trimEnd().split('\n').slice(-15);
  return [
    `locustctl: the master's last output (${prepared.plan.master.command}):`,
    ...lines.map((l) => `  ${l}`),
  ];
}

/** Runs the command; returns the process exit code. */
export async function runLocalCommand(
  file: string,
  options: RunLocalOptions,
  io: CliIo,
): Promise<number> {
  if (options.local !== true) {
    io.stderr('locustctl: run needs --local (to run a test in a cluster, use apply --wait)\n');
    return exitCodes.usage;
  }
  const loaded = await loadSingleTest(file, io);
  if (typeof loaded === 'number') return loaded;
  const secrets = await readSecrets(loaded.objects.secrets, options.secretFile, io);
  if (secrets === undefined) return exitCodes.usage;
  const locust = await findLocust(options.locust, io.env.PATH);
  if ('missing' in locust) {
    io.stderr(
      `locustctl: Locust not found (looked for ${locust.missing.join(', ')}); install it or pass --locust PATH\n`,
    );
    return exitCodes.usage;
  }
  let tempDir: string | undefined;
  try {
    let prepared: PreparedRun;
    try {
      prepared = await prepareLocalRun(
        loaded.test,
        {
          configMaps: loaded.objects.configMaps,
          secrets,
          filesDir: options.files,
          libFilesDir: options.libFiles,
        },
        { locust: locust.path, workers: options.workers, onTempDir: (dir) => (tempDir = dir) },
      );
    } catch (error) {
      if (!(error instanceof MissingSourceError)) throw error;
      io.stderr(`locustctl: ${error.message}\n`);
      return exitCodes.usage;
    }
    for (const warning of prepared.warnings) io.stderr(`locustctl: warning: ${warning}\n`);
    const mode = viewMode(options.output, io);
    const view = createLiveView(mode, io, { now: Date.now });
    const workers = prepared.plan.workers.length;
    view.message(
      `Running ${loaded.test.metadata.name ?? ''} locally: 1 master and ${String(workers)} worker${workers === 1 ? '' : 's'} with ${locust.path}; web UI http://127.0.0.1:${String(prepared.webPort)}`,
      {
        type: 'start',
        name: loaded.test.metadata.name,
        workers,
        locust: locust.path,
        webPort: prepared.webPort,
      },
    );
    const { summary, masterOutput } = await runLocally(prepared, {
      view,
      logs: options.logs === true,
      now: Date.now,
    });
    if (mode === 'json') io.stdout(`${JSON.stringify(runSummaryJson(summary))}\n`);
    else io.stdout(`${formatRunSummary(summary).join('\n')}\n`);
    const unexplained = summary.stats === undefined || ![0, 1].includes(summary.master?.code ?? -1);
    if (summary.outcome === 'failed' && unexplained && masterOutput.trim() !== '') {
      io.stderr(`${masterTail(prepared, masterOutput).join('\n')}\n`);
    }
    return summary.exitCode;
  } finally {
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
}
