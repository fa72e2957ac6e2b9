/**
 * Runs local process specs as child processes and guarantees they can all be stopped: each
 * child leads its own process group, so a signal reaches anything it forked too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { LocalProcessSpec } from './local-plan.ts';

/** How a process ended: an exit code, or the signal that killed it, or why it never started. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

/** A started process; output is stdout and stderr interleaved as they arrived. */
export interface RunningProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** Everything written so far (the last `maxOutputChars` characters). */
  output(): string;
  /** How it ended, once it has and its output is complete; undefined until then. */
  exit(): ProcessExit | undefined;
  /** Settles when the process has ended and its output is complete; never rejects. */
  readonly exited: Promise<ProcessExit>;
  /** Sends `signal` to the process's group (it and what it forked); a no-op once it has ended. */
  signal(signal: NodeJS.Signals): void;
}

/** Processes started together and stopped together. */
export interface ProcessGroup {
  readonly processes: readonly RunningProcess[];
  /**
   * Stops every process still running: SIGTERM to its process group, then SIGKILL to the group
   * after `graceMs` (default 5000). Also SIGKILLs what is left of the groups of processes that
   * ended by themselves, so no forked child outlives the run. Resolves with every process's exit,
   * in start order. Safe to call more than once.
   */
  stop(graceMs?: number): Promise<ProcessExit[]>;
}

/** Options of startProcesses. */
export interface StartOptions {
  /**
   * The environment each spec's env is layered over. Default: this process's environment without
   * LOCUST_* variables, which Locust would read as option defaults, so a developer's shell could
   * silently change the command line under test (a pod does not inherit that shell either).
   */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Output kept per process, from the end; default 4 MiB of characters. */
  readonly maxOutputChars?: number;
  /** Called with every chunk a process writes (stdout and stderr), as it arrives. */
  readonly onOutput?: (name: string, text: string) => void;
}

function defaultBaseEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('LOCUST_')),
  );
}

// Signals a whole process group; a group that is already gone is not an error.
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: every member has exited.
  }
}

function startOne(
  spec: LocalProcessSpec,
  options: StartOptions,
): { child: ChildProcess; running: RunningProcess } {
  const maxOutput = options.maxOutputChars ?? 4 * 1024 * 1024;
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...(options.baseEnv ?? defaultBaseEnv()), ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() can signal the child and everything it forked at once.
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => {
    const text = chunk.toString();
    options.onOutput?.(spec.name, text);
    output += text;
    if (output.length > maxOutput) output = output.slice(output.length - maxOutput);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let ended: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    const settle = (exit: ProcessExit) => {
      ended ??= exit;
      resolve(ended);
    };
    // 'close', not 'exit': only then has all output been read (the summary comes last).
    child.once('close', (code, signal) => {
      settle({ code, signal });
    });
    child.once('error', (error) => {
      // A process that could not be spawned may never report an exit status.
      if (child.pid === undefined) settle({ code: null, signal: null, error });
    });
  });
  return {
    child,
    running: {
      name: spec.name,
      pid: child.pid,
      output: () => output,
      exit: () => ended,
      exited,
      signal: (signal) => {
        if (ended === undefined) signalGroup(child, signal);
      },
    },
  };
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Starts every spec, in order, as a child process with its own process group, output captured.
 * Until stop() is called, an exit of this Node process SIGKILLs the groups, so an aborted test
 * run does not leave Locust behind (a SIGKILL of Node itself cannot be caught).
 */
export function startProcesses(
  specs: readonly LocalProcessSpec[],
  options: StartOptions = {},
): ProcessGroup {
  const started = specs.map((spec) => startOne(spec, options));
  const killAll = () => {
    for (const { child } of started) signalGroup(child, 'SIGKILL');
  };
  process.once('exit', killAll);
  let stopping: Promise<ProcessExit[]> | undefined;
  const stop = (graceMs = 5000): Promise<ProcessExit[]> => {
    stopping ??= (async () => {
      const running = started.filter(({ running: r }) => r.exit() === undefined);
      for (const { child } of running) signalGroup(child, 'SIGTERM');
      await withDeadline(Promise.all(running.map(({ running: r }) => r.exited)), graceMs);
      killAll();
      process.removeListener('exit', killAll);
      return Promise.all(started.map(({ running: r }) => r.exited));
    })();
    return stopping;
  };
  return { processes: started.map(({ running }) => running), stop };
}
