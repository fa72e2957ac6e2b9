/**
 * A watchdog for local runs. Locust processes lead their own process groups (so a terminal's
 * Ctrl-C reaches only the CLI, which stops them in order), which also means nothing kills them
 * when the CLI dies without running its handlers: SIGKILL, the OOM killer, a crash in native
 * code. The guard is a tiny separate Node process, in its own session, holding the read end of a
 * pipe from the CLI. The kernel closes the write end however the CLI dies; on that end-of-file
 * the guard SIGTERMs the groups it was told about, SIGKILLs them after a grace period and removes
 * the paths it was told about. A released guard exits without touching anything.
 */
import { spawn } from 'node:child_process';

/** Handle of a running guard. Messages are best-effort: a dead guard cannot be helped. */
export interface OrphanGuard {
  /** Process groups (by leader pid) to kill if this process dies before release(). */
  watch(processGroups: readonly number[]): void;
  /** A group whose processes have all ended: its id may be reused, so it must not be killed. */
  forget(processGroup: number): void;
  /** A path (file or directory) to remove after the kill. */
  removeOnAbort(path: string): void;
  /** The run ended cleanly: the guard exits without killing or removing anything. */
  release(): Promise<void>;
}

/** Options of startOrphanGuard. */
export interface OrphanGuardOptions {
  /** Time between SIGTERM and SIGKILL after an abort; default 3000 ms. */
  readonly graceMs?: number;
  /** Appears in the guard's command line, so it can be found (e.g. the run's temp directory). */
  readonly label?: string;
}

// Runs as `node -e`, so it must be plain CommonJS with no imports of ours. Terminal signals are
// ignored: the guard is only ever ended by the end of its input.
const guardProgram = `
const fs = require('node:fs');
const graceMs = Number(process.argv[1]);
const groups = new Set();
const paths = new Set();
let released = false;
let buffer = '';
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM', 'SIGQUIT']) process.on(signal, () => {});
const signalAll = (signal) => {
  for (const group of groups) {
    try { process.kill(-group, signal); } catch { groups.delete(group); }
  }
};
const abort = () => {
  if (released) process.exit(0);
  signalAll('SIGTERM');
  const deadline = Date.now() + graceMs;
  const tick = () => {
    signalAll(0);
    if (groups.size > 0 && Date.now() < deadline) { setTimeout(tick, 50); return; }
    signalAll('SIGKILL');
    for (const path of paths) {
      try { fs.rmSync(path, { recursive: true, force: true }); } catch {}
    }
    process.exit(0);
  };
  tick();
};
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let end = buffer.indexOf('\\n'); end >= 0; end = buffer.indexOf('\\n')) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    let message;
    try { message = JSON.parse(line); } catch { continue; }
    if (typeof message.watch === 'number') groups.add(message.watch);
    if (typeof message.forget === 'number') groups.delete(message.forget);
    if (typeof message.remove === 'string') paths.add(message.remove);
    if (message.release === true) released = true;
  }
});
process.stdin.on('end', abort);
process.stdin.on('error', abort);
`;

/**
 * Starts a guard. It is unref'd: it never keeps this process alive, and it exits by itself when
 * this process exits (released: quietly; otherwise after cleaning up).
 */
export function startOrphanGuard(options: OrphanGuardOptions = {}): OrphanGuard {
  const env = { ...process.env };
  // A NODE_OPTIONS meant for the CLI (say --import tsx) has no business in the guard.
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    [
      '-e',
      guardProgram,
      String(options.graceMs ?? 3000),
      'locustctl-orphan-guard',
      options.label ?? '',
    ],
    // A session of its own: a terminal's Ctrl-C or hang-up, or a kill of the CLI's process group,
    // must not take the guard down with the CLI.
    { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env },
  );
  child.unref();
  const input = child.stdin;
  // A guard that died (or was killed) must not crash the run with EPIPE.
  input.on('error', () => undefined);
  const send = (message: Record<string, unknown>) => {
    if (input.writable) input.write(`${JSON.stringify(message)}\n`);
  };
  let releasing: Promise<void> | undefined;
  return {
    watch: (processGroups) => {
      for (const group of processGroups) send({ watch: group });
    },
    forget: (processGroup) => {
      send({ forget: processGroup });
    },
    removeOnAbort: (path) => {
      send({ remove: path });
    },
    release: () => {
      releasing ??= new Promise<void>((resolve) => {
        if (!input.writable) {
          resolve();
          return;
        }
        input.end(`${JSON.stringify({ release: true })}\n`, () => {
          resolve();
        });
      });
      return releasing;
    },
  };
}
