/**
 * Worker loops over a WorkQueue, with controller-runtime's handling of a reconcile's outcome.
 */
import type { WorkQueue } from './work-queue.ts';

/** What a handler may ask for: to see the key again after a delay even though it succeeded. */
export interface HandlerResult {
  /** Re-queue the key after this many milliseconds (0 or less: now), with its backoff reset. */
  requeueAfterMs?: number;
}

/**
 * Processes one key. Throwing (or rejecting) means "failed, retry with backoff"; returning
 * nothing means "done until the key is added again". The signal aborts when the workers stop.
 */
export type KeyHandler = (
  key: string,
  signal: AbortSignal,
  // void, not undefined: an async handler that sometimes returns a result and sometimes falls off
  // its end is inferred as Promise<HandlerResult | void>, and it must be accepted as written.
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
) => Promise<HandlerResult | void> | HandlerResult | undefined;

/** Options of {@link runWorkers}. */
export interface RunWorkersOptions {
  /** Told about every handler failure (for logs and Events); its own exceptions are ignored. */
  onError?: (key: string, error: unknown) => void;
}

/** The number of workers a controller runs unless configured otherwise. */
export const defaultWorkerConcurrency = 10;

/**
 * Runs `concurrency` loops that each take a key from the queue and call `handler(key, signal)`.
 * Outcome: a throw → `addRateLimited(key)`; `{ requeueAfterMs }` → `forget(key)` then
 * `addAfter(key, ms)`; otherwise → `forget(key)`; in every case `done(key)` afterwards, so the
 * queue's guarantee that a key is never processed twice at once holds across workers.
 * A handler's failure never stops a loop. Resolves once every loop has ended: when the queue is
 * shut down and has no pending key, or when the signal aborts (in-flight handlers are awaited;
 * the keys left in the queue stay there).
 */
export async function runWorkers(
  queue: WorkQueue,
  concurrency: number,
  handler: KeyHandler,
  signal: AbortSignal,
  options: RunWorkersOptions = {},
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const loops: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i++) loops.push(workerLoop(queue, handler, signal, options));
  await Promise.all(loops);
}

async function workerLoop(
  queue: WorkQueue,
  handler: KeyHandler,
  signal: AbortSignal,
  options: RunWorkersOptions,
): Promise<void> {
  while (!signal.aborted) {
    let key: string | undefined;
    try {
      key = await queue.get(signal);
    } catch {
      // get() only rejects when the signal aborted: stop this loop.
      return;
    }
    if (key === undefined) return;
    await processKey(queue, key, handler, signal, options);
  }
}

async function processKey(
  queue: WorkQueue,
  key: string,
  handler: KeyHandler,
  signal: AbortSignal,
  options: RunWorkersOptions,
): Promise<void> {
  try {
    const result = await handler(key, signal);
    queue.forget(key);
    const requeueAfterMs = result ? result.requeueAfterMs : undefined;
    if (requeueAfterMs !== undefined) queue.addAfter(key, requeueAfterMs);
  } catch (error) {
    report(options, key, error);
    queue.addRateLimited(key);
  } finally {
    // After the re-add, so an immediate re-add marks the key dirty and done() queues it again.
    queue.done(key);
  }
}

function report(options: RunWorkersOptions, key: string, error: unknown): void {
  try {
    options.onError?.(key, error);
  } catch {
    // A broken error reporter must not take the worker down with it.
  }
}
