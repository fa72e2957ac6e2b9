import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import { ItemExponentialRateLimiter } from '../../../src/runtime/rate-limiter.ts';
import { WorkQueue, type WorkQueueMetrics } from '../../../src/runtime/work-queue.ts';

function newQueue(): { clock: FakeClock; queue: WorkQueue } {
  const clock = new FakeClock();
  return { clock, queue: new WorkQueue({ clock }) };
}

/** Whether a promise has settled, without waiting on the clock. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const winner = await Promise.race([promise, new Promise((r) => setImmediate(r, pending))]);
  return winner !== pending;
}

test('adding a pending key again does not queue it twice', async () => {
  const { queue } = newQueue();
  queue.add('ns/a');
  queue.add('ns/b');
  queue.add('ns/a');
  assert.equal(queue.len(), 2);
  assert.equal(await queue.get(), 'ns/a');
  assert.equal(await queue.get(), 'ns/b');
  assert.equal(queue.len(), 0);
});

test('keys are handed out in the order they were first added', async () => {
  const { queue } = newQueue();
  for (const key of ['ns/c', 'ns/a', 'ns/b', 'ns/a']) queue.add(key);
  assert.deepEqual(
    [await queue.get(), await queue.get(), await queue.get()],
    ['ns/c', 'ns/a', 'ns/b'],
  );
});

test('a key in process is not handed out again until done, then is re-queued once', async () => {
  const { queue } = newQueue();
  queue.add('ns/a');
  assert.equal(await queue.get(), 'ns/a');
  queue.add('ns/a');
  queue.add('ns/a');
  assert.equal(queue.len(), 0, 'the dirty key waits for done');
  const next = queue.get();
  assert.equal(await isSettled(next), false);

  queue.done('ns/a');
  assert.equal(await next, 'ns/a');
  queue.done('ns/a');
  assert.equal(queue.len(), 0, 'the two adds during processing coalesced into one');
});

test('done for a key that is not in process changes nothing', async () => {
  const { queue } = newQueue();
  queue.add('ns/a');
  queue.done('ns/a');
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'ns/a');
});

test('a waiting get receives the next added key', async () => {
  const { queue } = newQueue();
  const first = queue.get();
  const second = queue.get();
  queue.add('ns/a');
  queue.add('ns/b');
  assert.equal(await first, 'ns/a');
  assert.equal(await second, 'ns/b');
});

test('a get aborted by its signal rejects and consumes no key', async () => {
  const { queue } = newQueue();
  const controller = new AbortController();
  const aborted = queue.get(controller.signal);
  controller.abort(new Error('stopping'));
  await assert.rejects(aborted, /stopping/);
  queue.add('ns/a');
  assert.equal(await queue.get(), 'ns/a');
  await assert.rejects(queue.get(controller.signal), /stopping/);
});

test('addAfter queues the key when its delay has passed on the clock', async () => {
  const { clock, queue } = newQueue();
  queue.addAfter('ns/a', 100);
  await clock.advance(99);
  assert.equal(queue.len(), 0);
  await clock.advance(1);
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'ns/a');
});

test('addAfter keeps the earliest ready time of a key', async () => {
  const { clock, queue } = newQueue();
  queue.addAfter('ns/a', 100);
  queue.addAfter('ns/a', 30);
  queue.addAfter('ns/a', 200);
  await clock.advance(30);
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'ns/a');
  queue.done('ns/a');
  await clock.advance(1000);
  assert.equal(queue.len(), 0, 'the replaced and the later delays never fire');
  assert.equal(clock.pendingTimers(), 0);
});

test('addBatched turns a burst of changes into one pass after the delay', async () => {
  const { clock, queue } = newQueue();
  for (let i = 0; i < 5; i++) {
    queue.addBatched('ns/a', 1000);
    await clock.advance(100);
  }
  assert.equal(queue.len(), 0, 'nothing before the first change is a delay old');
  await clock.advance(600);
  assert.equal(queue.len(), 1);
  assert.equal(await queue.get(), 'ns/a');
  queue.done('ns/a');
  await clock.advance(5000);
  assert.equal(queue.len(), 0, 'one pass for the whole burst');
});

test('addBatched skips a key that is already pending, but not one in process', async () => {
  const { clock, queue } = newQueue();
  queue.add('ns/a');
  queue.addBatched('ns/a', 1000);
  assert.equal(clock.pendingTimers(), 0, 'the pending pass will see the change');
  assert.equal(await queue.get(), 'ns/a');
  // In process: its pass may have read the cache before this change.
  queue.addBatched('ns/a', 1000);
  queue.done('ns/a');
  assert.equal(queue.len(), 0);
  await clock.advance(1000);
  assert.equal(queue.len(), 1);
});

test('addBatched is not counted as a retry', () => {
  const counts = { retries: 0 };
  const queue = new WorkQueue({
    clock: new FakeClock(),
    metrics: { retries: () => counts.retries++ },
  });
  queue.addBatched('ns/a', 1000);
  assert.equal(counts.retries, 0);
});

test('addAfter with no delay adds at once', () => {
  const { queue } = newQueue();
  queue.addAfter('ns/a', 0);
  queue.addAfter('ns/b', -5);
  assert.equal(queue.len(), 2);
});

test('addRateLimited backs off per key and forget starts the key over', async () => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimiter: new ItemExponentialRateLimiter() });
  const readyAt: number[] = [];
  const start = clock.now();
  for (let i = 0; i < 3; i++) {
    queue.addRateLimited('ns/a');
    while (queue.len() === 0) await clock.advance(1);
    readyAt.push(clock.now() - start);
    assert.equal(await queue.get(), 'ns/a');
    queue.done('ns/a');
  }
  assert.deepEqual(readyAt, [5, 15, 35]);
  assert.equal(queue.numRequeues('ns/a'), 3);
  queue.forget('ns/a');
  assert.equal(queue.numRequeues('ns/a'), 0);
});

test('after shutDown adds are ignored, pending keys are still handed out, then get returns undefined', async () => {
  const { clock, queue } = newQueue();
  queue.add('ns/a');
  queue.addAfter('ns/late', 10);
  queue.shutDown();
  assert.equal(queue.isShuttingDown(), true);
  queue.add('ns/b');
  queue.addRateLimited('ns/c');
  await clock.advance(1000);
  assert.equal(await queue.get(), 'ns/a');
  assert.equal(await queue.get(), undefined);
  assert.equal(await queue.get(), undefined);
});

test('a get waiting at shutdown resolves undefined', async () => {
  const { queue } = newQueue();
  const waiting = queue.get();
  queue.shutDown();
  assert.equal(await waiting, undefined);
});

test('shutDownWithDrain waits for keys in process to be done', async () => {
  const { queue } = newQueue();
  queue.add('ns/a');
  queue.add('ns/b');
  assert.equal(await queue.get(), 'ns/a');
  assert.equal(await queue.get(), 'ns/b');
  const drained = queue.shutDownWithDrain();
  queue.done('ns/a');
  assert.equal(await isSettled(drained), false);
  queue.done('ns/b');
  assert.equal(await drained, true);
});

test('shutDownWithDrain gives up at its deadline', async () => {
  const { clock, queue } = newQueue();
  queue.add('ns/a');
  await queue.get();
  const drained = queue.shutDownWithDrain(1000);
  await clock.advance(999);
  assert.equal(await isSettled(drained), false);
  await clock.advance(1);
  assert.equal(await drained, false);
});

test('shutDownWithDrain on an idle queue returns at once', async () => {
  const { queue } = newQueue();
  assert.equal(await queue.shutDownWithDrain(), true);
});

test('metrics hooks see adds, depth, latency, work duration, retries and unfinished work', async () => {
  const clock = new FakeClock();
  const seen = {
    adds: 0,
    retries: 0,
    depth: [] as number[],
    latency: [] as number[],
    work: [] as number[],
    unfinished: [] as number[],
    longest: [] as number[],
  };
  const metrics: WorkQueueMetrics = {
    adds: () => seen.adds++,
    retries: () => seen.retries++,
    depth: (n) => seen.depth.push(n),
    queueLatency: (s) => seen.latency.push(s),
    workDuration: (s) => seen.work.push(s),
    unfinishedWork: (s) => seen.unfinished.push(s),
    longestRunningProcessor: (s) => seen.longest.push(s),
  };
  const queue = new WorkQueue({ clock, metrics, unfinishedWorkPeriodMs: 500 });
  queue.add('ns/a');
  queue.add('ns/a');
  queue.add('ns/b');
  await clock.advance(2000);
  assert.equal(await queue.get(), 'ns/a');
  await clock.advance(1000);
  assert.equal(await queue.get(), 'ns/b');
  await clock.advance(1000);
  queue.done('ns/a');
  queue.done('ns/b');
  queue.addAfter('ns/a', 10);

  assert.equal(seen.adds, 2);
  assert.equal(seen.retries, 1);
  assert.deepEqual(seen.depth, [1, 2, 1, 0]);
  assert.deepEqual(seen.latency, [2, 3]);
  assert.deepEqual(seen.work, [2, 1]);
  // Ticks at +500 ms and +1000 ms with only ns/a in process, then both, then zero when idle.
  assert.deepEqual(seen.unfinished, [0.5, 1, 2, 3, 0]);
  assert.deepEqual(seen.longest, [0.5, 1, 1.5, 2, 0]);
  await clock.advance(10);
  assert.equal(clock.pendingTimers(), 0, 'an idle queue holds no metrics timer');
});
