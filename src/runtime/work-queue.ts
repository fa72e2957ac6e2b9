/**
 * A work queue of string keys with client-go's semantics (workqueue's Typed, delaying and
 * rate-limiting queues in one): many adds of a key coalesce into one pending entry, and a key is
 * never handed to two workers at once.
 */
import { systemClock, type Clock, type Timer } from './clock.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

/**
 * Hooks a metrics module maps onto controller-runtime's workqueue metrics. Every hook is optional
 * and must not throw; durations are seconds, as Prometheus expects.
 */
export interface WorkQueueMetrics {
  /** `workqueue_depth`: keys waiting to be handed out, counting keys re-added while in process. */
  depth?(depth: number): void;
  /** `workqueue_adds_total`: an add that was not coalesced into a pending entry. */
  adds?(): void;
  /** `workqueue_queue_duration_seconds`: from the first pending add of a key to its `get`. */
  queueLatency?(seconds: number): void;
  /** `workqueue_work_duration_seconds`: from `get` to `done`. */
  workDuration?(seconds: number): void;
  /** `workqueue_retries_total`: every `addAfter`, including those made by `addRateLimited`. */
  retries?(): void;
  /** `workqueue_unfinished_work_seconds`: the summed age of all keys in process. */
  unfinishedWork?(seconds: number): void;
  /** `workqueue_longest_running_processor_seconds`: the age of the oldest key in process. */
  longestRunningProcessor?(seconds: number): void;
}

/** Construction options of {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Source of time and timers. Default: the system clock. */
  clock?: Clock;
  /** Delays for `addRateLimited`. Default: {@link defaultControllerRateLimiter} on `clock`. */
  rateLimiter?: RateLimiter;
  metrics?: WorkQueueMetrics;
  /** How often the unfinished-work gauges refresh while keys are in process. Default 500 ms. */
  unfinishedWorkPeriodMs?: number;
}

interface Getter {
  deliver(key: string | undefined): void;
}

interface DelayedAdd {
  readyAt: number;
  timer: Timer;
}

/**
 * The controller work queue.
 *
 * Contract: a key is pending at most once (`add` of a pending key is a no-op); keys are handed out
 * in FIFO order; a key handed out by `get` is "in process" until `done`, and an `add` meanwhile
 * marks it dirty so `done` queues it once more, never handing it out twice at the same time.
 * After `shutDown` adds are ignored, keys still pending are still handed out, and `get` then
 * resolves `undefined`.
 */
