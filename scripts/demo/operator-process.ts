/**
 * Building and running the compiled operator (dist/main.js) as a child process, shared by
 * `npm run operator` and `npm run demo`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { repoRoot } from '../control-plane/versions.ts';

/** The compiled operator entry point. */
export const operatorMain = join(repoRoot, 'dist', 'main.js');

/**
 * Runs `npm run build` (tsc, a few seconds), its output on stderr so a caller's stdout stays
 * clean. Always rebuilding is simpler and more reliable than comparing dist/ and src/ timestamps.
 */
export async function buildOperator(): Promise<void> {
  const child = spawn('npm', ['run', '--silent', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once('error', (error) => {
        reject(new Error(`npm run build: ${error.message}`));
      });
      child.once('exit', (exitCode, exitSignal) => {
        resolve([exitCode, exitSignal]);
      });
    },
  );
  if (code !== 0) {
    throw new Error(`npm run build failed (${describeExit({ code, signal })})`);
  }
}

/** How the operator child ended: its exit code, or the signal that killed it. */
export interface OperatorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running operator child and a promise of its end. */
export interface OperatorProcess {
  child: ChildProcess;
  exited: Promise<OperatorExit>;
}

export interface StartOptions {
  args: string[];
  /** Where stdout and stderr go; inherited when absent. */
  logFile?: string;
  /** Written as "pid\nbinary\n" (processes.ts's format) so a later run can stop a leftover. */
  pidFile?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts `node dist/main.js ...args` in its own process group: a terminal's Ctrl-C then reaches
 * only the parent, which forwards one signal (a second SIGINT would kill the operator outright)
 * and can order its shutdown after other clean-up.
 */
export function startOperator(options: StartOptions): OperatorProcess {
  let output: number | 'inherit' = 'inherit';
  if (options.logFile !== undefined) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    output = openSync(options.logFile, 'w');
  }
  const child = spawn(process.execPath, [operatorMain, ...options.args], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', output, output],
    env: options.env ?? process.env,
  });
  if (typeof output === 'number') closeSync(output);
  const exited = new Promise<OperatorExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  if (options.pidFile !== undefined && child.pid !== undefined) {
    writeFileSync(options.pidFile, `${String(child.pid)}\n${process.execPath}\n`);
  }
  return { child, exited };
}

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL. Resolves with how it ended. */
export async function stopOperator(
  operator: OperatorProcess,
  graceMs: number,
): Promise<OperatorExit & { killed: boolean }> {
  const { child, exited } = operator;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, graceMs);
  });
  const first = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...first, killed: false };
  child.kill('SIGKILL');
  return { ...(await exited), killed: true };
}

/** "exit code 0" or "signal SIGTERM". */
export function describeExit(exit: OperatorExit): string {
  return exit.code === null ? `signal ${String(exit.signal)}` : `exit code ${String(exit.code)}`;
}

/**
 * Resolves once the operator's JSON log (pino, one object a line) has a line whose `msg` is
 * `message`; rejects, quoting the log's tail, if the operator exits or the deadline passes first.
 */
export async function waitForLogMessage(
  operator: OperatorProcess,
  logFile: string,
  message: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const logged = (): boolean =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .some((line) => {
        try {
          return (JSON.parse(line) as { msg?: unknown }).msg === message;
        } catch {
          return false;
        }
      });
  const tail = (): string =>
    readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  while (!logged()) {
    const { exitCode, signalCode } = operator.child;
    if (exitCode !== null || signalCode !== null) {
      const exit = describeExit({ code: exitCode, signal: signalCode });
      throw new Error(`the operator exited (${exit}) before logging "${message}":\n${tail()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the operator did not log "${message}" within ${String(timeoutMs / 1000)}s:\n${tail()}`,
      );
    }
    await sleep(200, undefined, { signal });
  }
}
