import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace } from '../../support/kube.ts';

const clients = testClients();

test('the API server reports the pinned Kubernetes version', async () => {
  const info = await clients.version.getCode();
  assert.equal(info.gitVersion, 'v1.36.3');
  assert.equal(info.major, '1');
  assert.equal(info.minor, '36');
});

test('the fake nodes are Ready, one labelled for testing and one tainted', async () => {
  const nodes = (await clients.core.listNode({ labelSelector: 'type=kwok' })).items;
  assert.ok(nodes.length >= 3, `expected at least 3 fake nodes, got ${String(nodes.length)}`);
  for (const node of nodes) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True', `node ${node.metadata?.name ?? '?'} is not Ready`);
  }
  assert.ok(nodes.some((n) => n.metadata?.labels?.['workload-type'] === 'testing'));
  assert.ok(
    nodes.some((n) =>
      n.spec?.taints?.some((t) => t.key === 'dedicated' && t.effect === 'NoSchedule'),
    ),
  );
});

test('a Job runs its pod on a fake node through Running to Succeeded and becomes Complete', async (t) => {
  const namespace = await testNamespace(t, clients);
  await clients.batch.createNamespacedJob({
    namespace,
    body: {
      metadata: { name: 'smoke' },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: {
            annotations: {
              'sim.locust-operator.dev/outcome': 'succeed',
              'sim.locust-operator.dev/after': '4s',
            },
          },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'example.invalid/smoke:1' }],
          },
        },
      },
    },
  });
  const podOf = async (): Promise<V1Pod | undefined> =>
    (await clients.core.listNamespacedPod({ namespace, labelSelector: 'job-name=smoke' })).items[0];

  const running = await eventually(
    async () => {
      const pod = await podOf();
      return pod?.status?.phase === 'Running' ? pod : undefined;
    },
    { description: 'the Job pod to be Running', intervalMs: 100 },
  );
  assert.equal(
    running.metadata?.ownerReferences?.[0]?.kind,
    'Job',
    'the Job controller created the pod',
  );
  const node = running.spec?.nodeName ?? '';
  assert.match(node, /^kwok-node-/, 'the scheduler bound the pod to a fake node');
  assert.ok(
    running.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True'),
  );

  const finished = await eventually(
    async () => {
      const pod = await podOf();
      return pod?.status?.phase === 'Succeeded' ? pod : undefined;
    },
    { description: 'the Job pod to Succeed' },
  );
  assert.equal(finished.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);

  await eventually(
    async () => {
      const job = await clients.batch.readNamespacedJob({ name: 'smoke', namespace });
      return job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')
        ? true
        : undefined;
    },
    { description: 'the Job to be Complete' },
  );
});