export class WorkQueue {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly metrics: WorkQueueMetrics | undefined;
  private readonly unfinishedWorkPeriodMs: number;
  private readonly queue: string[] = [];
  /** Keys that need processing: everything in `queue`, plus in-process keys added again. */
  private readonly dirty = new Set<string>();
  /** In-process keys and when they were handed out. */
  private readonly processing = new Map<string, number>();
  private readonly addedAt = new Map<string, number>();
  private readonly delayed = new Map<string, DelayedAdd>();
  private readonly getters: Getter[] = [];
  private readonly drainWaiters = new Set<(drained: boolean) => void>();
  private shuttingDown = false;
  private unfinishedWorkTimer: Timer | undefined;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
    this.metrics = options.metrics;
    this.unfinishedWorkPeriodMs = options.unfinishedWorkPeriodMs ?? 500;
  }

  /** Queues key unless it is already pending or the queue is shutting down. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.metrics) {
      this.metrics.adds?.();
      this.addedAt.set(key, this.clock.now());
      this.metrics.depth?.(this.dirty.size);
    }
    // An in-process key stays dirty only; done() queues it, so no two workers ever hold it.
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /**
   * Resolves with the next key, which is then in process until `done(key)`; waits while the
   * queue is empty; resolves `undefined` once the queue is shut down and has no pending key.
   * Rejects with the signal's reason if it aborts first (no key is consumed then).
   */
  get(signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise<string | undefined>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.getters.indexOf(getter);
        if (index >= 0) this.getters.splice(index, 1);
        reject(signal?.reason as Error);
      };
      const getter: Getter = {
        deliver: (next) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(next);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.getters.push(getter);
    });
  }

  /**
   * Ends the processing of key; if it was added while in process it is queued again now.
   * Calling it for a key that is not in process does nothing.
   */
  done(key: string): void {
    const startedAt = this.processing.get(key);
    if (startedAt === undefined) return;
    this.processing.delete(key);
    this.metrics?.workDuration?.((this.clock.now() - startedAt) / 1000);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.dispatch();
    }
    if (this.processing.size === 0) {
      this.unfinishedWorkTimer?.cancel();
      this.unfinishedWorkTimer = undefined;
      this.updateUnfinishedWork();
      for (const finish of [...this.drainWaiters]) finish(true);
    }
  }

  /**
   * Adds key after delayMs (0, negative or NaN: now). While a delayed add of the key is waiting,
   * the earliest ready time wins: a shorter delay replaces it, a longer one is dropped. Waiting
   * adds are discarded on shutdown.
   */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    this.metrics?.retries?.();
    this.schedule(key, delayMs);
  }

  /**
   * Adds key after delayMs unless it is already pending or waiting: a burst of changes to one
   * key (its Pods starting one by one) becomes one pass over the final state. Not a retry.
   */
  addBatched(key: string, delayMs: number): void {
    // A dirty key gets a pass that reads the cache after this change anyway.
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.schedule(key, delayMs);
  }

  private schedule(key: string, delayMs: number): void {
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const waiting = this.delayed.get(key);
    if (waiting && waiting.readyAt <= readyAt) return;
    waiting?.timer.cancel();
    const timer = this.clock.setTimer(delayMs, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { readyAt, timer });
  }

  /** Adds key after the delay the rate limiter assigns to its next failure. */
  addRateLimited(key: string): void {
    if (this.shuttingDown) return;
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Clears key's failure history in the rate limiter; call it when key was processed successfully. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** How many times key has been rate-limited since it was last forgotten. */
  numRequeues(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /** Number of keys queued and ready to be handed out (not in process, not delayed). */
  len(): number {
    return this.queue.length;
  }

  /**
   * Stops accepting adds and discards delayed adds; waiting `get`s resolve `undefined` once no key
   * is pending. Pending `shutDownWithDrain` calls return at once, as with client-go's ShutDown.
   */
  shutDown(): void {
    this.stopAccepting();
    const drained = this.processing.size === 0;
    for (const finish of [...this.drainWaiters]) finish(drained);
  }

  /**
   * Shuts down like `shutDown`, then resolves once no key is in process: `true` when drained,
   * `false` if deadlineMs passed first or `shutDown` cut the wait short. Keys marked dirty while in
   * process are still handed out, as in client-go, so workers must keep running meanwhile.
   */
  shutDownWithDrain(deadlineMs?: number): Promise<boolean> {
    this.stopAccepting();
    if (this.processing.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let deadline: Timer | undefined;
      const finish = (drained: boolean): void => {
        deadline?.cancel();
        this.drainWaiters.delete(finish);
        resolve(drained);
      };
      this.drainWaiters.add(finish);
      if (deadlineMs !== undefined) {
        deadline = this.clock.setTimer(deadlineMs, () => {
          finish(false);
        });
      }
    });
  }

  /** Whether `shutDown` or `shutDownWithDrain` has been called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Reports the unfinished-work and longest-running gauges now. The queue calls it periodically
   * while keys are in process; a metrics module may also call it when scraped.
   */
  updateUnfinishedWork(): void {
    const metrics = this.metrics;
    if (!metrics?.unfinishedWork && !metrics?.longestRunningProcessor) return;
    const now = this.clock.now();
    let total = 0;
    let longest = 0;
    for (const startedAt of this.processing.values()) {
      const age = (now - startedAt) / 1000;
      total += age;
      longest = Math.max(longest, age);
    }
    metrics.unfinishedWork?.(total);
    metrics.longestRunningProcessor?.(longest);
  }

  private stopAccepting(): void {
    this.shuttingDown = true;
    for (const waiting of this.delayed.values()) waiting.timer.cancel();
    this.delayed.clear();
    this.dispatch();
  }

  /** Hands queued keys to waiting getters; keeps "a getter waits only if the queue is empty". */
  private dispatch(): void {
    while (this.queue.length > 0 && this.getters.length > 0) {
      const getter = this.getters.shift();
      const key = this.queue.shift();
      if (getter === undefined || key === undefined) break;
      getter.deliver(this.take(key));
    }
    if (this.shuttingDown && this.queue.length === 0) {
      for (const getter of this.getters.splice(0)) getter.deliver(undefined);
    }
  }

  private take(key: string): string {
    const now = this.clock.now();
    this.processing.set(key, now);
    this.dirty.delete(key);
    if (this.metrics) {
      this.metrics.depth?.(this.dirty.size);
      const addedAt = this.addedAt.get(key);
      this.addedAt.delete(key);
      if (addedAt !== undefined) this.metrics.queueLatency?.((now - addedAt) / 1000);
    }
    this.startUnfinishedWorkTimer();
    return key;
  }

  /** Runs only while keys are in process, so an idle queue holds no timer. */
  private startUnfinishedWorkTimer(): void {
    const metrics = this.metrics;
    if (this.unfinishedWorkTimer) return;
    if (!metrics?.unfinishedWork && !metrics?.longestRunningProcessor) return;
    const tick = (): void => {
      this.updateUnfinishedWork();
      this.unfinishedWorkTimer =
        this.processing.size > 0
          ? this.clock.setTimer(this.unfinishedWorkPeriodMs, tick)
          : undefined;
    };
    this.unfinishedWorkTimer = this.clock.setTimer(this.unfinishedWorkPeriodMs, tick);
  }
}
