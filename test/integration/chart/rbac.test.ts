/**
 * The chart's RBAC is exactly what the operator needs: installed with helm, the chart's
 * ServiceAccount (a TokenRequest token) runs the real operator, with the chart Deployment's args
 * and env, through a LocustTest's whole lifecycle, self-healing and leader election — cluster-wide
 * and namespaced. Then every verb of every rule is removed in turn and the API server's Forbidden
 * answer shows up in the operator's logs.
 *
 * Runs on its own local cluster `rbac` (started if needed, stopped afterwards unless KEEP_CLUSTER=1
 * or it was already running): a cluster-wide operator reconciles every namespace, and must not
 * touch the LocustTests of tests running beside it on the shared cluster.
 */
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { AuthorizationV1Api, V1PolicyRule, type V1Role } from '@kubernetes/client-node';
import { clusterDown, clusterUp, isClusterUp } from '../../../scripts/control-plane/cluster.ts';
import { clusterLayout } from '../../../scripts/control-plane/layout.ts';
import type { LocustTest } from '../../../src/api/index.ts';
import { eventually } from '../../support/eventually.ts';
import { waitForCrdEstablished } from '../../support/operator.ts';
import {
  loadTestKubeConfig,
  orNullIfNotFound,
  testClients,
  testNamespace,
  type TestClients,
} from '../../support/kube.ts';
import {
  basicTest,
  createTest,
  deleteTest,
  masterOutcome,
  readTest,
  testEvents,
  waitForStatus,
} from '../../support/locusttests.ts';
import {
  chartCommand,
  describeMatch,
  forbidden,
  installChart,
  serviceAccountKubeconfig,
  startOperatorAs,
  waitForLog,
  type ChartCommand,
  type Installation,
  type OperatorProcess,
  uninstallChart,
} from './chart-install.ts';

const layout = clusterLayout('rbac');
const leaseName = 'locust-k8s-operator.locust.io';
const legacyFinalizer = 'locust.io/cleanup';
const testsApi = { group: 'locust.io', version: 'v2', plural: 'locusttests' };
let clients: TestClients;
let authorization: AuthorizationV1Api;
let startedCluster = false;

before(async () => {
  startedCluster = !(await isClusterUp(layout));
  await clusterUp(layout);
  const kubeConfig = loadTestKubeConfig(layout.kubeconfig);
  clients = testClients(kubeConfig);
  authorization = kubeConfig.makeApiClient(AuthorizationV1Api);
});

after(async () => {
  if (startedCluster && process.env.KEEP_CLUSTER !== '1') await clusterDown(layout);
});

async function crdEstablished(): Promise<void> {
  await waitForCrdEstablished(clients, 'the CRD from the chart to be Established');
}

/** Installs the chart and starts the operator as its ServiceAccount; returns once it leads. */
async function installAndRun(
  t: TestContext,
  sets: string[],
): Promise<{
  installation: Installation;
  command: ChartCommand;
  kubeconfig: string;
  operator: OperatorProcess;
}> {
  const namespace = await testNamespace(t, clients);
  const installation = installChart(t, layout.kubeconfig, namespace, sets);
  await crdEstablished();
  const kubeconfig = await serviceAccountKubeconfig(t, clients, namespace, installation.fullname);
  const command = await chartCommand(clients, installation);
  const operator = startOperatorAs(t, kubeconfig, command, [
    `--leader-election-namespace=${namespace}`,
  ]);
  const leading = await waitForLog(operator, /^leading: starting controllers$/);
  await waitForLog(operator, /^starting workers$/);
  const lease = await clients.coordination.readNamespacedLease({ name: leaseName, namespace });
  assert.equal(lease.spec?.holderIdentity, leading.identity, 'the operator holds the Lease');
  return { installation, command, kubeconfig, operator };
}

