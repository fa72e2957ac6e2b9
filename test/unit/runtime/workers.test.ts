import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import { ItemExponentialRateLimiter } from '../../../src/runtime/rate-limiter.ts';
import { WorkQueue } from '../../../src/runtime/work-queue.ts';
import { runWorkers } from '../../../src/runtime/workers.ts';

function newQueue(): { clock: FakeClock; queue: WorkQueue } {
  const clock = new FakeClock();
  return { clock, queue: new WorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter() }) };
}

/** Whether a promise has settled, without waiting on the clock. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const winner = await Promise.race([promise, new Promise((r) => setImmediate(r, pending))]);
  return winner !== pending;
}

test('three workers process different keys in parallel but never one key twice at once', async () => {
  const { clock, queue } = newQueue();
  const active = new Set<string>();
  const overlaps: string[] = [];
  let maxActive = 0;
  const processed: string[] = [];
  const workers = runWorkers(
    queue,
    3,
    async (key, signal) => {
      if (active.has(key)) overlaps.push(key);
      active.add(key);
      maxActive = Math.max(maxActive, active.size);
      // Re-adding the key being processed must wait for this run to finish.
      if (!processed.includes(key)) queue.add(key);
      await clock.sleep(100, signal);
      active.delete(key);
      processed.push(key);
      if (processed.length === 8) queue.shutDown();
    },
    new AbortController().signal,
  );
  for (const key of ['ns/a', 'ns/b', 'ns/c', 'ns/d']) queue.add(key);
  await clock.advance(0);
  assert.equal(active.size, 3);

  for (let i = 0; i < 20 && !(await isSettled(workers)); i++) await clock.advance(100);
  await workers;
  assert.deepEqual(overlaps, []);
  assert.equal(maxActive, 3);
  assert.equal(processed.length, 8);
  for (const key of ['ns/a', 'ns/b', 'ns/c', 'ns/d']) {
    assert.equal(
      processed.filter((k) => k === key).length,
      2,
      `${key} ran once more after its re-add`,
    );
  }
});

test('a throwing handler is retried with per-key backoff until it succeeds', async () => {
  const { clock, queue } = newQueue();
  const start = clock.now();
  const attempts: number[] = [];
  const errors: string[] = [];
  const controller = new AbortController();
  const workers = runWorkers(
    queue,
    2,
    () => {
      attempts.push(clock.now() - start);
      if (attempts.length <= 3)
        return Promise.reject(new Error(`attempt ${attempts.length} failed`));
      queue.shutDown();
      return Promise.resolve();
    },
    controller.signal,
    {
      onError: (key, error) => {
        errors.push(`${key}: ${(error as Error).message}`);
        throw new Error('the reporter itself is broken');
      },
    },
  );
  queue.add('ns/a');
  await clock.advance(100);
  await workers;
  assert.deepEqual(attempts, [0, 5, 15, 35]);
  assert.deepEqual(errors, [
    'ns/a: attempt 1 failed',
    'ns/a: attempt 2 failed',
    'ns/a: attempt 3 failed',
  ]);
  assert.equal(queue.numRequeues('ns/a'), 0, 'success forgets the backoff');
});

test('requeueAfterMs brings the key back after that delay with its backoff reset', async () => {
  const { clock, queue } = newQueue();
  const start = clock.now();
  const attempts: number[] = [];
  const workers = runWorkers(
    queue,
    1,
    async () => {
      attempts.push(clock.now() - start);
      await Promise.resolve();
      if (attempts.length === 1) throw new Error('first attempt fails');
      if (attempts.length === 2) return { requeueAfterMs: 30_000 };
      queue.shutDown();
      return undefined;
    },
    new AbortController().signal,
  );
  queue.add('ns/a');
  await clock.advance(10);
  assert.equal(queue.numRequeues('ns/a'), 0);
  await clock.advance(30_000);
  await workers;
  assert.deepEqual(attempts, [0, 5, 30_005]);
});

test('shutDownWithDrain waits for in-flight work and the workers then end', async () => {
  const { clock, queue } = newQueue();
  const finished: string[] = [];
  const workers = runWorkers(
    queue,
    3,
    async (key, signal) => {
      await clock.sleep(key === 'ns/slow' ? 1000 : 100, signal);
      finished.push(key);
    },
    new AbortController().signal,
  );
  queue.add('ns/fast');
  queue.add('ns/slow');
  await clock.advance(0);
  const drained = queue.shutDownWithDrain();
  await clock.advance(500);
  assert.deepEqual(finished, ['ns/fast']);
  assert.equal(await isSettled(drained), false);
  await clock.advance(500);
  assert.equal(await drained, true);
  await workers;
  assert.deepEqual(finished, ['ns/fast', 'ns/slow']);
});

test('aborting the signal ends idle workers and leaves queued keys in the queue', async () => {
  const { clock, queue } = newQueue();
  const controller = new AbortController();
  let calls = 0;
  const workers = runWorkers(
    queue,
    2,
    async (_key, signal) => {
      calls++;
      await clock.sleep(100, signal);
    },
    controller.signal,
  );
  await clock.advance(0);
  controller.abort(new Error('stop'));
  await workers;
  queue.add('ns/a');
  assert.equal(calls, 0);
  assert.equal(queue.len(), 1);
});

test('runWorkers refuses a concurrency below one', async () => {
  const { queue } = newQueue();
  await assert.rejects(
    runWorkers(queue, 0, async () => {}, new AbortController().signal),
    RangeError,
  );
});
