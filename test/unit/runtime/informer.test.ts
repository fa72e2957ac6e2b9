import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import {
  Informer,
  objectKey,
  ResourceVersionGoneError,
  waitForCacheSync,
  type InformerOptions,
  type ListWatchSource,
  type WatchEventType,
  type WatchHandlers,
} from '../../../src/runtime/informer.ts';

interface Thing {
  metadata: { namespace: string; name: string; resourceVersion: string };
  data?: string;
}

function thing(name: string, resourceVersion: string, data?: string): Thing {
  return {
    metadata: { namespace: 'ns', name, resourceVersion },
    ...(data === undefined ? {} : { data }),
  };
}

interface ListResult {
  items: Thing[];
  resourceVersion: string;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The promise's outcome, or a rejection with the signal's reason if it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener('abort', () => {
      reject(signal.reason as Error);
    });
    promise.then(resolve, reject);
  });
}

/** One watch stream the informer opened; the test pushes its events and closes it. */
class FakeWatch {
  constructor(
    readonly resourceVersion: string,
    private readonly handlers: WatchHandlers<Thing>,
    readonly signal: AbortSignal,
  ) {}

  push(type: WatchEventType, object: Thing): void {
    this.handlers.onEvent(type, object);
  }

  bookmark(resourceVersion: string): void {
    this.push('BOOKMARK', { metadata: { namespace: 'ns', name: '', resourceVersion } });
  }

  close(error?: unknown): void {
    this.handlers.onClose(error);
  }
}

/** A list result, a list failure, or a list the test answers later (pending until then). */
type ListStep = ListResult | Error | Deferred<ListResult>;
/** A watch that opens, one whose start rejects, or one that never opens. */
type WatchStep = 'open' | 'never-opens' | Error;

/** An in-memory API server for one resource kind, scripted step by step by the test. */
class FakeSource implements ListWatchSource<Thing> {
  readonly listSteps: ListStep[] = [];
  readonly watchSteps: WatchStep[] = [];
  readonly lists: { at: number; signal: AbortSignal }[] = [];
  readonly watchStarts: { at: number; resourceVersion: string; signal: AbortSignal }[] = [];
  readonly watches: FakeWatch[] = [];

  constructor(private readonly clock: FakeClock) {}

  list(signal: AbortSignal): Promise<ListResult> {
    this.lists.push({ at: this.clock.now(), signal });
    const step = this.listSteps.shift() ?? deferred<ListResult>();
    if (step instanceof Error) return Promise.reject(step);
    return untilAborted('promise' in step ? step.promise : Promise.resolve(step), signal);
  }

  watch(
    resourceVersion: string,
    handlers: WatchHandlers<Thing>,
    signal: AbortSignal,
  ): Promise<void> {
    this.watchStarts.push({ at: this.clock.now(), resourceVersion, signal });
    const step = this.watchSteps.shift() ?? 'open';
    if (step instanceof Error) return Promise.reject(step);
    // Like the real client, an aborted stream (or connection attempt) reports a clean close.
    signal.addEventListener('abort', () => {
      handlers.onClose();
    });
    if (step === 'never-opens') return untilAborted(new Promise<void>(() => undefined), signal);
    this.watches.push(new FakeWatch(resourceVersion, handlers, signal));
    return Promise.resolve();
  }

  /** The most recently opened watch. */
  get current(): FakeWatch {
    return nth(this.watches, -1);
  }

  attempts(): number {
    return this.lists.length + this.watchStarts.length;
  }
}

function nth<T>(items: readonly T[], index: number): T {
  const item = items.at(index);
  assert.ok(item !== undefined, `no item at ${String(index)}`);
  return item;
}