/** Pending → Running → (Service deleted) → Pending → Running → Succeeded, with Events. */
async function runLifecycle(namespace: string, name: string): Promise<void> {
  await createTest(
    clients,
    basicTest(name, namespace, { master: { annotations: masterOutcome('succeed', '20s') } }),
  );
  await waitForStatus(clients, namespace, name, 'Running', (s) => s.phase === 'Running');
  const service = `${name}-master`;
  const original = await clients.core.readNamespacedService({ name: service, namespace });
  await clients.core.deleteNamespacedService({ name: service, namespace });
  await eventually(
    async () => {
      const uid = (await clients.core.readNamespacedService({ name: service, namespace })).metadata
        ?.uid;
      return uid !== original.metadata?.uid ? uid : undefined;
    },
    { description: `the Service ${service} to be recreated` },
  );
  const done = await waitForStatus(
    clients,
    namespace,
    name,
    'Succeeded',
    (s) => s.phase === 'Succeeded',
    120_000,
  );
  assert.equal(done.expectedWorkers, 2);
  const reasons = await eventually(
    async () => {
      const seen = (await testEvents(clients, namespace, name)).map((e) => e.reason);
      return seen.includes('TestCompleted') ? seen : undefined;
    },
    { description: 'the TestCompleted event' },
  );
  for (const reason of ['Created', 'TestStarted', 'ResourceDeleted', 'TestCompleted'])
    assert.ok(reasons.includes(reason), `event ${reason} in ${reasons.join(',')}`);
}

/** Creates a test carrying the Go operator's finalizer and deletes it. */
async function deleteLegacyTest(namespace: string, name: string): Promise<void> {
  const legacy: LocustTest = basicTest(name, namespace);
  legacy.metadata.finalizers = [legacyFinalizer];
  await createTest(clients, legacy);
  await deleteTest(clients, namespace, name);
}

/** Ours removes the Go operator's finalizer (a merge patch) once such a test is deleted. */
async function legacyFinalizerIsRemoved(
  operator: OperatorProcess,
  namespace: string,
  name: string,
): Promise<void> {
  await deleteLegacyTest(namespace, name);
  await eventually(
    async () => ((await orNullIfNotFound(readTest(clients, namespace, name))) ? undefined : true),
    { description: 'the deleted test with the legacy finalizer to disappear' },
  );
  assert.ok(operator.logged(/^removed the legacy finalizer$/), 'the operator removed it');
}

test('cluster-wide install: the chart ServiceAccount runs a test through its lifecycle in any namespace', async (t) => {
  const { installation, command, operator } = await installAndRun(t, []);
  assert.match(installation.notes, /reconciles LocustTests in every namespace/);
  assert.ok(!command.args.some((a) => a.startsWith('--watch-namespace')));
  assert.ok(command.args.includes('--leader-elect=true'));

  const elsewhere = await testNamespace(t, clients);
  await runLifecycle(elsewhere, 'life');
  await legacyFinalizerIsRemoved(operator, elsewhere, 'legacy');
  assert.equal(operator.logged(forbidden), undefined, 'no request was forbidden');

  assert.equal(await operator.stop('SIGTERM'), 0);
  const lease = await clients.coordination.readNamespacedLease({
    name: leaseName,
    namespace: installation.namespace,
  });
  assert.ok(!lease.spec?.holderIdentity, 'the Lease was released on SIGTERM');
});

test('namespaced install: a Role in the release namespace is enough (weak spot 21)', async (t) => {
  const { installation, command, operator } = await installAndRun(t, [
    'k8s.clusterRole.enabled=false',
  ]);
  const { namespace } = installation;
  assert.match(installation.notes, new RegExp(`in namespace ${namespace} only`));
  assert.ok(command.args.includes(`--watch-namespace=${namespace}`));
  const clusterRole = await orNullIfNotFound(
    clients.rbac.readClusterRole({ name: installation.fullname }),
  );
  assert.equal(clusterRole, null, 'no ClusterRole');

  await runLifecycle(namespace, 'life');
  await legacyFinalizerIsRemoved(operator, namespace, 'legacy');
  assert.equal(operator.logged(forbidden), undefined, 'no request was forbidden');
});

test('helm uninstall keeps the CRD and the tests (weak spot 23)', async (t) => {
  const namespace = await testNamespace(t, clients);
  const installation = installChart(t, layout.kubeconfig, namespace);
  await crdEstablished();
  await createTest(clients, basicTest('kept', namespace));
  uninstallChart(layout.kubeconfig, installation);
  const deployment = await orNullIfNotFound(
    clients.apps.readNamespacedDeployment({ name: installation.fullname, namespace }),
  );
  assert.equal(deployment, null, 'the release is gone');
  await crdEstablished();
  assert.equal((await readTest(clients, namespace, 'kept')).metadata.name, 'kept');
});

