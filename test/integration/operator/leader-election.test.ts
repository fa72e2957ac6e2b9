import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace } from '../../support/kube.ts';
import { basicTest, createTest, masterOutcome, waitForStatus } from '../../support/locusttests.ts';
import { ensureCrd, startOperator, type OperatorProcess } from '../../support/operator.ts';

const clients = testClients();
const leaseName = 'locust-k8s-operator.locust.io';

function candidate(t: TestContext, namespace: string): OperatorProcess {
  return startOperator(t, {
    namespace,
    args: ['--leader-elect', `--leader-election-namespace=${namespace}`],
  });
}

const leads = (operator: OperatorProcess): boolean =>
  operator.hasLogged('leading: starting controllers');

async function oneLeader(
  operators: OperatorProcess[],
): Promise<{ leader: OperatorProcess; followers: OperatorProcess[] }> {
  const leader = await eventually(() => operators.find(leads), {
    description: 'a leader to be elected',
    timeoutMs: 60_000,
  });
  // Both candidates have seen the lease once the follower reports the leader it observed.
  await eventually(
    () => operators.every((o) => o === leader || o.hasLogged('observed leader')) || undefined,
    {
      description: 'the followers to observe the leader',
    },
  );
  return { leader, followers: operators.filter((o) => o !== leader) };
}

test('with leader election exactly one of two operators reconciles; after kill -9 the other finishes the test', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  const operators = [candidate(t, namespace), candidate(t, namespace)];
  const { leader, followers } = await oneLeader(operators);
  const [follower] = followers;
  assert.ok(follower);
  assert.equal(operators.filter(leads).length, 1, 'exactly one operator leads');

  await createTest(
    clients,
    basicTest('handover', namespace, { master: { annotations: masterOutcome('succeed', '25s') } }),
  );
  await waitForStatus(clients, namespace, 'handover', 'Running', (s) => s.phase === 'Running');
  assert.ok(
    leader.logs.some((line) => line.msg === 'created'),
    'the leader created the objects',
  );
  assert.ok(
    !follower.logs.some((line) => line.msg === 'created' || line.msg === 'phase changed'),
    'the follower did nothing',
  );

  assert.equal(await leader.stop('SIGKILL'), 'SIGKILL');
  await eventually(() => leads(follower) || undefined, {
    description: 'the follower to take over',
    timeoutMs: 60_000,
  });
  const done = await waitForStatus(
    clients,
    namespace,
    'handover',
    'Succeeded after the failover',
    (s) => s.phase === 'Succeeded',
  );
  assert.equal(done.phase, 'Succeeded');
  // The operator logs the phase change just after the status write the test has already seen.
  await eventually(
    () =>
      follower.logs.some((line) => line.msg === 'phase changed' && line.to === 'Succeeded') ||
      undefined,
    { description: 'the new leader to log that it finished the test' },
  );
});

test('SIGTERM releases the lease so the other operator takes over at once', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  const operators = [candidate(t, namespace), candidate(t, namespace)];
  const { leader, followers } = await oneLeader(operators);
  const [follower] = followers;
  assert.ok(follower);
  const before = await clients.coordination.readNamespacedLease({ name: leaseName, namespace });
  const lastRenew = new Date(before.spec?.renewTime ?? 0).getTime();

  assert.equal(await leader.stop('SIGTERM'), 0, 'a graceful stop exits 0');
  await eventually(() => leads(follower) || undefined, {
    description: 'the follower to take over',
    timeoutMs: 60_000,
  });
  const after = await clients.coordination.readNamespacedLease({ name: leaseName, namespace });
  const acquired = new Date(after.spec?.acquireTime ?? 0).getTime();
  assert.notEqual(after.spec?.holderIdentity, before.spec?.holderIdentity);
  assert.equal(after.spec?.leaseTransitions, (before.spec?.leaseTransitions ?? 0) + 1);
  // Without the release the follower could not acquire before the lease (15 s) expired.
  assert.ok(
    acquired - lastRenew < 15_000,
    `acquired ${String(acquired - lastRenew)} ms after the last renewal`,
  );
});