/** Lets every pending promise chain run (one macrotask turn); fake time does not move. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

function setup(options: Partial<InformerOptions> = {}) {
  const clock = new FakeClock();
  const source = new FakeSource(clock);
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const informer = new Informer<Thing>(source, {
    name: 'things',
    clock,
    watchdogMs: 60_000,
    initialBackoffMs: 100,
    maxBackoffMs: 1_000,
    random: () => 0.5,
    log: (_level, message, fields = {}) => logs.push({ message, fields }),
    ...options,
  });
  const events: string[] = [];
  const show = (t: Thing): string => `${objectKey(t)}@${t.metadata.resourceVersion}`;
  informer.addHandlers({
    onAdd: (t) => events.push(`add ${show(t)}`),
    onUpdate: (p, c) => events.push(`update ${show(p)} -> ${c.metadata.resourceVersion}`),
    onDelete: (t) => events.push(`delete ${show(t)}`),
  });
  const controller = new AbortController();
  let finished = false;
  let running: Promise<void> = Promise.resolve();
  return {
    clock,
    source,
    informer,
    events,
    logs,
    controller,
    finished: () => finished,
    /** Starts run(); script the source's first steps before calling it. */
    async start(): Promise<void> {
      running = informer.run(controller.signal).then(() => {
        finished = true;
      });
      await settle();
    },
    async advance(ms: number): Promise<void> {
      await clock.advance(ms);
      await settle();
    },
    /** Aborts the run and checks that it ends leaving nothing behind. */
    async stop(): Promise<void> {
      controller.abort();
      await running;
      assert.equal(clock.pendingTimers(), 0, 'no timer outlives run()');
    },
  };
}

type Harness = ReturnType<typeof setup>;

/** Asserts that the next list or watch attempt starts exactly delayMs from now. */
async function expectRetryAfter(h: Harness, delayMs: number): Promise<void> {
  const before = h.source.attempts();
  await h.advance(delayMs - 1);
  assert.equal(h.source.attempts(), before, `no retry before ${String(delayMs)} ms`);
  await h.advance(1);
  assert.ok(h.source.attempts() > before, `a retry after ${String(delayMs)} ms`);
}

test('the first list fills the cache, fires onAdd for each object and marks the cache synced', async () => {
  const h = setup();
  const list = deferred<ListResult>();
  h.source.listSteps.push(list);
  let synced = false;
  const waiting = waitForCacheSync([h.informer], h.controller.signal, h.clock).then(() => {
    synced = true;
  });
  await h.start();
  assert.equal(h.informer.hasSynced(), false);
  assert.equal(h.informer.size(), 0);

  const a = thing('a', '1');
  const b = thing('b', '2');
  list.resolve({ items: [a, b], resourceVersion: '10' });
  await settle();
  assert.equal(h.informer.hasSynced(), true);
  assert.deepEqual(h.events, ['add ns/a@1', 'add ns/b@2']);
  assert.equal(h.informer.get('ns/a'), a);
  assert.equal(h.informer.get('ns/b'), b);
  assert.deepEqual(h.informer.list(), [a, b]);

  assert.equal(synced, false, 'waitForCacheSync polls on the clock');
  await h.advance(50);
  assert.equal(synced, true);
  await waiting;
  await h.stop();
});

test('waitForCacheSync rejects when the signal aborts before every informer has synced', async () => {
  const clock = new FakeClock();
  const controller = new AbortController();
  const waiting = waitForCacheSync(
    [{ hasSynced: () => true }, { hasSynced: () => false }],
    controller.signal,
    clock,
  );
  await clock.advance(500);
  controller.abort(new Error('shutting down'));
  await assert.rejects(waiting, /shutting down/);
  assert.equal(clock.pendingTimers(), 0);
});

test('watch events update the cache and fire handlers with the previous and current objects', async () => {
  const h = setup();
  const a1 = thing('a', '1', 'first');
  h.source.listSteps.push({ items: [a1], resourceVersion: '10' });
  const updates: [Thing, Thing][] = [];
  const deletes: Thing[] = [];
  h.informer.addHandlers({
    onUpdate: (previous, current) => updates.push([previous, current]),
    onDelete: (object) => deletes.push(object),
  });
  await h.start();
  h.events.length = 0;
  const watch = h.source.current;

  const b11 = thing('b', '11');
  watch.push('ADDED', b11);
  assert.deepEqual(h.events, ['add ns/b@11']);
  assert.equal(h.informer.get('ns/b'), b11);

  const a12 = thing('a', '12', 'second');
  watch.push('MODIFIED', a12);
  assert.deepEqual(h.events.slice(1), ['update ns/a@1 -> 12']);
  const [previous, current] = nth(updates, 0);
  assert.equal(previous, a1);
  assert.equal(current, a12);
  assert.equal(h.informer.get('ns/a'), a12);

  watch.push('MODIFIED', thing('a', '12', 'same version, other content'));
  assert.equal(h.events.length, 2, 'an unchanged resourceVersion fires nothing');
  assert.equal(h.informer.get('ns/a'), a12);

  watch.push('DELETED', thing('b', '13'));
  assert.deepEqual(h.events.slice(2), ['delete ns/b@11']);
  assert.equal(deletes[0], b11, 'onDelete gets the last object the cache held');
  assert.equal(h.informer.get('ns/b'), undefined);

  watch.push('MODIFIED', thing('c', '14'));
  assert.deepEqual(h.events.slice(3), ['add ns/c@14'], 'a change to an unseen object adds it');
  assert.deepEqual(h.informer.list().map(objectKey), ['ns/a', 'ns/c']);
  await h.stop();
});

