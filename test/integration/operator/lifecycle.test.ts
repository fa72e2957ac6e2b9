import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { orNullIfNotFound, testClients, testNamespace } from '../../support/kube.ts';
import {
  basicTest,
  condition,
  createTest,
  deleteTest,
  masterOutcome,
  testEvents,
  waitForStatus,
} from '../../support/locusttests.ts';
import { ensureCrd, startOperator, waitUntilReconciling } from '../../support/operator.ts';

const clients = testClients();

test('a test whose master completes goes Running then Succeeded, with workers, conditions and times', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await waitUntilReconciling(startOperator(t, { namespace }));
  await createTest(
    clients,
    basicTest('happy', namespace, { master: { annotations: masterOutcome('succeed', '8s') } }),
  );

  const running = await waitForStatus(
    clients,
    namespace,
    'happy',
    'Running with 2 connected workers',
    (s) => s.phase === 'Running' && s.connectedWorkers === 2,
  );
  assert.equal(running.expectedWorkers, 2);
  assert.equal(condition(running, 'Ready')?.reason, 'ResourcesCreated');
  assert.equal(condition(running, 'WorkersConnected')?.reason, 'AllWorkersConnected');
  assert.equal(condition(running, 'WorkersConnected')?.message, '2/2 workers connected');

  const done = await waitForStatus(
    clients,
    namespace,
    'happy',
    'Succeeded',
    (s) => s.phase === 'Succeeded',
  );
  assert.equal(condition(done, 'TestCompleted')?.status, 'True');
  assert.equal(condition(done, 'TestCompleted')?.reason, 'TestSucceeded');
  assert.ok(done.startTime && done.completionTime, 'start and completion times are set');
  assert.ok(Date.parse(done.completionTime) >= Date.parse(done.startTime));
  assert.equal(done.observedGeneration, 1);

  // Events are recorded right after the status write that they describe.
  const reasons = await eventually(
    async () => {
      const seen = (await testEvents(clients, namespace, 'happy')).map((e) => e.reason);
      return seen.includes('TestCompleted') ? seen : undefined;
    },
    { description: 'the TestCompleted event' },
  );
  for (const reason of ['Created', 'TestStarted', 'TestCompleted'])
    assert.ok(reasons.includes(reason), `event ${reason} in ${reasons.join(',')}`);
  assert.equal(
    reasons.filter((r) => r === 'Created').length,
    3,
    'one Created event per owned object',
  );
  // A reconcile that read the cache before it showed our own status write re-did Pending →
  // Running (a 409, a re-read and a second TestStarted) until own writes were remembered.
  assert.equal(reasons.filter((r) => r === 'TestStarted').length, 1, 'one TestStarted event');
});

test('a test whose master fails ends Failed with TestCompleted=True/TestFailed and Ready=False', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await waitUntilReconciling(startOperator(t, { namespace }));
  await createTest(
    clients,
    basicTest('sad', namespace, { master: { annotations: masterOutcome('fail', '3s') } }),
  );

  const failed = await waitForStatus(
    clients,
    namespace,
    'sad',
    'Failed',
    (s) => s.phase === 'Failed',
  );
  assert.equal(condition(failed, 'TestCompleted')?.reason, 'TestFailed');
  assert.equal(condition(failed, 'Ready')?.status, 'False');
  assert.equal(condition(failed, 'Ready')?.reason, 'ResourcesFailed');
  assert.ok(failed.completionTime);
  await eventually(
    async () =>
      (await testEvents(clients, namespace, 'sad')).some(
        (e) => e.reason === 'TestFailed' && e.type === 'Warning',
      ) || undefined,
    { description: 'a Warning TestFailed event' },
  );
});

test('owned objects carry a controller reference, and deleting the test garbage-collects them', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await waitUntilReconciling(startOperator(t, { namespace }));
  await createTest(clients, basicTest('doomed', namespace));
  await waitForStatus(clients, namespace, 'doomed', 'Running', (s) => s.phase === 'Running');
  const pods = await eventually(
    async () => {
      const list = await clients.core.listNamespacedPod({
        namespace,
        labelSelector: 'performance-test-name=doomed',
      });
      return list.items.length === 3 ? list.items : undefined;
    },
    { description: 'the master and 2 worker pods' },
  );
  assert.equal(pods.length, 3);
  const service = await clients.core.readNamespacedService({ name: 'doomed-master', namespace });
  assert.equal(service.spec?.clusterIP, 'None', 'the master Service is headless');
  const owner = service.metadata?.ownerReferences?.[0];
  assert.equal(owner?.kind, 'LocustTest');
  assert.equal(owner.controller, true);
  assert.equal(owner.blockOwnerDeletion, true);

  await deleteTest(clients, namespace, 'doomed');
  await eventually(
    async () => {
      const [svc, master, worker, left] = await Promise.all([
        orNullIfNotFound(clients.core.readNamespacedService({ name: 'doomed-master', namespace })),
        orNullIfNotFound(clients.batch.readNamespacedJob({ name: 'doomed-master', namespace })),
        orNullIfNotFound(clients.batch.readNamespacedJob({ name: 'doomed-worker', namespace })),
        clients.core.listNamespacedPod({
          namespace,
          labelSelector: 'performance-test-name=doomed',
        }),
      ]);
      if (svc || master || worker) throw new Error('an owned Service or Job still exists');
      if (left.items.length > 0) throw new Error(`${String(left.items.length)} pods still exist`);
      return true;
    },
    { description: 'the garbage collector to remove the Service, Jobs and Pods' },
  );
});
