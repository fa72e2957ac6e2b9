/**
 * Rate limiters for the work queue, after client-go's `workqueue` package: per-key exponential
 * backoff, a global token bucket, and the maximum of several limiters. Delays are milliseconds.
 */
import { systemClock, type Clock } from './clock.ts';

/**
 * Decides how long a key must wait before it is re-queued after a failure.
 * `when` records a failure (or consumes capacity) and returns the delay; `forget` clears what is
 * known about the key once it succeeded; `retries` is how many failures are on record for it.
 */
export interface RateLimiter {
  when(key: string): number;
  forget(key: string): void;
  retries(key: string): number;
}

/** Options of {@link ItemExponentialRateLimiter}. */
export interface ItemExponentialOptions {
  /** Delay after the first failure. Default 5 ms. */
  baseDelayMs?: number;
  /** Upper bound of the delay. Default 1000 s. */
  maxDelayMs?: number;
}

/**
 * Per-key exponential backoff (client-go's ItemExponentialFailureRateLimiter): the n-th
 * consecutive failure of a key waits `baseDelayMs * 2^(n-1)`, capped at `maxDelayMs`; keys are
 * independent, and `forget` starts a key over at the base delay. Needs no clock: the delay
 * depends only on the failure count.
 */
export class ItemExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: ItemExponentialOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    if (!(this.baseDelayMs >= 0) || !(this.maxDelayMs >= 0)) {
      throw new RangeError('backoff delays must be non-negative numbers');
    }
  }

  when(key: string): number {
    const exponent = this.failures.get(key) ?? 0;
    this.failures.set(key, exponent + 1);
    // 2 ** exponent grows to Infinity rather than overflowing, so the cap always applies.
    return Math.min(this.baseDelayMs * 2 ** exponent, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/** Options of {@link BucketRateLimiter}. */
export interface BucketOptions {
  /** Tokens added per second. Default 10. */
  qps?: number;
  /** Capacity of the bucket, and its content at start. Default 100. */
  burst?: number;
}

/**
 * A global token bucket (client-go's BucketRateLimiter over golang.org/x/time/rate): the bucket
 * starts full with `burst` tokens and refills at `qps` per second. Every `when` reserves one token,
 * possibly going into debt, and returns how long from now the caller must wait until that token
 * exists; later calls queue up behind earlier reservations. The key is ignored, so `forget` does
 * nothing and `retries` is always 0.
 */
export class BucketRateLimiter implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock = systemClock,
    options: BucketOptions = {},
  ) {
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    // x/time/rate would answer "never" for these; a queue that never retries hides failures.
    if (!(this.qps > 0) || !Number.isFinite(this.qps)) {
      throw new RangeError('qps must be a positive finite number');
    }
    if (!(this.burst >= 1)) throw new RangeError('burst must be at least 1');
    this.tokens = this.burst;
    this.last = clock.now();
  }

  when(): number {
    const now = this.clock.now();
    // A clock that stepped backwards must not mint tokens (x/time/rate's advance does the same).
    const elapsedMs = Math.max(0, now - this.last);
    const available = Math.min(this.burst, this.tokens + (elapsedMs * this.qps) / 1000);
    this.tokens = available - 1;
    this.last = now;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  forget(): void {
    // The bucket is shared by all keys; there is nothing per key to forget.
  }

  retries(): number {
    return 0;
  }
}

/**
 * The most restrictive of several limiters (client-go's MaxOfRateLimiter): `when` asks every
 * limiter (so each records the failure or reserves its token) and returns the longest delay;
 * `forget` forgets in all of them; `retries` is the largest count any of them reports.
 */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    if (limiters.length === 0) throw new RangeError('MaxOfRateLimiter needs at least one limiter');
    this.limiters = limiters;
  }

  when(key: string): number {
    let delay = 0;
    for (const limiter of this.limiters) delay = Math.max(delay, limiter.when(key));
    return delay;
  }

  forget(key: string): void {
    for (const limiter of this.limiters) limiter.forget(key);
  }

  retries(key: string): number {
    let retries = 0;
    for (const limiter of this.limiters) retries = Math.max(retries, limiter.retries(key));
    return retries;
  }
}

/**
 * client-go's DefaultControllerRateLimiter: per-key backoff from 5 ms doubling to 1000 s, under a
 * global bucket of 10 per second with a burst of 100, whichever is slower.
 */
export function defaultControllerRateLimiter(clock: Clock = systemClock): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialRateLimiter({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
    new BucketRateLimiter(clock, { qps: 10, burst: 100 }),
  );
}
