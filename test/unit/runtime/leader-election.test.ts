import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock, type Clock } from '../../../src/runtime/clock.ts';
import { LeaderElector, type LeaderElectionOptions } from '../../../src/runtime/leader-election.ts';
import { formatMicroTime } from '../../../src/runtime/lease.ts';
import { MemoryLeaseStore, ReplicaLeaseStore } from './memory-lease-store.ts';

interface Candidate {
  id: string;
  elector: LeaderElector;
  store: ReplicaLeaseStore;
  events: string[];
  /** Fake time of onStartedLeading, and the signal it was given. */
  startedAt: number | undefined;
  leadership: AbortSignal | undefined;
  stop(): void;
  done: Promise<void>;
}

function candidate(
  id: string,
  shared: MemoryLeaseStore,
  clock: Clock,
  extra: Partial<LeaderElectionOptions> = {},
): Candidate {
  const stopper = new AbortController();
  const store = new ReplicaLeaseStore(shared, clock);
  const self: Candidate = {
    id,
    store,
    events: [],
    startedAt: undefined,
    leadership: undefined,
    stop: () => {
      stopper.abort();
    },
    elector: new LeaderElector({
      store,
      namespace: 'ops',
      name: 'lock',
      identity: id,
      clock,
      random: () => 0, // no jitter: candidates retry in lockstep, the worst case for conflicts
      onStartedLeading: (signal) => {
        self.startedAt = clock.now();
        self.leadership = signal;
        self.events.push('started');
      },
      onStoppedLeading: () => self.events.push('stopped'),
      onNewLeader: (leader) => self.events.push(`leader:${leader}`),
      ...extra,
    }),
    done: Promise.resolve(),
  };
  self.done = self.elector.run(stopper.signal);
  return self;
}

/**
 * Moves fake time in 10 ms steps, letting every promise chain settle after each step. A chain
 * that outlives FakeClock's microtask flush sets its next timer up to one step late, so timings
 * below are checked with that much slack per retry period.
 */
async function elapse(clock: FakeClock, ms: number, each?: () => void): Promise<void> {
  const stepMs = 10;
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await clock.advance(Math.min(stepMs, ms - elapsed));
    await new Promise((resolve) => setImmediate(resolve));
    each?.();
  }
}

function leaders(candidates: Candidate[]): string[] {
  return candidates.filter((c) => c.elector.isLeader()).map((c) => c.id);
}

test('one of two candidates leads and the other follows it', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const a = candidate('a', shared, clock);
  const b = candidate('b', shared, clock);
  await elapse(clock, 2_100);

  assert.deepEqual(leaders([a, b]), ['a']);
  assert.equal(a.elector.leader(), 'a');
  assert.equal(b.elector.leader(), 'a');
  assert.deepEqual(b.events, ['leader:a']);
  assert.deepEqual(a.events, ['leader:a', 'started']);
  const lease = shared.lease();
  assert.equal(lease?.spec.holderIdentity, 'a');
  assert.equal(lease.spec.leaseDurationSeconds, 15);
  assert.equal(lease.spec.leaseTransitions, 0);
  a.stop();
  b.stop();
  await Promise.all([a.done, b.done]);
});

test('a follower takes over an unrenewed lease exactly a lease duration after it saw it change', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const a = candidate('a', shared, clock);
  const b = candidate('b', shared, clock);
  await elapse(clock, 5_000);
  a.store.down = true; // a is cut off: it cannot renew, and cannot release either
  const lastRenewal = shared.lease()?.spec.renewTime;
  await elapse(clock, 20_000);

  assert.deepEqual(leaders([a, b]), ['b']);
  const sawLastRenewal = b.store.reads.find((read) => read.renewTime === lastRenewal)?.at;
  assert.ok(sawLastRenewal !== undefined && b.startedAt !== undefined);
  assert.ok(b.startedAt >= sawLastRenewal + 15_000, 'not before the lease duration has passed');
  assert.ok(b.startedAt <= sawLastRenewal + 15_000 + 2_000 + 100, 'at the first retry after it');
  assert.equal(shared.lease()?.spec.holderIdentity, 'b');
  a.stop();
  b.stop();
  await Promise.all([a.done, b.done]);
});

test('expiry is judged by local observation, never by the holder’s timestamps', async () => {
  for (const skewMs of [-3_600_000, 3_600_000]) {
    const clock = new FakeClock();
    const skewed: Clock = {
      now: () => clock.now() + skewMs,
      setTimer: (ms, fn) => clock.setTimer(ms, fn),
      sleep: (ms, signal) => clock.sleep(ms, signal),
    };
    const shared = new MemoryLeaseStore(clock);
    const a = candidate('a', shared, skewed);
    const b = candidate('b', shared, clock);
    await elapse(clock, 40_000);

    assert.deepEqual(leaders([a, b]), ['a'], `holder clock skewed by ${skewMs} ms`);
    const renewedAt = Date.parse(shared.lease()?.spec.renewTime ?? '');
    assert.ok(Math.abs(renewedAt - clock.now() - skewMs) < 2_500, 'renewTime is the holder’s');
    a.stop();
    b.stop();
    await Promise.all([a.done, b.done]);
  }
});

