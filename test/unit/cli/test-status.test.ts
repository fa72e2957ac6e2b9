/** How a LocustTest in a cluster is shown: status, Events, failing conditions, the CI verdict. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Condition, LocustTest } from '../../../src/api/index.ts';
import { formatStatus } from '../../../src/cli/commands/status.ts';
import { followVerdict } from '../../../src/cli/follow-verdict.ts';
import {
  formatAge,
  isFailingCondition,
  sortEvents,
  statusJson,
  testEvent,
  testSnapshot,
} from '../../../src/cli/test-status.ts';

function condition(
  type: string,
  status: Condition['status'],
  reason: string,
  message = reason,
): Condition {
  return { type, status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' };
}

function locustTest(phase: string | undefined, conditions: Condition[] = []): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'checkout-x7k2p', namespace: 'load', uid: 'u1' },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: { command: '-f /lotest/src/locustfile.py' },
      worker: { command: '-f /lotest/src/locustfile.py', replicas: 2 },
    },
    ...(phase === undefined
      ? {}
      : {
          status: {
            phase: phase as 'Running',
            expectedWorkers: 2,
            connectedWorkers: 1,
            startTime: '2026-01-01T00:00:00Z',
            ...(phase === 'Succeeded' || phase === 'Failed'
              ? { completionTime: '2026-01-01T00:01:05Z' }
              : {}),
            conditions,
          },
        }),
  };
}

const failedConditions = [
  condition('Ready', 'False', 'ResourcesFailed', 'Test failed'),
  condition('WorkersConnected', 'True', 'AllWorkersConnected', '2/2 workers connected'),
  condition('TestCompleted', 'True', 'TestFailed', 'Test failed'),
  condition(
    'PodsHealthy',
    'False',
    'ImagePullError',
    '1 pod(s) cannot pull their image: demo-master-abc',
  ),
  condition('SpecDrifted', 'True', 'SpecChangeIgnored', 'spec changes are ignored'),
];

test('failing conditions are the unhealthy ones and a failed completion; drift and success are not', () => {
  assert.deepEqual(
    failedConditions.filter(isFailingCondition).map((c) => c.type),
    ['Ready', 'TestCompleted', 'PodsHealthy'],
  );
  assert.equal(isFailingCondition(condition('TestCompleted', 'True', 'TestSucceeded')), false);
  assert.equal(isFailingCondition(condition('TestCompleted', 'False', 'TestInProgress')), false);
});

test('a snapshot is the phase and the workers; a test without status is Pending', () => {
  assert.deepEqual(testSnapshot(locustTest('Running'), 3000), {
    elapsedMs: 3000,
    phase: 'Running',
    workers: { connected: 1, expected: 2 },
  });
  assert.deepEqual(testSnapshot(locustTest(undefined), 0), { elapsedMs: 0, phase: 'Pending' });
});

test('Events are keyed by uid and count (a recurring Event is news), sorted by time', () => {
  const event = (uid: string, time: string, count?: number): CoreV1Event => ({
    metadata: { uid, name: `e-${uid}` },
    involvedObject: {},
    type: 'Normal',
    reason: 'Created',
    message: `m-${uid}`,
    lastTimestamp: time as unknown as Date,
    ...(count === undefined ? {} : { count }),
  });
  const events = sortEvents(
    [event('b', '2026-01-01T00:00:05Z', 3), event('a', '2026-01-01T00:00:01Z')].map(testEvent),
  );
  assert.deepEqual(
    events.map((e) => [e.key, e.time]),
    [
      ['a#1', '2026-01-01T00:00:01Z'],
      ['b#3', '2026-01-01T00:00:05Z'],
    ],
  );
  assert.deepEqual(
    ['5s', '119s', '2m', '3h', '2d'],
    [5_000, 119_000, 120_000, 3 * 3_600_000 + 1, 49 * 3_600_000].map(formatAge),
  );
});

test('status prints phase, workers, times, conditions and Events; -o json has the same', () => {
  const test1 = locustTest('Failed', failedConditions.slice(0, 3));
  const events = [
    testEvent({
      metadata: { uid: 'e1' },
      involvedObject: {},
      type: 'Warning',
      reason: 'TestFailed',
      message: 'Load test execution failed',
      count: 2,
      lastTimestamp: '2026-01-01T00:01:05Z' as unknown as Date,
    }),
  ];
  assert.deepEqual(formatStatus(test1, events, Date.parse('2026-01-01T00:01:35Z')), [
    'Name:       checkout-x7k2p',
    'Namespace:  load',
    'Phase:      Failed',
    'Workers:    1/2 connected',
    'Started:    2026-01-01T00:00:00Z',
    'Completed:  2026-01-01T00:01:05Z (1m5s)',
    'Conditions:',
    '  TYPE              STATUS  REASON               MESSAGE',
    '  Ready             False   ResourcesFailed      Test failed',
    '  WorkersConnected  True    AllWorkersConnected  2/2 workers connected',
    '  TestCompleted     True    TestFailed           Test failed',
    'Events:',
    '  AGE  TYPE     REASON           MESSAGE',
    '  30s  Warning  TestFailed (x2)  Load test execution failed',
  ]);
  const json = statusJson(test1, events);
  assert.equal(json.phase, 'Failed');
  assert.equal(json.connectedWorkers, 1);
  assert.deepEqual(json.events, [
    {
      type: 'Warning',
      reason: 'TestFailed',
      message: 'Load test execution failed',
      count: 2,
      time: '2026-01-01T00:01:05Z',
    },
  ]);
});

const context = {
  namespace: 'load',
  name: 'checkout-x7k2p',
  elapsedMs: 65_000,
  timeoutMs: 300_000,
};

test('the verdict: 0 Succeeded, 1 Failed with its failing conditions, 2 timeout, 130 interrupted', () => {
  const succeeded = followVerdict({ kind: 'finished', test: locustTest('Succeeded') }, context);
  assert.equal(succeeded.exitCode, 0);
  assert.deepEqual(succeeded.lines, ['SUCCEEDED: load/checkout-x7k2p completed after 1m5s']);

  const failed = followVerdict(
    { kind: 'finished', test: locustTest('Failed', failedConditions) },
    context,
  );
  assert.equal(failed.exitCode, 1);
  assert.deepEqual(failed.lines, [
    'FAILED: load/checkout-x7k2p failed after 1m5s',
    'Failing conditions:',
    '  Ready=False ResourcesFailed: Test failed',
    '  TestCompleted=True TestFailed: Test failed',
    '  PodsHealthy=False ImagePullError: 1 pod(s) cannot pull their image: demo-master-abc',
  ]);
  assert.equal(failed.json.outcome, 'failed');
  assert.equal((failed.json.failingConditions as unknown[]).length, 3);

  const timeout = followVerdict({ kind: 'timeout', test: locustTest('Running') }, context);
  assert.equal(timeout.exitCode, 2);
  assert.deepEqual(timeout.lines, [
    'TIMEOUT: load/checkout-x7k2p is still Running after 5m (--timeout); it keeps running in the cluster: locustctl delete checkout-x7k2p -n load',
  ]);

  const interrupted = followVerdict({ kind: 'interrupted', test: undefined }, context);
  assert.equal(interrupted.exitCode, 130);
  assert.match(interrupted.lines[0] ?? '', /^Stopped following load\/checkout-x7k2p \(Pending\)/);

  const deleted = followVerdict({ kind: 'deleted' }, context);
  assert.deepEqual([deleted.exitCode, deleted.json.outcome], [1, 'deleted']);
});
