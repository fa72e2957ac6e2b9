import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import type { LocustTest } from '../../../src/api/index.ts';
import { KubeClient } from '../../../src/runtime/kube-client.ts';
import { resourceTypes } from '../../../src/runtime/resources.ts';
import { loadTestKubeConfig, testClients, testNamespace } from '../../support/kube.ts';
import {
  basicTest,
  condition,
  createTest,
  patchTestSpec,
  readTest,
  testEvents,
  waitForStatus,
} from '../../support/locusttests.ts';
import { ensureCrd, startOperator, waitUntilReconciling } from '../../support/operator.ts';

const clients = testClients();

/**
 * Records every phase the test goes through, from a watch: Pending can last only a few
 * milliseconds (the recreate follows at once), which polling can miss.
 */
async function recordPhases(
  namespace: string,
  name: string,
): Promise<{ phases: string[]; stop: () => void }> {
  const kube = new KubeClient(loadTestKubeConfig());
  const source = kube.listWatch<LocustTest>(resourceTypes.locustTests, { namespace });
  const abort = new AbortController();
  const phases: string[] = [];
  const note = (test: LocustTest): void => {
    const phase = test.status?.phase;
    if (test.metadata.name === name && phase && phases.at(-1) !== phase) phases.push(phase);
  };
  const { items, resourceVersion } = await source.list(abort.signal);
  items.forEach(note);
  void source.watch(
    resourceVersion,
    {
      onEvent: (_type, test) => {
        note(test);
      },
      onClose: () => undefined,
    },
    abort.signal,
  );
  return {
    phases,
    stop: () => {
      abort.abort();
      void kube.close();
    },
  };
}

for (const victim of ['Service', 'worker Job'] as const) {
  test(`deleting the ${victim} while Running brings the test back to Pending and everything is recreated`, async (t) => {
    await ensureCrd(clients);
    const namespace = await testNamespace(t, clients);
    await waitUntilReconciling(startOperator(t, { namespace }));
    await createTest(clients, basicTest('heal', namespace));
    await waitForStatus(clients, namespace, 'heal', 'Running', (s) => s.phase === 'Running');
    const read =
      victim === 'Service'
        ? () => clients.core.readNamespacedService({ name: 'heal-master', namespace })
        : () => clients.batch.readNamespacedJob({ name: 'heal-worker', namespace });
    const before = (await read()).metadata?.uid;
    const recorder = await recordPhases(namespace, 'heal');
    t.after(recorder.stop);

    if (victim === 'Service')
      await clients.core.deleteNamespacedService({ name: 'heal-master', namespace });
    else
      await clients.batch.deleteNamespacedJob({
        name: 'heal-worker',
        namespace,
        propagationPolicy: 'Background',
      });

    const after = await eventually(
      async () => {
        const uid = (await read()).metadata?.uid;
        return uid && uid !== before ? uid : undefined;
      },
      { description: `the ${victim} to be recreated` },
    );
    assert.notEqual(after, before);
    await waitForStatus(clients, namespace, 'heal', 'Running again', (s) => s.phase === 'Running');
    recorder.stop();
    assert.deepEqual(recorder.phases.slice(recorder.phases.indexOf('Pending') - 1), [
      'Running',
      'Pending',
      'Running',
    ]);
    await eventually(
      async () =>
        (await testEvents(clients, namespace, 'heal')).some(
          (e) => e.reason === 'ResourceDeleted' && e.message?.includes('was deleted externally'),
        ) || undefined,
      { description: 'a ResourceDeleted event' },
    );
  });
}

test('a spec edit sets SpecDrifted and changes nothing else', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await waitUntilReconciling(startOperator(t, { namespace }));
  await createTest(clients, basicTest('drift', namespace));
  const running = await waitForStatus(
    clients,
    namespace,
    'drift',
    'Running with workers',
    (s) => s.phase === 'Running' && s.connectedWorkers === 2,
  );
  const jobBefore = await clients.batch.readNamespacedJob({ name: 'drift-worker', namespace });

  const current = await readTest(clients, namespace, 'drift');
  await patchTestSpec(clients, namespace, 'drift', {
    worker: { ...current.spec.worker, replicas: 5 },
  });

  const drifted = await waitForStatus(
    clients,
    namespace,
    'drift',
    'SpecDrifted=True',
    (s) => condition(s, 'SpecDrifted')?.status === 'True',
  );
  assert.equal(condition(drifted, 'SpecDrifted')?.reason, 'SpecChangeIgnored');
  assert.equal(drifted.phase, 'Running');
  assert.equal(drifted.expectedWorkers, 2);
  assert.equal(drifted.startTime, running.startTime);
  const jobAfter = await clients.batch.readNamespacedJob({ name: 'drift-worker', namespace });
  assert.equal(jobAfter.metadata?.uid, jobBefore.metadata?.uid, 'the worker Job was not replaced');
  assert.equal(jobAfter.spec?.parallelism, 2, 'the worker Job was not changed');
  const pods = await clients.core.listNamespacedPod({
    namespace,
    labelSelector: 'performance-test-pod-name=drift-worker',
  });
  assert.equal(pods.items.length, 2);
});
