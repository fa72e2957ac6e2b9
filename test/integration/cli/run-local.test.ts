/**
 * `locustctl run --local` with real Locust against a loopback target: the verdict is the master's
 * exit code, the summary's numbers are the target's, and no Locust process (nor the run's temp
 * directory) outlives the CLI, however it ends: by itself, Ctrl-C, SIGTERM or SIGKILL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import {
  locustBinary,
  startTargetServer,
  visitorLocustfile,
  type TargetServer,
} from '../../support/locust.ts';
import { processesMentioning, runCli, startCli, type CliProcess } from './cli-process.ts';

const users = 4;

const locustfile = visitorLocustfile;

/** A LocustTest (and, unless `withConfigMap` is false, its ConfigMap) as one YAML file. */
function manifest(targetUrl: string, runTime: string, withConfigMap = true): string {
  const configMap = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: local-scripts',
    'data:',
    '  locustfile.py: |',
    ...locustfile.map((line) => (line === '' ? '' : `    ${line}`)),
    '---',
  ];
  return [
    ...(withConfigMap ? configMap : []),
    'apiVersion: locust.io/v2',
    'kind: LocustTest',
    'metadata:',
    '  name: local',
    'spec:',
    '  image: locustio/locust:2.47.0',
    '  master:',
    `    command: --locustfile /lotest/src/locustfile.py --host ${targetUrl}`,
    '    autoquit: {enabled: true, timeout: 5}',
    `    extraArgs: ["--run-time", "${runTime}", "--users", "${String(users)}", "--spawn-rate", "${String(users)}"]`,
    '  worker:',
    '    command: --locustfile /lotest/src/locustfile.py',
    '    replicas: 2',
    '  testFiles:',
    '    configMapRef: local-scripts',
    '',
  ].join('\n');
}

/** A directory unique to the test: the CLI's TMPDIR, so every path of its run mentions it. */
function testDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-local-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function target(t: TestContext, status = 200): Promise<TargetServer> {
  const server = await startTargetServer(() => status);
  t.after(() => server.close());
  return server;
}

/** Waits until nothing started by the run (Locust, the orphan guard) is left, nor its temp dir. */
async function assertNothingLeft(dir: string, timeoutMs = 15_000): Promise<void> {
  await eventually(
    () => {
      const left = processesMentioning(dir);
      if (left.length > 0) throw new Error(`still running:\n${left.join('\n')}`);
      const runs = readdirSync(dir).filter((name) => name.startsWith('locustctl-run-'));
      if (runs.length > 0) throw new Error(`temp directories left: ${runs.join(', ')}`);
      return true;
    },
    { description: `no process or temp directory of the run under ${dir}`, timeoutMs },
  );
}

function summaryOf(cli: CliProcess): Record<string, unknown> {
  const summary = cli.objects().find((object) => object.type === 'summary');
  assert.ok(summary !== undefined, `no summary in\n${cli.stdout()}\n${cli.stderr()}`);
  return summary;
}

test(
  'run --local: two workers connect, the summary counts what the target saw, exit code 0',
  { timeout: 120_000 },
  async (t) => {
    const dir = testDir(t);
    const server = await target(t);
    const file = join(dir, 'test.yaml');
    writeFileSync(file, manifest(server.url, '5s'));
    const cli = startCli(t, ['run', file, '--local', '-o', 'json', '--locust', locustBinary], {
      TMPDIR: dir,
    });
    const code = await cli.exited;
    assert.equal(code, 0, `${cli.stdout()}\n${cli.stderr()}`);
    assert.equal(cli.stderr(), '');

    const objects = cli.objects();
    assert.deepEqual(objects[0]?.type, 'start');
    assert.ok(
      objects.some(
        (o) =>
          o.type === 'progress' &&
          (o.workers as { connected: number } | undefined)?.connected === 2,
      ),
      'a progress object shows both workers connected',
    );
    const summary = summaryOf(cli);
    assert.equal(summary.outcome, 'passed');
    assert.equal(summary.state, 'stopped', 'the last statistics were read after the load stopped');
    const aggregated = summary.aggregated as { requests: number; failures: number };
    assert.equal(aggregated.failures, 0);
    assert.ok(aggregated.requests > 0);
    // As in test/integration/locust/rendered-commands.test.ts: a request in flight when a user
    // stops reaches the server but is never recorded, at most one per user.
    const seen = server.total();
    t.diagnostic(`server saw ${String(seen)}, the summary says ${String(aggregated.requests)}`);
    assert.ok(
      seen >= aggregated.requests && seen - aggregated.requests <= users,
      `server saw ${String(seen)}, the summary says ${String(aggregated.requests)}`,
    );
    await assertNothingLeft(dir);
  },
);

