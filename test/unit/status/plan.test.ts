import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCondition } from '../../../src/status/conditions.ts';
import { initialStatus, planCreationFailure, planReconcile } from '../../../src/status/plan.ts';
import { job, observed, pod, t0, testWith } from './fixtures.ts';

const options = { now: t0, podGracePeriodMs: 120_000 };
const running = () => {
  const plan = planReconcile(
    observed(testWith(), { serviceExists: false, masterJob: undefined, workerJob: undefined }),
    options,
  );
  assert.ok(plan.statusAfterCreate);
  return plan.statusAfterCreate;
};

test('a new test starts Pending with the four initial conditions and the expected worker count', () => {
  const status = initialStatus(testWith(), t0);
  assert.equal(status.phase, 'Pending');
  assert.equal(status.expectedWorkers, 2);
  assert.equal(status.connectedWorkers, 0);
  assert.deepEqual(
    status.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`),
    [
      'Ready=False/ResourcesCreating',
      'WorkersConnected=False/WaitingForWorkers',
      'TestCompleted=False/TestInProgress',
      'PodsHealthy=True/PodsStarting',
    ],
  );
});

test('a Pending test creates its objects, then is Running with Ready=True, a start time and a TestStarted event', () => {
  const plan = planReconcile(
    observed(testWith(), { serviceExists: false, masterJob: undefined, workerJob: undefined }),
    options,
  );
  assert.equal(plan.create, true);
  assert.equal(plan.status.phase, 'Pending');
  assert.equal(plan.statusAfterCreate?.phase, 'Running');
  assert.equal(plan.statusAfterCreate.startTime, '2026-01-15T10:00:00Z');
  assert.equal(
    findCondition(plan.statusAfterCreate.conditions, 'Ready')?.reason,
    'ResourcesCreated',
  );
  assert.deepEqual(
    plan.eventsAfterCreate?.map((e) => e.reason),
    ['TestStarted'],
  );
});

test('a Running test whose master Job has no active pod yet stays Running (no Running↔Pending flap)', () => {
  const plan = planReconcile(observed(testWith(running())), options);
  assert.equal(plan.status.phase, 'Running');
  assert.equal(plan.create, false);
});

test('the master Job completing makes the test Succeeded with a completion time and TestCompleted=True', () => {
  const plan = planReconcile(
    observed(testWith(running()), { masterJob: job([{ type: 'Complete', status: 'True' }]) }),
    { ...options, now: t0 + 60_000 },
  );
  assert.equal(plan.status.phase, 'Succeeded');
  assert.equal(plan.status.completionTime, '2026-01-15T10:01:00Z');
  assert.equal(findCondition(plan.status.conditions, 'TestCompleted')?.reason, 'TestSucceeded');
  assert.deepEqual(
    plan.events.map((e) => e.reason),
    ['TestCompleted'],
  );
});

test('the master Job failing makes the test Failed with Ready=False/ResourcesFailed and a TestFailed event', () => {
  const plan = planReconcile(
    observed(testWith(running()), { masterJob: job([{ type: 'Failed', status: 'True' }]) }),
    options,
  );
  assert.equal(plan.status.phase, 'Failed');
  assert.equal(findCondition(plan.status.conditions, 'Ready')?.reason, 'ResourcesFailed');
  assert.equal(findCondition(plan.status.conditions, 'TestCompleted')?.reason, 'TestFailed');
  assert.deepEqual(
    plan.events.map((e) => `${e.type}/${e.reason}`),
    ['Warning/TestFailed'],
  );
});

test('connected workers come from the worker Job’s ready pods and set WorkersConnected', () => {
  const some = planReconcile(
    observed(testWith(running()), { workerJob: job([], { ready: 1 }) }),
    options,
  );
  assert.equal(some.status.connectedWorkers, 1);
  assert.equal(
    findCondition(some.status.conditions, 'WorkersConnected')?.message,
    '1/2 workers connected',
  );
  assert.equal(findCondition(some.status.conditions, 'WorkersConnected')?.reason, 'WorkersMissing');
  const all = planReconcile(
    observed(testWith(running()), { workerJob: job([], { ready: 2 }) }),
    options,
  );
  assert.equal(
    findCondition(all.status.conditions, 'WorkersConnected')?.reason,
    'AllWorkersConnected',
  );
});

test('a missing Service or Job while Running sends the test back to Pending with one ResourceDeleted event each', () => {
  const plan = planReconcile(
    observed(testWith(running()), { serviceExists: false, workerJob: undefined }),
    options,
  );
  assert.equal(plan.status.phase, 'Pending');
  assert.equal(
    findCondition(plan.status.conditions, 'Ready')?.message,
    'Recreating externally deleted resources',
  );
  assert.deepEqual(
    plan.events.map((e) => e.message),
    [
      'Master Service demo-master was deleted externally, will attempt recreation',
      'Worker Job demo-worker was deleted externally, will attempt recreation',
    ],
  );
  assert.equal(plan.requeueAfterMs, 1000);
  assert.equal(plan.status.startTime, running().startTime, 'the start time survives recovery');
});

test('a Failed test recovers to Pending when its objects are deleted, and loses its completion time', () => {
  const failed = planReconcile(
    observed(testWith(running()), { masterJob: job([{ type: 'Failed', status: 'True' }]) }),
    options,
  ).status;
  const plan = planReconcile(observed(testWith(failed), { masterJob: undefined }), options);
  assert.equal(plan.status.phase, 'Pending');
  assert.equal(plan.status.completionTime, undefined);
  assert.equal(findCondition(plan.status.conditions, 'TestCompleted')?.status, 'False');
});

test('Jobs of a failed test removed after the Job TTL do not trigger a recovery', () => {
  const failed = planReconcile(
    observed(testWith(running()), { masterJob: job([{ type: 'Failed', status: 'True' }]) }),
    options,
  ).status;
  const later = { ...options, now: t0 + 120_000, jobTtlSecondsAfterFinished: 60 };
  assert.equal(
    planReconcile(observed(testWith(failed), { masterJob: undefined }), later).status.phase,
    'Failed',
  );
});

test('a Succeeded test never leaves Succeeded, even when its Jobs disappear', () => {
  const succeeded = planReconcile(
    observed(testWith(running()), { masterJob: job([{ type: 'Complete', status: 'True' }]) }),
    options,
  ).status;
  const plan = planReconcile(
    observed(testWith(succeeded), { masterJob: undefined, workerJob: undefined }),
    options,
  );
  assert.equal(plan.status.phase, 'Succeeded');
  assert.equal(plan.create, false);
});

test('a refused creation makes the test Failed, and such a test is not retried by recovery', () => {
  const failure = planCreationFailure(
    testWith(),
    'Job demo-master: spec.template.spec.containers[0].image: Required value',
    t0,
  );
  assert.equal(failure.status.phase, 'Failed');
  assert.equal(findCondition(failure.status.conditions, 'Ready')?.reason, 'CreationFailed');
  assert.match(
    findCondition(failure.status.conditions, 'Ready')?.message ?? '',
    /Failed to create resources: Job demo-master/,
  );
  const again = planReconcile(
    observed(testWith(failure.status), {
      serviceExists: false,
      masterJob: undefined,
      workerJob: undefined,
    }),
    options,
  );
  assert.equal(again.status.phase, 'Failed');
  assert.equal(again.create, false);
});

test('a spec edit sets SpecDrifted=True once, with one event, and changes nothing else', () => {
  const before = running();
  const plan = planReconcile(observed(testWith(before, 2)), options);
  assert.equal(plan.status.phase, 'Running');
  assert.equal(findCondition(plan.status.conditions, 'SpecDrifted')?.reason, 'SpecChangeIgnored');
  assert.deepEqual(
    plan.events.map((e) => e.reason),
    ['SpecDrifted'],
  );
  const again = planReconcile(observed(testWith(plan.status, 2)), options);
  assert.deepEqual(again.events, []);
  assert.deepEqual(again.status, plan.status);
});

test('unhealthy pods within the grace period keep the test Running and ask for a requeue when it ends', () => {
  const crashing = pod('demo-worker-abc', t0 - 30_000, {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'w',
        image: 'i',
        imageID: '',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
      },
    ],
  });
  const plan = planReconcile(observed(testWith(running()), { pods: [crashing] }), options);
  assert.equal(plan.status.phase, 'Running');
  assert.equal(plan.requeueAfterMs, 90_000);
  assert.equal(
    findCondition(plan.status.conditions, 'PodsHealthy')?.message,
    'Pods are starting up',
  );
});

test('unhealthy pods after the grace period fail the test with PodsHealthy=False and one PodFailure event', () => {
  const crashing = pod('demo-worker-abc', t0 - 180_000, {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'w',
        image: 'i',
        imageID: '',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
      },
    ],
  });
  const plan = planReconcile(observed(testWith(running()), { pods: [crashing] }), options);
  assert.equal(plan.status.phase, 'Failed');
  const condition = findCondition(plan.status.conditions, 'PodsHealthy');
  assert.equal(condition?.status, 'False');
  assert.equal(
    condition.message,
    'CrashLoopBackOff: 1 pod(s) affected [demo-worker-abc]: back-off 5m0s',
  );
  assert.deepEqual(
    plan.events.map((e) => e.reason),
    ['PodFailure', 'TestFailed'],
  );
});

test('lastTransitionTime changes only when a condition’s status flips', () => {
  const first = running();
  const later = planReconcile(observed(testWith(first), { workerJob: job([], { ready: 1 }) }), {
    ...options,
    now: t0 + 5000,
  }).status;
  const ready = (s: typeof first) => findCondition(s.conditions, 'Ready')?.lastTransitionTime;
  assert.equal(ready(later), ready(first));
  const workers = findCondition(later.conditions, 'WorkersConnected');
  assert.equal(
    workers?.lastTransitionTime,
    '2026-01-15T10:00:00Z',
    'still False: its transition time is kept',
  );
});
