import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace } from '../../support/kube.ts';

const clients = testClients();

async function podWithOutcome(
  namespace: string,
  name: string,
  annotations: Record<string, string>,
  until: (pod: V1Pod, status: V1ContainerStatus | undefined) => boolean,
): Promise<V1Pod> {
  await clients.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, annotations },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'locust', image: 'example.invalid/locust:1' }],
      },
    },
  });
  return eventually(
    async () => {
      const pod = await clients.core.readNamespacedPod({ name, namespace });
      return until(pod, pod.status?.containerStatuses?.[0]) ? pod : undefined;
    },
    { description: `pod ${name} to reach its stage` },
  );
}

test('by default a pod becomes Running and Ready', async (t) => {
  const namespace = await testNamespace(t, clients);
  const pod = await podWithOutcome(namespace, 'default', {}, (p) => p.status?.phase === 'Running');
  assert.equal(pod.status?.containerStatuses?.[0]?.ready, true);
  assert.ok(pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
});

test('outcome=fail terminates the container with the given exit code and the pod Fails', async (t) => {
  const namespace = await testNamespace(t, clients);
  const pod = await podWithOutcome(
    namespace,
    'failing',
    { 'sim.locust-operator.dev/outcome': 'fail', 'sim.locust-operator.dev/exit-code': '3' },
    (p) => p.status?.phase === 'Failed',
  );
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  assert.equal(terminated?.exitCode, 3);
  assert.equal(terminated.reason, 'Error');
});

test('outcome=crash-loop reports CrashLoopBackOff with restarts', async (t) => {
  const namespace = await testNamespace(t, clients);
  const pod = await podWithOutcome(
    namespace,
    'crashing',
    { 'sim.locust-operator.dev/outcome': 'crash-loop' },
    (_, s) => s?.state?.waiting?.reason === 'CrashLoopBackOff',
  );
  const status = pod.status?.containerStatuses?.[0];
  assert.ok((status?.restartCount ?? 0) > 0);
  assert.equal(status?.lastState?.terminated?.exitCode, 1);
  assert.match(
    status.state?.waiting?.message ?? '',
    /back-off .* restarting failed container=locust pod=crashing/,
  );
});

test('outcome=image-pull-backoff reports ImagePullBackOff naming the image', async (t) => {
  const namespace = await testNamespace(t, clients);
  const pod = await podWithOutcome(
    namespace,
    'no-image',
    { 'sim.locust-operator.dev/outcome': 'image-pull-backoff' },
    (_, s) => s?.state?.waiting?.reason === 'ImagePullBackOff',
  );
  assert.equal(pod.status?.phase, 'Pending');
  assert.match(
    pod.status.containerStatuses?.[0]?.state?.waiting?.message ?? '',
    /example\.invalid\/locust:1/,
  );
});

test('outcome=config-error reports CreateContainerConfigError naming the missing ConfigMap', async (t) => {
  const namespace = await testNamespace(t, clients);
  const pod = await podWithOutcome(
    namespace,
    'no-config',
    {
      'sim.locust-operator.dev/outcome': 'config-error',
      'sim.locust-operator.dev/missing-configmap': 'locust-env-config',
    },
    (_, s) => s?.state?.waiting?.reason === 'CreateContainerConfigError',
  );
  assert.equal(pod.status?.phase, 'Pending');
  assert.equal(
    pod.status.containerStatuses?.[0]?.state?.waiting?.message,
    'configmap "locust-env-config" not found',
  );
});
