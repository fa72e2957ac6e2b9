import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Deployment,
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
} from '@kubernetes/client-node';
import { releaseNamespace, renderChart } from './chart.ts';

/**
 * What the operator calls, and nothing else (src/runtime/kube-client.ts is its only client):
 * informers list and watch; the status write re-reads on Conflict (get); the legacy finalizer is
 * removed with a merge patch; children and Events are created; owner references with
 * blockOwnerDeletion need finalizers/update where OwnerReferencesPermissionEnforcement is on.
 */
const operatorRules: V1PolicyRule[] = [
  {
    apiGroups: ['locust.io'],
    resources: ['locusttests'],
    verbs: ['get', 'list', 'watch', 'patch'],
  },
  { apiGroups: ['locust.io'], resources: ['locusttests/status'], verbs: ['update'] },
  { apiGroups: ['locust.io'], resources: ['locusttests/finalizers'], verbs: ['update'] },
  { apiGroups: [''], resources: ['services'], verbs: ['list', 'watch', 'create'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch', 'create'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create'] },
];

const leaseRules: V1PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: ['locust-k8s-operator.locust.io'],
    verbs: ['get', 'update'],
  },
];

function operatorArgs(values: string[], sets: string[] = []): string[] {
  const deployment = renderChart(values, sets).get<V1Deployment>('Deployment', 'locust-operator');
  return deployment.spec?.template.spec?.containers[0]?.args ?? [];
}

test('cluster-wide by default: a ClusterRole with exactly the rules the operator uses', () => {
  const rendered = renderChart(['defaults.yaml']);
  const role = rendered.get<V1ClusterRole>('ClusterRole', 'locust-operator');
  assert.deepEqual(role.rules, operatorRules);
  const binding = rendered.get<V1ClusterRoleBinding>('ClusterRoleBinding', 'locust-operator');
  assert.deepEqual(binding.roleRef, {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'locust-operator',
  });
  assert.deepEqual(binding.subjects, [
    { kind: 'ServiceAccount', name: 'locust-operator', namespace: releaseNamespace },
  ]);
  assert.ok(!operatorArgs(['defaults.yaml']).some((a) => a.startsWith('--watch-namespace')));
});

test('the Lease is granted by name, in the release namespace only', () => {
  const rendered = renderChart(['defaults.yaml']);
  const role = rendered.get<V1Role>('Role', 'locust-operator-leader-election');
  assert.equal(role.metadata?.namespace, releaseNamespace);
  assert.deepEqual(role.rules, leaseRules);
  const binding = rendered.get<V1RoleBinding>('RoleBinding', 'locust-operator-leader-election');
  assert.equal(binding.metadata?.namespace, releaseNamespace);
  assert.deepEqual(binding.subjects, [
    { kind: 'ServiceAccount', name: 'locust-operator', namespace: releaseNamespace },
  ]);
  const without = renderChart([], ['leaderElection.enabled=false']);
  assert.equal(without.has('Role', 'locust-operator-leader-election'), false);
  assert.ok(operatorArgs([], ['leaderElection.enabled=false']).includes('--leader-elect=false'));
});

test('namespaced mode: a Role in the release namespace and --watch-namespace (weak spot 21)', () => {
  const rendered = renderChart(['namespaced.yaml']);
  assert.equal(rendered.has('ClusterRole'), false);
  assert.equal(rendered.has('ClusterRoleBinding'), false);
  const role = rendered.get<V1Role>('Role', 'locust-operator');
  assert.equal(role.metadata?.namespace, releaseNamespace);
  assert.deepEqual(role.rules, operatorRules);
  const binding = rendered.get<V1RoleBinding>('RoleBinding', 'locust-operator');
  assert.equal(binding.metadata?.namespace, releaseNamespace);
  assert.equal(binding.roleRef.kind, 'Role');
  assert.ok(operatorArgs(['namespaced.yaml']).includes(`--watch-namespace=${releaseNamespace}`));
});

test('namespaced mode can watch another namespace; the Lease stays in the release namespace', () => {
  const rendered = renderChart(['namespaced-other-namespace.yaml']);
  assert.equal(rendered.get<V1Role>('Role', 'locust-operator').metadata?.namespace, 'load-tests');
  const binding = rendered.get<V1RoleBinding>('RoleBinding', 'locust-operator');
  assert.equal(binding.metadata?.namespace, 'load-tests');
  assert.deepEqual(binding.subjects, [
    { kind: 'ServiceAccount', name: 'locust-operator', namespace: releaseNamespace },
  ]);
  assert.equal(
    rendered.get<V1Role>('Role', 'locust-operator-leader-election').metadata?.namespace,
    releaseNamespace,
  );
  assert.ok(
    operatorArgs(['namespaced-other-namespace.yaml']).includes('--watch-namespace=load-tests'),
  );
});

test('no secrets, no configmaps, no wildcards and no escalation verbs in any rendering', () => {
  for (const file of [
    'defaults.yaml',
    'namespaced.yaml',
    'webhook-cert-manager.yaml',
    'webhook-generated-certs.yaml',
    'metrics-servicemonitor.yaml',
    'otel-collector.yaml',
  ]) {
    const rendered = renderChart([file]);
    const rules = [...rendered.all('ClusterRole'), ...rendered.all('Role')].flatMap(
      (role) => (role as V1Role).rules ?? [],
    );
    for (const rule of rules) {
      const text = JSON.stringify(rule);
      assert.ok(!text.includes('*'), `${file}: wildcard in ${text}`);
      assert.ok(!/secrets|configmaps/.test(text), `${file}: ${text}`);
      assert.ok(!/"(escalate|bind|impersonate|delete|deletecollection)"/.test(text), text);
    }
    for (const binding of [...rendered.all('ClusterRoleBinding'), ...rendered.all('RoleBinding')])
      assert.notEqual((binding.roleRef as { name?: string } | undefined)?.name, 'cluster-admin');
  }
});

test('with an existing service account the bindings name it and no account is created', () => {
  const rendered = renderChart([], ['serviceAccount.create=false', 'serviceAccount.name=ops-bot']);
  assert.equal(rendered.has('ServiceAccount'), false);
  const binding = rendered.get<V1ClusterRoleBinding>('ClusterRoleBinding', 'locust-operator');
  assert.deepEqual(binding.subjects, [
    { kind: 'ServiceAccount', name: 'ops-bot', namespace: releaseNamespace },
  ]);
  const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator');
  assert.equal(deployment.spec?.template.spec?.serviceAccountName, 'ops-bot');
});
