/**
 * Helpers for bounding asynchronous work by an AbortSignal whose deadline runs on a Clock (the
 * platform's AbortSignal.timeout uses real time, which a fake clock cannot move).
 */
import type { Clock } from './clock.ts';

/**
 * Settles with the request, or rejects with the signal's reason as soon as it aborts, so a hung
 * call never blocks its caller. The request itself keeps running; its late outcome is ignored.
 */
export function abortable<T>(request: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    request.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void request
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      })
      .then(resolve, reject);
  });
}

/** A signal that aborts after ms on clock, or when parent aborts; dispose() when done with it. */
export interface Deadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** Starts a {@link Deadline}; its reason says what ran out, for logs. */
export function startDeadline(
  clock: Clock,
  ms: number,
  what: string,
  parent?: AbortSignal,
): Deadline {
  const controller = new AbortController();
  const timer = clock.setTimer(ms, () => {
    controller.abort(new Error(`${what} deadline of ${ms} ms exceeded`));
  });
  const onParentAbort = (): void => {
    controller.abort(parent?.reason);
  };
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      timer.cancel();
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
