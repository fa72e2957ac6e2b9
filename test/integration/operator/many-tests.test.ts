import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTest } from '../../../src/api/index.ts';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace } from '../../support/kube.ts';
import { basicTest, createTest } from '../../support/locusttests.ts';
import { ensureCrd, startOperator, waitUntilReconciling } from '../../support/operator.ts';

const clients = testClients();
const count = 50;

test('50 LocustTests created at once all reach Running with all workers, each with exactly one pair of Jobs', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await waitUntilReconciling(startOperator(t, { namespace }));
  const names = Array.from({ length: count }, (_, i) => `load-${String(i).padStart(2, '0')}`);
  await Promise.all(names.map((name) => createTest(clients, basicTest(name, namespace))));

  const tests = await eventually(
    async () => {
      const list = (await clients.custom.listNamespacedCustomObject({
        group: 'locust.io',
        version: 'v2',
        plural: 'locusttests',
        namespace,
      })) as { items: LocustTest[] };
      const lagging = list.items.filter(
        (item) => item.status?.phase !== 'Running' || item.status.connectedWorkers !== 2,
      );
      if (lagging.length > 0)
        throw new Error(
          `${String(lagging.length)} tests not yet Running with 2 workers, e.g. ${JSON.stringify(lagging[0]?.status ?? {})}`,
        );
      return list.items;
    },
    {
      description: `all ${String(count)} tests to run with their workers`,
      timeoutMs: 180_000,
      intervalMs: 500,
    },
  );
  assert.equal(tests.length, count);

  const jobs = (await clients.batch.listNamespacedJob({ namespace })).items;
  assert.equal(jobs.length, 2 * count, 'one master and one worker Job per test');
  const uidByName = new Map(tests.map((item) => [item.metadata.name, item.metadata.uid]));
  for (const job of jobs) {
    const owner = job.metadata?.ownerReferences?.[0];
    assert.equal(
      owner?.uid,
      uidByName.get(owner?.name),
      `${job.metadata?.name ?? ''} is owned by its test`,
    );
  }
  // Events are recorded right after the status writes they describe; wait for the last ones.
  await eventually(
    async () => {
      const events = (
        await clients.core.listNamespacedEvent({
          namespace,
          fieldSelector: 'involvedObject.kind=LocustTest',
        })
      ).items;
      for (const name of names) {
        const reasons = events.filter((e) => e.involvedObject.name === name).map((e) => e.reason);
        assert.equal(
          reasons.filter((r) => r === 'Created').length,
          3,
          `${name}: each object created once`,
        );
        assert.equal(reasons.filter((r) => r === 'TestStarted').length, 1, `${name}: started once`);
      }
      return true;
    },
    { description: 'exactly one Created event per object and one TestStarted per test' },
  );
});