test('the watch starts at the list version and resumes after a clean close from the last version seen, bookmarks included, without relisting', async () => {
  const h = setup();
  h.source.listSteps.push({ items: [thing('a', '1')], resourceVersion: '10' });
  await h.start();
  assert.deepEqual(
    h.source.watchStarts.map((s) => s.resourceVersion),
    ['10'],
  );

  h.source.current.push('MODIFIED', thing('a', '15'));
  h.source.current.bookmark('20');
  assert.deepEqual(h.events, ['add ns/a@1', 'update ns/a@1 -> 15'], 'a bookmark fires nothing');
  assert.equal(h.informer.size(), 1, 'a bookmark is not cached');
  h.source.current.close();
  await settle();

  h.source.current.push('ADDED', thing('b', '21'));
  h.source.current.close();
  await settle();
  assert.deepEqual(
    h.source.watchStarts.map((s) => [s.resourceVersion, s.at - nth(h.source.watchStarts, 0).at]),
    [
      ['10', 0],
      ['20', 0],
      ['21', 0],
    ],
    'each clean close resumes at once from the last version',
  );
  assert.equal(h.source.lists.length, 1);
  assert.deepEqual(
    h.source.watches.map((w) => w.signal.aborted),
    [true, true, false],
    'a stream that ended is released',
  );
  await h.stop();
});

test('a 410 Gone relists at once; objects missing from the new list fire onDelete, changed ones onUpdate', async () => {
  const h = setup();
  h.source.listSteps.push({
    items: [thing('a', '1'), thing('b', '1'), thing('c', '1')],
    resourceVersion: '10',
  });
  await h.start();
  h.events.length = 0;

  h.source.listSteps.push({
    items: [thing('a', '1'), thing('b', '25'), thing('d', '26')],
    resourceVersion: '30',
  });
  h.source.current.close(new ResourceVersionGoneError());
  await settle();
  assert.deepEqual(h.events, ['update ns/b@1 -> 25', 'add ns/d@26', 'delete ns/c@1']);
  assert.deepEqual(h.informer.list().map(objectKey), ['ns/a', 'ns/b', 'ns/d']);
  assert.equal(h.source.lists.length, 2);
  assert.equal(h.source.lists[1]?.at, h.clock.now(), 'no backoff before relisting');
  assert.equal(h.source.current.resourceVersion, '30');

  // A watch the server refuses to start with 410 relists too.
  h.source.listSteps.push({ items: [thing('a', '1')], resourceVersion: '40' });
  h.source.watchSteps.push(new ResourceVersionGoneError());
  h.source.current.close();
  await settle();
  assert.equal(h.source.lists.length, 3);
  assert.deepEqual(h.events.slice(3), ['delete ns/b@25', 'delete ns/d@26']);
  assert.deepEqual(
    h.source.watchStarts.map((s) => s.resourceVersion),
    ['10', '30', '30', '40'],
  );
  assert.ok(h.logs.some((l) => l.message === 'watch expired, relisting'));
  await h.stop();
});

test('other list and watch errors retry after a jittered backoff that doubles up to the cap and resets after a successful watch', async () => {
  // random 0.75 scales every backoff by 1.25: bases 100, 200, 400, 800, 1000 (the cap), …
  const h = setup({ random: () => 0.75 });
  h.source.listSteps.push(new Error('list refused'), new Error('list refused'), {
    items: [],
    resourceVersion: '10',
  });
  h.source.watchSteps.push(new Error('watch refused'), 'open');
  await h.start();
  await expectRetryAfter(h, 125); // list
  await expectRetryAfter(h, 250); // list, then the watch fails to start
  await expectRetryAfter(h, 500); // the watch opens
  h.source.watchSteps.push(new Error('watch refused'), new Error('watch refused'), 'open');
  h.source.current.close(new Error('connection reset'));
  await settle();
  await expectRetryAfter(h, 1_000);
  await expectRetryAfter(h, 1_250);
  await expectRetryAfter(h, 1_250); // the watch opens

  const attempts = h.source.attempts();
  h.source.current.close();
  await settle();
  assert.equal(h.source.attempts(), attempts + 1, 'a clean close re-watches at once');
  h.source.current.close(new Error('connection reset'));
  await settle();
  await expectRetryAfter(h, 125);

  assert.deepEqual(
    h.logs
      .filter((l) => l.message === 'list/watch failed, retrying')
      .map((l) => l.fields.retryInMs),
    [125, 250, 500, 1_000, 1_250, 1_250, 125],
  );
  assert.equal(h.source.lists.length, 3, 'errors other than 410 do not relist');
  assert.deepEqual(new Set(h.source.watchStarts.map((s) => s.resourceVersion)), new Set(['10']));
  await h.stop();
});