test('a stopped leader releases the lease and a follower takes over within one retry period', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const a = candidate('a', shared, clock);
  const b = candidate('b', shared, clock);
  await elapse(clock, 3_000);
  a.stop();
  await elapse(clock, 10);
  await a.done;

  assert.equal(a.leadership?.aborted, true);
  assert.deepEqual(a.events, ['leader:a', 'started', 'stopped']);
  assert.equal(shared.lease()?.spec.holderIdentity, '');
  assert.equal(shared.lease()?.spec.leaseDurationSeconds, 1);
  const stoppedAt = clock.now();
  await elapse(clock, 2_000);
  assert.deepEqual(leaders([a, b]), ['b']);
  assert.ok(b.startedAt !== undefined && b.startedAt - stoppedAt <= 2_000, 'one retry period');
  assert.equal(shared.lease()?.spec.leaseTransitions, 1);
  b.stop();
  await b.done;
});

test('a leader that cannot renew within the renew deadline loses leadership', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const a = candidate('a', shared, clock);
  await elapse(clock, 1_000);
  a.store.down = true;
  const lastWrite = shared.writes.at(-1)?.at ?? 0;
  let lostAt: number | undefined;
  await elapse(clock, 14_000, () => {
    if (lostAt === undefined && a.leadership?.aborted) lostAt = clock.now();
  });

  assert.ok(lostAt !== undefined, 'leadership signal aborted');
  // Renewals are due every retry period; the one after the last success keeps trying for the
  // renew deadline, which ends before the lease can expire for anyone else.
  assert.ok(lostAt >= lastWrite + 2_000 + 10_000, `lost at +${lostAt - lastWrite} ms`);
  assert.ok(lostAt < lastWrite + 15_000);
  assert.equal(a.elector.isLeader(), false);
  assert.deepEqual(a.events, ['leader:a', 'started', 'stopped']);
  await a.done; // run() ends with leadership; the operator exits
  assert.equal(shared.lease()?.spec.holderIdentity, 'a', 'a lost lease is not released');
});

test('candidates racing with conflicting writes never produce two leaders', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const all = ['a', 'b', 'c', 'd', 'e'].map((id) => candidate(id, shared, clock));
  const check = (): void => {
    const current = leaders(all);
    assert.ok(current.length <= 1, `two leaders: ${current.join(', ')}`);
    const holder = shared.lease()?.spec.holderIdentity;
    if (current[0] !== undefined) assert.equal(holder, current[0]);
  };
  const leaderOf = (): Candidate => {
    const found = all.find((c) => c.elector.isLeader());
    assert.ok(found, 'someone leads');
    return found;
  };

  await elapse(clock, 3_000, check);
  leaderOf().stop(); // released: the rest race for it at the same instant
  await elapse(clock, 3_000, check);
  leaderOf().store.down = true; // expired: the rest race again, 15 s later
  await elapse(clock, 25_000, check);
  leaderOf();

  assert.ok(shared.conflicts >= 4, `${shared.conflicts} conflicting writes`);
  assert.equal(shared.lease()?.spec.leaseTransitions, 2);
  for (const c of all) c.stop();
  await Promise.all(all.map((c) => c.done));
});

test('leaseTransitions counts takeovers; renewals keep acquireTime', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const [a, b, c] = ['a', 'b', 'c'].map((id) => candidate(id, shared, clock));
  assert.ok(a && b && c);
  await elapse(clock, 100);
  const acquired = shared.lease()?.spec.acquireTime;
  await elapse(clock, 6_000);
  assert.equal(shared.lease()?.spec.acquireTime, acquired);
  assert.notEqual(shared.lease()?.spec.renewTime, acquired);
  assert.equal(shared.lease()?.spec.leaseTransitions, 0);

  const transitions: number[] = [];
  for (let i = 0; i < 2; i++) {
    const current = [a, b, c].find((x) => x.elector.isLeader());
    current?.stop();
    await elapse(clock, 2_100);
    transitions.push(shared.lease()?.spec.leaseTransitions ?? -1);
  }
  assert.deepEqual(transitions, [1, 2]);
  for (const x of [a, b, c]) x.stop();
  await Promise.all([a.done, b.done, c.done]);
});

test('stopping before acquiring ends the campaign without leading or releasing', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const a = candidate('a', shared, clock);
  await elapse(clock, 10);
  const b = candidate('b', shared, clock);
  await elapse(clock, 10);
  b.stop();
  await b.done;
  assert.deepEqual(b.events, ['leader:a']);
  assert.equal(shared.lease()?.spec.holderIdentity, 'a');
  a.stop();
  await a.done;
});

test('callbacks that throw are reported and do not stop the election', async () => {
  const clock = new FakeClock();
  const shared = new MemoryLeaseStore(clock);
  const errors: string[] = [];
  const a = candidate('a', shared, clock, {
    onStartedLeading: () => Promise.reject(new Error('boom')),
    onError: (_error, during) => errors.push(during),
  });
  await elapse(clock, 5_000);
  assert.deepEqual(errors, ['callback']);
  assert.equal(a.elector.isLeader(), true);
  a.stop();
  await a.done;
});

test('timings that would let a follower take over from a live leader are rejected', () => {
  const store = new MemoryLeaseStore(new FakeClock());
  const base = { store, namespace: 'ops', name: 'lock' };
  assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000 }), /leaseDuration/);
  assert.throws(() => new LeaderElector({ ...base, retryPeriodMs: 9_000 }), /renewDeadline/);
  assert.match(new LeaderElector(base).identity, /^.+_[0-9a-f-]{36}$/);
});

test('lease timestamps are written as Kubernetes MicroTime', () => {
  assert.equal(formatMicroTime(Date.UTC(2026, 0, 1, 0, 0, 0, 123)), '2026-01-01T00:00:00.123000Z');
});
