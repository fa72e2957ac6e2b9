import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  analysePodHealth,
  explainConfigError,
  podFailure,
} from '../../../src/status/pod-health.ts';
import { pod, t0 } from './fixtures.ts';

const old = t0 - 600_000;
const waiting = (reason: string, message: string): V1Pod['status'] => ({
  phase: 'Pending',
  containerStatuses: [
    {
      name: 'c',
      image: 'i',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: { waiting: { reason, message } },
    },
  ],
});

test('no pods yet is healthy: waiting for pods to be created', () => {
  const health = analysePodHealth([], undefined, t0, 120_000);
  assert.equal(health.healthy, true);
  assert.equal(health.condition.message, 'Waiting for pods to be created');
});

test('each failure kind is recognised', () => {
  const cases: [V1Pod['status'], string][] = [
    [
      {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/4 nodes are available',
          },
        ],
      },
      'SchedulingError',
    ],
    [waiting('ImagePullBackOff', 'Back-off pulling image "x"'), 'ImagePullError'],
    [waiting('ErrImagePull', 'pull failed'), 'ImagePullError'],
    [waiting('CreateContainerConfigError', 'configmap "a" not found'), 'ConfigurationError'],
    [waiting('CrashLoopBackOff', 'back-off'), 'CrashLoopBackOff'],
    [
      {
        phase: 'Failed',
        containerStatuses: [
          {
            name: 'c',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 2, reason: 'Error' } },
          },
        ],
      },
      'CrashLoopBackOff',
    ],
  ];
  for (const [status, type] of cases)
    assert.equal(podFailure(pod('p', old, status), undefined)?.type, type);
});

test('a native sidecar that was terminated is not a failure; a failed init container is', () => {
  const spec = {
    containers: [],
    initContainers: [{ name: 'exporter', restartPolicy: 'Always' }, { name: 'setup' }],
  };
  const terminated = (name: string) => ({
    name,
    image: 'i',
    imageID: '',
    ready: false,
    restartCount: 0,
    state: { terminated: { exitCode: 137, reason: 'Error' } },
  });
  const sidecarOnly: V1Pod = {
    ...pod('p', old, { phase: 'Succeeded', initContainerStatuses: [terminated('exporter')] }),
    spec,
  };
  assert.equal(podFailure(sidecarOnly, undefined), undefined);
  const initFailed: V1Pod = {
    ...pod('p', old, { phase: 'Failed', initContainerStatuses: [terminated('setup')] }),
    spec,
  };
  assert.equal(podFailure(initFailed, undefined)?.type, 'InitializationError');
});

test('the most important failure wins and the message lists the affected pods', () => {
  const pods = [
    pod('demo-worker-b', old, waiting('CrashLoopBackOff', 'crash')),
    pod(
      'demo-worker-a',
      old,
      waiting('CreateContainerConfigError', 'configmap "demo-scripts" not found'),
    ),
    pod(
      'demo-master-x',
      old,
      waiting('CreateContainerConfigError', 'configmap "demo-scripts" not found'),
    ),
  ];
  const health = analysePodHealth(pods, 'demo-scripts', t0, 120_000);
  assert.equal(health.healthy, false);
  assert.equal(health.condition.reason, 'ConfigurationError');
  assert.equal(
    health.condition.message,
    'ConfigurationError: 2 pod(s) affected [demo-master-x, demo-worker-a]: ConfigMap not found (expected: demo-scripts). configmap "demo-scripts" not found. Create the ConfigMap and the pods will restart automatically.',
  );
});

test('the ConfigMap hint follows the Go operator’s four cases', () => {
  assert.equal(
    explainConfigError('configmap "a" not found', 'a'),
    'ConfigMap not found (expected: a). configmap "a" not found',
  );
  assert.equal(explainConfigError('configmap "b" not found', 'a'), 'configmap "b" not found');
  assert.equal(
    explainConfigError('secret "s" not found', 'a'),
    'ConfigMap not found (expected: a). secret "s" not found',
  );
  assert.equal(explainConfigError('secret "s" not found', undefined), 'secret "s" not found');
});

test('the grace period runs from the oldest pod and healthy pods after it report All pods are healthy', () => {
  const young = analysePodHealth(
    [pod('a', t0 - 10_000), pod('b', t0 - 50_000)],
    undefined,
    t0,
    120_000,
  );
  assert.equal(young.requeueAfterMs, 70_000);
  const grown = analysePodHealth([pod('a', old)], undefined, t0, 120_000);
  assert.equal(grown.condition.message, 'All pods are healthy');
  assert.equal(grown.requeueAfterMs, undefined);
});
