import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { eventually } from '../../support/eventually.ts';
import { statusCodeOf, testClients, testNamespace } from '../../support/kube.ts';

const clients = testClients();

function clientWithToken(token: string): CoreV1Api {
  const admin = clients.kubeConfig.getCurrentCluster();
  if (!admin) throw new Error('the test kubeconfig has no cluster');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [admin],
    users: [{ name: 'sa', token }],
    contexts: [{ name: 'sa', cluster: admin.name, user: 'sa' }],
    currentContext: 'sa',
  });
  return kubeConfig.makeApiClient(CoreV1Api);
}

test('service-account tokens are issued and RBAC decides what they may do', async (t) => {
  const namespace = await testNamespace(t, clients);
  await clients.core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name: 'probe' } },
  });
  const tokenRequest = await clients.core.createNamespacedServiceAccountToken({
    name: 'probe',
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 600 } },
  });
  const token = tokenRequest.status?.token ?? '';
  assert.ok(token.length > 0, 'the API server issued a token');
  const asServiceAccount = clientWithToken(token);

  const denied = await asServiceAccount.listNamespacedPod({ namespace }).then(
    () => undefined,
    (error: unknown) => statusCodeOf(error),
  );
  assert.equal(denied, 403, 'without a binding the service account may not list pods');

  await clients.rbac.createNamespacedRole({
    namespace,
    body: {
      metadata: { name: 'pod-reader' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
    },
  });
  await clients.rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: 'probe-reads-pods' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'probe', namespace }],
    },
  });
  await eventually(async () => (await asServiceAccount.listNamespacedPod({ namespace })).items, {
    description: 'the RoleBinding to let the service account list pods',
  });
  const stillDenied = await asServiceAccount.listNamespacedSecret({ namespace }).then(
    () => undefined,
    (error: unknown) => statusCodeOf(error),
  );
  assert.equal(stillDenied, 403, 'the binding grants pods only');
});
