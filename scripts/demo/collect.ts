/**
 * Deleting the test and watching the garbage collector remove what it owned: the master Service,
 * both Jobs and, through the Jobs, their Pods. The operator deletes nothing itself; owner
 * references do the work, which is what the demo shows.
 */
import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../control-plane/versions.ts';
import type { Kubectl } from './kubectl.ts';
import { detail, seconds, step } from './output.ts';

export interface ChildrenOptions {
  namespace: string;
  /** Objects as kubectl names them, e.g. "service/demo-master". */
  names: string[];
  podSelector: string;
}

/** The named objects and the selected pods that exist now, as kubectl's "kind/name" lines. */
export async function listChildren(kubectl: Kubectl, options: ChildrenOptions): Promise<string[]> {
  const ns = ['-n', options.namespace];
  const named = await kubectl(['get', ...options.names, ...ns, '--ignore-not-found', '-o', 'name']);
  const pods = await kubectl(['get', 'pods', ...ns, '-l', options.podSelector, '-o', 'name']);
  return `${named}\n${pods}`.split('\n').filter((line) => line.trim() !== '');
}

interface GoneOptions extends ChildrenOptions {
  intervalMs: number;
  deadline: number;
  signal: AbortSignal;
  onGone: (object: string, at: number) => void;
}

/**
 * Waits until none of the children is left, reporting each one as it disappears (including any
 * that appeared after `present` was listed). False, with what is left, on timeout.
 */
async function waitUntilGone(
  kubectl: Kubectl,
  present: string[],
  options: GoneOptions,
): Promise<{ ok: boolean; remaining: string[] }> {
  let previous = present;
  for (;;) {
    const now = await listChildren(kubectl, options);
    const at = Date.now();
    for (const object of previous) {
      if (!now.includes(object)) options.onGone(object, at);
    }
    previous = now;
    if (now.length === 0) return { ok: true, remaining: [] };
    if (Date.now() + options.intervalMs > options.deadline) return { ok: false, remaining: now };
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}

export interface CollectOptions extends ChildrenOptions {
  intervalMs: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** `kubectl delete -f manifest`, then waits for the children to go; throws if some stay. */
export async function deleteAndAwaitCollection(
  kubectl: Kubectl,
  manifest: string,
  options: CollectOptions,
): Promise<void> {
  const present = await listChildren(kubectl, options);
  step(`kubectl delete -f ${relative(repoRoot, manifest)}`);
  const started = Date.now();
  detail(await kubectl(['delete', '-f', manifest, '--wait=true']));
  const deleted = Date.now();
  detail(`deleted in ${seconds(deleted - started)}`);
  step(`the garbage collector removes the ${String(present.length)} objects the test owned`);
  // The garbage collector resolves a child's owner kind through a REST mapping it refreshes
  // every 30 s; until it knows a new CRD it requeues the children with exponential backoff
  // (5 ms doubling), so on a fresh cluster removal waits for the first retry after a refresh.
  const slow = setTimeout(() => {
    detail('(waiting: on a fresh cluster the garbage collector learns of a new CRD only at');
    detail(' its 30 s discovery sync, then acts at its next retry; later it is instant)');
  }, 3000);
  try {
    const gone = await waitUntilGone(kubectl, present, {
      ...options,
      deadline: Date.now() + options.timeoutMs,
      onGone: (object, at) => {
        detail(`+${seconds(at - deleted).padEnd(6)}${object} gone`);
      },
    });
    if (!gone.ok) {
      throw new Error(
        `still present after ${seconds(options.timeoutMs)}: ${gone.remaining.join(', ')}`,
      );
    }
  } finally {
    clearTimeout(slow);
  }
}
