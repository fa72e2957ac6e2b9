/**
 * The BUILT operator (node dist/main.js) as a child process of the benchmark: its JSON log lines
 * parsed as they arrive (with the operator's own timestamps) and copied to a file, its pid in a
 * pid file so a later run can stop a leftover (scripts/control-plane/processes.ts's format).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../../scripts/control-plane/versions.ts';

/** The compiled entry point: the benchmark measures what ships, not tsx's on-the-fly compile. */
export const operatorMain = join(repoRoot, 'dist', 'main.js');

/** `npm run build` (tsc), its output on stderr so the table on stdout stays clean. */
export function buildOperator(): void {
  const result = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
  if (result.error) throw new Error(`npm run build: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`npm run build failed (exit ${String(result.status ?? result.signal)})`);
  }
}

export interface LogLine {
  msg: string;
  /** The operator's timestamp (pino's ISO `time`), epoch ms; when absent, when we read it. */
  time: number;
  fields: Record<string, unknown>;
}

export interface OperatorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** Names the pid and log files, e.g. `operator`, `replica-a`. */
  name: string;
  /** Directory of the pid and log files. */
  stateDir: string;
  /** Node.js flags before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  args: string[];
}

export class OperatorProcess {
  readonly logs: LogLine[] = [];
  readonly exited: Promise<OperatorExit>;
  readonly logFile: string;
  private readonly child: ChildProcess;
  private readonly pidFile: string;

  constructor(private readonly options: StartOptions) {
    this.logFile = join(options.stateDir, `${options.name}.log`);
    this.pidFile = join(options.stateDir, `${options.name}.pid`);
    // Its own process group: a Ctrl-C in the terminal reaches only the benchmark, which then
    // stops the operator with SIGTERM, so a --cpu-prof profile is written on the way out.
    this.child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), operatorMain, ...options.args],
      {
        cwd: repoRoot,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Only --kubeconfig may choose the cluster: never a KUBECONFIG inherited from the shell.
        env: { ...process.env, KUBECONFIG: undefined },
      },
    );
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`could not start the operator (${options.name})`);
    writeFileSync(this.pidFile, `${String(pid)}\n${process.execPath}\n`);
    const file = createWriteStream(this.logFile);
    const { stdout, stderr } = this.child;
    if (stdout === null || stderr === null) throw new Error('operator output is not piped');
    stderr.pipe(file, { end: false });
    createInterface({ input: stdout }).on('line', (line) => {
      file.write(`${line}\n`);
      this.logs.push(parseLine(line));
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        rmSync(this.pidFile, { force: true });
        resolve({ code, signal });
      });
    });
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first line with this message logged at or after `since` (epoch ms), if any. */
  find(message: string, since = 0): LogLine | undefined {
    return this.logs.find((line) => line.msg === message && line.time >= since);
  }

  /** Waits for a log line; rejects (quoting the log's tail) on exit, deadline or abort. */
  async waitForLog(
    predicate: (line: LogLine) => boolean,
    description: string,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.logs.find(predicate);
      if (line) return line;
      if (!this.running) {
        throw new Error(`${this.name} exited before logging ${description}:\n${this.tail()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name} did not log ${description} within ${String(timeoutMs / 1000)}s:\n${this.tail()}`,
        );
      }
      await sleep(50, undefined, { signal });
    }
  }

  tail(lines = 10): string {
    return this.logs
      .slice(-lines)
      .map((line) => JSON.stringify({ msg: line.msg, ...line.fields }))
      .join('\n');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<OperatorExit> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseLine(line: string): LogLine {
  try {
    const fields = JSON.parse(line) as Record<string, unknown>;
    const time = typeof fields.time === 'string' ? Date.parse(fields.time) : Number.NaN;
    return {
      msg: typeof fields.msg === 'string' ? fields.msg : '',
      time: Number.isNaN(time) ? Date.now() : time,
      fields,
    };
  } catch {
    return { msg: line, time: Date.now(), fields: {} };
  }
}