test('the jitter spreads each delay from half to one and a half times the backoff', async () => {
  const randoms = [0, 0.5, 0.999];
  const h = setup({ random: () => randoms.shift() ?? 0.5 });
  h.source.listSteps.push(new Error('1'), new Error('2'), new Error('3'));
  await h.start();
  await expectRetryAfter(h, 50);
  await expectRetryAfter(h, 200);
  await expectRetryAfter(h, 600); // 400 × 1.499, rounded
  await h.stop();
});

test('the watchdog restarts a watch that delivered nothing for watchdogMs, and events and bookmarks keep it alive', async () => {
  const h = setup({ watchdogMs: 1_000 });
  h.source.listSteps.push({ items: [thing('a', '1')], resourceVersion: '10' });
  await h.start();
  const first = h.source.current;
  await h.advance(999);
  assert.equal(first.signal.aborted, false);
  await h.advance(1);
  assert.equal(first.signal.aborted, true, 'the silent stream is abandoned');
  assert.equal(h.source.watches.length, 2);
  assert.equal(h.source.current.resourceVersion, '10');
  assert.ok(h.logs.some((l) => l.message === 'watch went silent, restarting'));

  await h.advance(600);
  h.source.current.push('MODIFIED', thing('a', '11'));
  await h.advance(900);
  h.source.current.bookmark('20');
  await h.advance(999);
  assert.equal(h.source.watches.length, 2, 'an event and then a bookmark kept the watch alive');
  await h.advance(1);
  assert.equal(h.source.watches.length, 3);
  assert.equal(h.source.current.resourceVersion, '20');

  // A watch that never opens is abandoned and restarted too.
  h.source.watchSteps.push('never-opens');
  h.source.current.close();
  await settle();
  const stuck = h.source.watchStarts.at(-1);
  await h.advance(1_000);
  assert.equal(stuck?.signal.aborted, true);
  assert.equal(h.source.watches.length, 4);
  assert.equal(h.source.lists.length, 1, 'the watchdog never relists');
  await h.stop();
});

test('aborting the signal stops run() in every state, leaving no timers and no open streams', async () => {
  const states: [string, (h: Harness) => Promise<AbortSignal>][] = [
    [
      'listing',
      async (h) => {
        await h.start();
        return nth(h.source.lists, 0).signal;
      },
    ],
    [
      'opening a watch',
      async (h) => {
        h.source.listSteps.push({ items: [], resourceVersion: '1' });
        h.source.watchSteps.push('never-opens');
        await h.start();
        return nth(h.source.watchStarts, 0).signal;
      },
    ],
    [
      'watching',
      async (h) => {
        h.source.listSteps.push({ items: [], resourceVersion: '1' });
        await h.start();
        return h.source.current.signal;
      },
    ],
    [
      'backing off',
      async (h) => {
        h.source.listSteps.push(new Error('list refused'));
        await h.start();
        await h.advance(30);
        return nth(h.source.lists, 0).signal;
      },
    ],
  ];
  for (const [state, reach] of states) {
    const h = setup();
    const sourceSignal = await reach(h);
    assert.equal(h.finished(), false, state);
    const attempts = h.source.attempts();
    await h.stop();
    assert.equal(sourceSignal.aborted, true, `${state}: the source saw the abort`);
    await h.advance(100_000);
    assert.equal(h.source.attempts(), attempts, `${state}: nothing starts after the abort`);
  }
});

test('an abort that lands while the list is being stored stops run() without opening a watch', async () => {
  const h = setup();
  h.informer.addHandlers({
    onAdd: () => {
      h.controller.abort();
    },
  });
  h.source.listSteps.push({ items: [thing('a', '1')], resourceVersion: '10' });
  await h.start();
  assert.equal(h.finished(), true);
  assert.equal(h.source.watchStarts.length, 0);
  await h.stop();
});