/** One verb of one rule of the chart's Roles, and how to make the operator need it. */
interface VerbCheck {
  role: 'operator' | 'leader-election';
  group: string;
  resource: string;
  verb: string;
  /** The name the rule is limited to, when it is. */
  resourceName?: string;
  /** What the operator must be asked to do for the verb to matter (nothing: it needs it at start). */
  provoke?: 'create-test' | 'legacy-finalizer' | 'status-conflict';
}

const verbChecks: VerbCheck[] = [
  ...['list', 'watch'].flatMap((verb) =>
    [
      ['locust.io', 'locusttests'],
      ['', 'services'],
      ['batch', 'jobs'],
      ['', 'pods'],
    ].map(([group = '', resource = '']): VerbCheck => ({
      role: 'operator',
      group,
      resource,
      verb,
    })),
  ),
  {
    role: 'operator',
    group: 'locust.io',
    resource: 'locusttests',
    verb: 'get',
    provoke: 'status-conflict',
  },
  {
    role: 'operator',
    group: 'locust.io',
    resource: 'locusttests',
    verb: 'patch',
    provoke: 'legacy-finalizer',
  },
  {
    role: 'operator',
    group: 'locust.io',
    resource: 'locusttests/status',
    verb: 'update',
    provoke: 'create-test',
  },
  { role: 'operator', group: '', resource: 'services', verb: 'create', provoke: 'create-test' },
  { role: 'operator', group: 'batch', resource: 'jobs', verb: 'create', provoke: 'create-test' },
  { role: 'operator', group: '', resource: 'events', verb: 'create', provoke: 'create-test' },
  { role: 'leader-election', group: 'coordination.k8s.io', resource: 'leases', verb: 'create' },
  ...['get', 'update'].map((verb): VerbCheck => ({
    role: 'leader-election',
    group: 'coordination.k8s.io',
    resource: 'leases',
    verb,
    resourceName: leaseName,
  })),
];

function withoutVerb(rules: V1PolicyRule[], check: VerbCheck): V1PolicyRule[] {
  let removed = 0;
  const remaining = rules.flatMap((rule) => {
    const matches =
      rule.apiGroups?.includes(check.group) &&
      rule.resources?.includes(check.resource) &&
      rule.verbs.includes(check.verb) &&
      (rule.resourceNames ?? []).join() === (check.resourceName ?? '');
    if (!matches) return [rule];
    removed++;
    const verbs = rule.verbs.filter((v) => v !== check.verb);
    return verbs.length === 0 ? [] : [Object.assign(new V1PolicyRule(), rule, { verbs })];
  });
  assert.equal(removed, 1, `exactly one rule grants ${check.verb} ${check.resource}`);
  return remaining;
}

async function setRules(namespace: string, name: string, rules: V1PolicyRule[]): Promise<void> {
  const role: V1Role = await clients.rbac.readNamespacedRole({ name, namespace });
  role.rules = rules;
  await clients.rbac.replaceNamespacedRole({ name, namespace, body: role });
}

/** Waits until the authorizer's answer for the ServiceAccount is `allowed`. */
async function authorizerSays(
  installation: Installation,
  check: VerbCheck,
  allowed: boolean,
): Promise<void> {
  const [resource = '', subresource] = check.resource.split('/');
  await eventually(
    async () => {
      const review = await authorization.createSubjectAccessReview({
        body: {
          spec: {
            user: `system:serviceaccount:${installation.namespace}:${installation.fullname}`,
            groups: ['system:serviceaccounts', `system:serviceaccounts:${installation.namespace}`],
            resourceAttributes: {
              namespace: installation.namespace,
              group: check.group,
              resource,
              verb: check.verb,
              ...(subresource === undefined ? {} : { subresource }),
              ...(check.resourceName === undefined ? {} : { name: check.resourceName }),
            },
          },
        },
      });
      return review.status?.allowed === allowed || undefined;
    },
    { description: `the authorizer to say allowed=${String(allowed)}`, timeoutMs: 10_000 },
  );
}

/** Keeps changing the test so that the operator's status writes meet a stale resourceVersion. */
async function whileConflicting<T>(namespace: string, name: string, until: Promise<T>): Promise<T> {
  const state = { done: false };
  const hammer = (async () => {
    for (let i = 0; !state.done; i++) {
      await clients.custom
        .patchNamespacedCustomObject({
          ...testsApi,
          namespace,
          name,
          // A JSON patch: the client sends application/json-patch+json.
          body: [
            {
              op: 'add',
              path: '/metadata/annotations',
              value: { 'rbac-test/touch': String(i) },
            },
          ],
        })
        .catch(() => undefined);
    }
  })();
  try {
    return await until;
  } finally {
    state.done = true;
    await hammer;
  }
}