test(
  'run --local against a target answering 500 fails with the master exit code 1 and says why',
  { timeout: 120_000 },
  async (t) => {
    const dir = testDir(t);
    const server = await target(t, 500);
    const files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'locustfile.py'), locustfile.join('\n'));
    const file = join(dir, 'test.yaml');
    // The ConfigMap comes from --files this time.
    writeFileSync(file, manifest(server.url, '3s', false));
    const run = await runCli(t, ['run', file, '--local', '--files', files], { TMPDIR: dir });
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    const lines = run.stdout.split('\n');
    assert.match(
      run.stdout,
      /^Running local locally: 1 master and 2 workers with .*\/locust; web UI http:\/\/127\.0\.0\.1:\d+$/m,
    );
    assert.ok(
      lines.some((l) => /^\d\d:\d\d Running \(running\) {2}workers 2\/2 {2}users 4/.test(l)),
    );
    assert.match(
      run.stdout,
      /^\d\d:\d\d Failed \(master exited with code 1\) {2}requests (\d+) {2}failures \1 \(100\.0%\)$/m,
    );
    assert.match(run.stdout, /^FAILED: the master exited with code 1 after \d+s$/m);
    assert.match(run.stdout, /^TYPE {2}NAME {8}REQUESTS/m);
    assert.match(run.stdout, /^Errors:\n {2}\d+× GET \/: HTTPError\('500 Server Error/m);
    assert.ok(server.total() > 0);
    await assertNothingLeft(dir);
  },
);

/** Starts a long run and waits until the load is on with both workers. */
async function startLongRun(t: TestContext, dir: string): Promise<CliProcess> {
  const server = await target(t);
  const file = join(dir, 'test.yaml');
  writeFileSync(file, manifest(server.url, '120s'));
  const cli = startCli(t, ['run', file, '--local', '-o', 'json'], { TMPDIR: dir });
  await eventually(
    () =>
      cli
        .objects()
        .some(
          (o) =>
            o.type === 'progress' &&
            o.phase === 'Running' &&
            (o.workers as { connected: number } | undefined)?.connected === 2 &&
            (o.requests as number) > 0,
        ) || undefined,
    { description: 'the load to run with both workers, requests counted', timeoutMs: 60_000 },
  );
  assert.ok(processesMentioning(dir).length >= 3, 'master, workers and the guard run');
  return cli;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(
    `${signal} stops the run cleanly: master first, a summary, exit code ${String(code)}, nothing left`,
    { timeout: 120_000 },
    async (t) => {
      const dir = testDir(t);
      const cli = await startLongRun(t, dir);
      cli.child.kill(signal);
      assert.equal(await cli.exited, code, cli.stderr());
      const summary = summaryOf(cli);
      assert.equal(summary.outcome, 'interrupted');
      assert.ok((summary.aggregated as { requests: number }).requests > 0);
      assert.ok(
        cli
          .objects()
          .some((o) => o.type === 'notice' && o.message === `${signal} received: stopping`),
      );
      await assertNothingLeft(dir);
    },
  );
}

test(
  'SIGKILL of the CLI: its orphan guard stops Locust and removes the temp directory',
  { timeout: 120_000 },
  async (t) => {
    const dir = testDir(t);
    const cli = await startLongRun(t, dir);
    cli.child.kill('SIGKILL');
    assert.equal(await cli.exited, 'SIGKILL');
    await assertNothingLeft(dir);
  },
);
