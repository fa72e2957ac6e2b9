import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace } from '../../support/kube.ts';

const clients = testClients();

async function createPod(namespace: string, name: string, spec: Partial<V1PodSpec>): Promise<void> {
  await clients.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name },
      spec: { containers: [{ name: 'main', image: 'example.invalid/x:1' }], ...spec },
    },
  });
}

async function waitForPod(
  namespace: string,
  name: string,
  description: string,
  done: (pod: V1Pod) => boolean,
): Promise<V1Pod> {
  return eventually(
    async () => {
      const pod = await clients.core.readNamespacedPod({ name, namespace });
      return done(pod) ? pod : undefined;
    },
    { description },
  );
}

const scheduled = (pod: V1Pod): boolean =>
  Boolean(pod.spec?.nodeName) && pod.status?.phase === 'Running';
const unschedulable = (pod: V1Pod): boolean =>
  pod.status?.conditions?.some(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  ) ?? false;

test('a pod whose nodeSelector matches no node is reported Unschedulable by the scheduler', async (t) => {
  const namespace = await testNamespace(t, clients);
  await createPod(namespace, 'nowhere', { nodeSelector: { 'no-such-label': 'anywhere' } });
  const pod = await waitForPod(
    namespace,
    'nowhere',
    'PodScheduled=False/Unschedulable',
    unschedulable,
  );
  const condition = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  assert.match(condition?.message ?? '', /didn't match Pod's node affinity\/selector/);
  assert.equal(pod.spec?.nodeName, undefined);
});

test('nodeSelector workload-type=testing places a pod on the labelled node', async (t) => {
  const namespace = await testNamespace(t, clients);
  await createPod(namespace, 'labelled', { nodeSelector: { 'workload-type': 'testing' } });
  const pod = await waitForPod(namespace, 'labelled', 'the pod to run', scheduled);
  assert.equal(pod.spec?.nodeName, 'kwok-node-testing');
});

test('the tainted node takes only pods that tolerate its taint', async (t) => {
  const namespace = await testNamespace(t, clients);
  const selector = { dedicated: 'load-testing' };
  await createPod(namespace, 'tolerating', {
    nodeSelector: selector,
    tolerations: [
      { key: 'dedicated', operator: 'Equal', value: 'load-testing', effect: 'NoSchedule' },
    ],
  });
  await createPod(namespace, 'intolerant', { nodeSelector: selector });
  const tolerating = await waitForPod(
    namespace,
    'tolerating',
    'the tolerating pod to run',
    scheduled,
  );
  assert.equal(tolerating.spec?.nodeName, 'kwok-node-tainted');
  const intolerant = await waitForPod(
    namespace,
    'intolerant',
    'the intolerant pod to be Unschedulable',
    unschedulable,
  );
  const condition = intolerant.status?.conditions?.find((c) => c.type === 'PodScheduled');
  assert.match(condition?.message ?? '', /untolerated taint/);
});