async function removeTest(namespace: string, name: string): Promise<void> {
  const existing = await orNullIfNotFound(readTest(clients, namespace, name));
  if (!existing) return;
  if (existing.metadata.finalizers?.length)
    await clients.custom.patchNamespacedCustomObject({
      ...testsApi,
      namespace,
      name,
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
  await orNullIfNotFound(deleteTest(clients, namespace, name));
}

test('without any one verb of the chart rules the operator is refused (namespaced install)', async (t) => {
  const namespace = await testNamespace(t, clients);
  const installation = installChart(t, layout.kubeconfig, namespace, [
    'k8s.clusterRole.enabled=false',
  ]);
  await crdEstablished();
  const kubeconfig = await serviceAccountKubeconfig(t, clients, namespace, installation.fullname);
  const command = await chartCommand(clients, installation);
  const roleName = (check: VerbCheck): string =>
    check.role === 'operator' ? installation.fullname : `${installation.fullname}-leader-election`;

  for (const [index, check] of verbChecks.entries()) {
    const label = `${check.verb} ${check.resource}${check.resourceName ? ` (${check.resourceName})` : ''}`;
    await t.test(`without ${label} the API server refuses the operator`, async (st) => {
      const role: V1Role = await clients.rbac.readNamespacedRole({
        name: roleName(check),
        namespace,
      });
      const original = role.rules ?? [];
      await setRules(namespace, roleName(check), withoutVerb(original, check));
      st.after(async () => {
        await setRules(namespace, roleName(check), original);
        await authorizerSays(installation, check, true);
      });
      await authorizerSays(installation, check, false);
      // Every check starts without a Lease, so its create, get and update paths are predictable.
      await clients.coordination
        .deleteNamespacedLease({ name: leaseName, namespace })
        .catch(() => undefined);

      const operator = startOperatorAs(st, kubeconfig, command, ['--log-level=debug']);
      const name = `v${String(index)}`;
      st.after(() => removeTest(namespace, name));
      // The API server's Forbidden wording; inside a watch error the body is quoted JSON.
      const refusal = new RegExp(`cannot ${check.verb} resource \\\\?"${check.resource}\\\\?"`);
      switch (check.provoke) {
        case undefined:
          break;
        case 'create-test':
          await createTest(clients, basicTest(name, namespace));
          break;
        case 'legacy-finalizer':
          await deleteLegacyTest(namespace, name);
          break;
        case 'status-conflict':
          await createTest(clients, basicTest(name, namespace));
          break;
      }
      const seen =
        check.provoke === 'status-conflict'
          ? await whileConflicting(namespace, name, waitForLog(operator, refusal, 45_000))
          : await waitForLog(operator, refusal, 45_000);
      st.diagnostic(describeMatch(seen, refusal));
      await operator.stop('SIGKILL');
    });
  }

  await t.test(
    'without update locusttests/finalizers tests still run here: the rule is for OwnerReferencesPermissionEnforcement',
    async (st) => {
      const check: VerbCheck = {
        role: 'operator',
        group: 'locust.io',
        resource: 'locusttests/finalizers',
        verb: 'update',
      };
      const role: V1Role = await clients.rbac.readNamespacedRole({
        name: roleName(check),
        namespace,
      });
      const original = role.rules ?? [];
      await setRules(namespace, roleName(check), withoutVerb(original, check));
      st.after(async () => {
        await setRules(namespace, roleName(check), original);
      });
      await authorizerSays(installation, check, false);
      await clients.coordination
        .deleteNamespacedLease({ name: leaseName, namespace })
        .catch(() => undefined);
      const operator = startOperatorAs(st, kubeconfig, command);
      st.after(() => removeTest(namespace, 'owners'));
      await createTest(clients, basicTest('owners', namespace));
      await waitForStatus(clients, namespace, 'owners', 'Running', (s) => s.phase === 'Running');
      // This cluster does not enable the admission plugin that checks blockOwnerDeletion against
      // finalizers/update (docs/install.md), so nothing was refused.
      assert.equal(operator.logged(forbidden), undefined);
      await operator.stop('SIGKILL');
    },
  );
});
