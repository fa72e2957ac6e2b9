import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from '../../../src/runtime/rate-limiter.ts';

test('per-key backoff doubles from 5 ms, is capped at 1000 s and is reset by forget', () => {
  const limiter = new ItemExponentialRateLimiter();
  assert.deepEqual(
    Array.from({ length: 6 }, () => limiter.when('ns/a')),
    [5, 10, 20, 40, 80, 160],
  );
  assert.equal(limiter.retries('ns/a'), 6);
  for (let i = 0; i < 20; i++) limiter.when('ns/a');
  assert.equal(limiter.when('ns/a'), 1_000_000);
  // Far past the point where 2^n overflows a double, the cap still holds.
  for (let i = 0; i < 2000; i++) limiter.when('ns/a');
  assert.equal(limiter.when('ns/a'), 1_000_000);

  limiter.forget('ns/a');
  assert.equal(limiter.retries('ns/a'), 0);
  assert.equal(limiter.when('ns/a'), 5);
});

test('per-key backoff keeps a separate failure count for every key', () => {
  const limiter = new ItemExponentialRateLimiter({ baseDelayMs: 1, maxDelayMs: 4 });
  assert.equal(limiter.when('ns/a'), 1);
  assert.equal(limiter.when('ns/a'), 2);
  assert.equal(limiter.when('ns/b'), 1);
  assert.equal(limiter.when('ns/a'), 4);
  assert.equal(limiter.when('ns/a'), 4);
  assert.equal(limiter.retries('ns/b'), 1);
});

test('the token bucket lets the burst through and delays every item beyond it', () => {
  const clock = new FakeClock();
  const bucket = new BucketRateLimiter(clock, { qps: 10, burst: 100 });
  for (let i = 0; i < 100; i++) assert.equal(bucket.when(), 0, `item ${i} is within the burst`);
  // Reservations queue up: each further item waits one more token period (100 ms at 10/s).
  assert.equal(bucket.when(), 100);
  assert.equal(bucket.when(), 200);
  assert.equal(bucket.when(), 300);
});

test('the token bucket refills with time and measures delays from now', async () => {
  const clock = new FakeClock();
  const bucket = new BucketRateLimiter(clock, { qps: 10, burst: 2 });
  assert.equal(bucket.when(), 0);
  assert.equal(bucket.when(), 0);
  assert.equal(bucket.when(), 100);
  await clock.advance(100);
  // The reserved token has arrived; the next one is a further 100 ms away.
  assert.equal(bucket.when(), 100);
  await clock.advance(10_000);
  // A long pause refills only up to the burst.
  assert.equal(bucket.when(), 0);
  assert.equal(bucket.when(), 0);
  assert.equal(bucket.when(), 100);
});

test('the token bucket ignores keys', () => {
  const bucket = new BucketRateLimiter(new FakeClock(), { qps: 1, burst: 1 });
  assert.equal(bucket.when(), 0);
  bucket.forget();
  assert.equal(bucket.retries(), 0);
  assert.equal(bucket.when(), 1000);
});

test('the token bucket rejects settings that would never let an item through', () => {
  assert.throws(() => new BucketRateLimiter(new FakeClock(), { qps: 0 }), RangeError);
  assert.throws(() => new BucketRateLimiter(new FakeClock(), { burst: 0 }), RangeError);
});

test('max-of asks every limiter and returns the longest delay', () => {
  const clock = new FakeClock();
  const limiter = new MaxOfRateLimiter(
    new ItemExponentialRateLimiter(),
    new BucketRateLimiter(clock, { qps: 10, burst: 1 }),
  );
  // The first failure is within the burst, so the 5 ms backoff decides.
  assert.equal(limiter.when('ns/a'), 5);
  // The bucket is empty now: its 100 ms beats the 10 ms backoff.
  assert.equal(limiter.when('ns/a'), 100);
  assert.equal(limiter.retries('ns/a'), 2);
  limiter.forget('ns/a');
  assert.equal(limiter.retries('ns/a'), 0);
});

test('the default controller limiter backs off per key under a global 10/s bucket with burst 100', () => {
  const limiter = defaultControllerRateLimiter(new FakeClock());
  assert.equal(limiter.when('ns/a'), 5);
  assert.equal(limiter.when('ns/a'), 10);
  for (let i = 0; i < 98; i++) assert.equal(limiter.when(`ns/other-${i}`), 5);
  // The burst of 100 is spent; a fresh key now waits for the bucket, not its 5 ms backoff.
  assert.equal(limiter.when('ns/fresh'), 100);
});
