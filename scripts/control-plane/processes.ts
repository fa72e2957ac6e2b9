/**
 * Background processes of a local cluster: started detached with their output in a log file and
 * their pid in a file, so `cluster:down` from another shell can stop them and nothing is orphaned.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessSpec {
  name: string;
  binary: string;
  args: string[];
}

function pidFile(dir: string, name: string): string {
  return join(dir, `${name}.pid`);
}

/** The pid recorded for name, if that process is still alive and still runs the same binary. */
export function livePid(dir: string, name: string): number | undefined {
  const file = pidFile(dir, name);
  if (!existsSync(file)) return undefined;
  const [pidText, binary] = readFileSync(file, 'utf8').split('\n');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8');
    return binary && cmdline.startsWith(binary) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function startProcess(runDir: string, logDir: string, spec: ProcessSpec): number {
  const log = openSync(join(logDir, `${spec.name}.log`), 'a');
  const child = spawn(spec.binary, spec.args, {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.binary})`);
  child.unref();
  writeFileSync(pidFile(runDir, spec.name), `${String(child.pid)}\n${spec.binary}\n`);
  return child.pid;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** Stops the named process: SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess(runDir: string, name: string): Promise<void> {
  const pid = livePid(runDir, name);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(pid, 10_000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  rmSync(pidFile(runDir, name), { force: true });
}
