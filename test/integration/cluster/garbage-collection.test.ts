import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { orNullIfNotFound, testClients, testNamespace } from '../../support/kube.ts';

const clients = testClients();

test('deleting an owner makes the garbage collector delete its dependents', async (t) => {
  const namespace = await testNamespace(t, clients);
  const owner = await clients.core.createNamespacedConfigMap({
    namespace,
    body: { metadata: { name: 'owner' }, data: { role: 'owner' } },
  });
  const ownerReference = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'owner',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
  await clients.core.createNamespacedService({
    namespace,
    body: {
      metadata: { name: 'dependent', ownerReferences: [ownerReference] },
      spec: { clusterIP: 'None', selector: { app: 'x' }, ports: [{ name: 'p', port: 5557 }] },
    },
  });
  await clients.batch.createNamespacedJob({
    namespace,
    body: {
      metadata: { name: 'dependent-job', ownerReferences: [ownerReference] },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'example.invalid/x' }] },
        },
      },
    },
  });
  await eventually(
    async () =>
      (await clients.core.listNamespacedPod({ namespace, labelSelector: 'job-name=dependent-job' }))
        .items.length > 0 || undefined,
    { description: 'the dependent Job to create its pod' },
  );

  await clients.core.deleteNamespacedConfigMap({ name: 'owner', namespace });

  await eventually(
    async () => {
      const [service, job, pods] = await Promise.all([
        orNullIfNotFound(clients.core.readNamespacedService({ name: 'dependent', namespace })),
        orNullIfNotFound(clients.batch.readNamespacedJob({ name: 'dependent-job', namespace })),
        clients.core.listNamespacedPod({ namespace, labelSelector: 'job-name=dependent-job' }),
      ]);
      if (service !== null) throw new Error('the Service still exists');
      if (job !== null) throw new Error('the Job still exists');
      if (pods.items.length > 0) throw new Error(`${String(pods.items.length)} pod(s) still exist`);
      return true;
    },
    { description: 'the garbage collector to delete the Service, the Job and its pods' },
  );
  assert.ok(true);
});
