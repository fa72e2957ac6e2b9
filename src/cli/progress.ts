/**
 * One moment of a running test, as both `run --local` (from Locust's statistics) and
 * `apply --wait` (from the LocustTest's status) see it, and its renderings: a line for people, an
 * object for machines, and a key that says whether it changed enough to be printed again. Pure.
 */
import { formatClock } from './duration.ts';

/** What the live view shows; absent fields are not known from the source. */
export interface ProgressSnapshot {
  readonly elapsedMs: number;
  /** The test's phase: Pending, Running, Succeeded, Failed (or Stopping, locally). */
  readonly phase: string;
  /** Locust's runner state (local) or the condition that explains the phase (cluster). */
  readonly detail?: string;
  readonly workers?: { readonly connected: number; readonly expected: number | undefined };
  readonly users?: number;
  /** Requests per second right now. */
  readonly rps?: number;
  readonly requests?: number;
  readonly failures?: number;
}

function workerText(workers: NonNullable<ProgressSnapshot['workers']>): string {
  const expected = workers.expected === undefined ? '' : `/${String(workers.expected)}`;
  return `workers ${String(workers.connected)}${expected}`;
}

/**
 * `00:12 Running (running)  workers 2/2  users 4  rps 37.2  requests 412  failures 0 (0.0%)`:
 * only the fields the snapshot has.
 */
export function formatProgress(snapshot: ProgressSnapshot): string {
  const head = `${formatClock(snapshot.elapsedMs)} ${snapshot.phase}${
    snapshot.detail === undefined ? '' : ` (${snapshot.detail})`
  }`;
  const parts = [head];
  if (snapshot.workers !== undefined) parts.push(workerText(snapshot.workers));
  if (snapshot.users !== undefined) parts.push(`users ${String(snapshot.users)}`);
  if (snapshot.rps !== undefined) parts.push(`rps ${snapshot.rps.toFixed(1)}`);
  if (snapshot.requests !== undefined) parts.push(`requests ${String(snapshot.requests)}`);
  if (snapshot.failures !== undefined) {
    const ratio =
      snapshot.requests === undefined || snapshot.requests === 0
        ? 0
        : (100 * snapshot.failures) / snapshot.requests;
    parts.push(`failures ${String(snapshot.failures)} (${ratio.toFixed(1)}%)`);
  }
  return parts.join('  ');
}

/** The snapshot as a JSON-ready object (`type: "progress"`), for `--output json`. */
export function progressJson(snapshot: ProgressSnapshot): Record<string, unknown> {
  return {
    type: 'progress',
    elapsedSeconds: Math.round(snapshot.elapsedMs / 100) / 10,
    phase: snapshot.phase,
    ...(snapshot.detail === undefined ? {} : { detail: snapshot.detail }),
    ...(snapshot.workers === undefined
      ? {}
      : {
          workers: {
            connected: snapshot.workers.connected,
            expected: snapshot.workers.expected ?? null,
          },
        }),
    ...(snapshot.users === undefined ? {} : { users: snapshot.users }),
    ...(snapshot.rps === undefined ? {} : { rps: snapshot.rps }),
    ...(snapshot.requests === undefined ? {} : { requests: snapshot.requests }),
    ...(snapshot.failures === undefined ? {} : { failures: snapshot.failures }),
  };
}

/**
 * What makes a snapshot worth a new line in a log: the phase, the detail, the workers, the users,
 * and whether there are failures at all. Counters that merely grow are not in it, or every
 * snapshot would be a line.
 */
export function progressKey(snapshot: ProgressSnapshot): string {
  return JSON.stringify([
    snapshot.phase,
    snapshot.detail,
    snapshot.workers?.connected,
    snapshot.workers?.expected,
    snapshot.users,
    (snapshot.failures ?? 0) > 0,
  ]);
}
