/**
 * A spawned operator process seen from a test: its JSON log lines as they arrive, its exit, a
 * stop that signals it, and a SIGKILL (plus its stderr as a diagnostic) when the test ends.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { TestContext } from 'node:test';

export interface OperatorChild {
  /** Parsed JSON log lines so far (a line that is not JSON becomes `{ msg: line }`). */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function superviseOperator(
  t: TestContext,
  child: ChildProcessByStdio<null, Readable, Readable>,
): OperatorChild {
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  t.after(async () => {
    await stop('SIGKILL');
    if (stderr.trim() !== '') t.diagnostic(`operator stderr: ${stderr.trim().slice(0, 2000)}`);
  });
  return { logs, exited, stop };
}
