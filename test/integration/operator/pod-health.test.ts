import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTestSpec } from '../../../src/api/index.ts';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace } from '../../support/kube.ts';
import {
  basicTest,
  condition,
  createTest,
  testEvents,
  waitForStatus,
} from '../../support/locusttests.ts';
import { ensureCrd, startOperator, waitUntilReconciling } from '../../support/operator.ts';

const clients = testClients();
const graceSeconds = 6;

interface FailureCase {
  kind: string;
  reason: string;
  overrides: { worker?: Partial<LocustTestSpec['worker']>; spec?: Partial<LocustTestSpec> };
  message: RegExp;
}

const cases: FailureCase[] = [
  {
    kind: 'CrashLoopBackOff',
    reason: 'CrashLoopBackOff',
    overrides: { worker: { annotations: { 'sim.locust-operator.dev/outcome': 'crash-loop' } } },
    message:
      /^CrashLoopBackOff: 2 pod\(s\) affected \[sick-worker-\w+, sick-worker-\w+\]: back-off/,
  },
  {
    kind: 'ImagePullBackOff',
    reason: 'ImagePullError',
    overrides: {
      worker: { annotations: { 'sim.locust-operator.dev/outcome': 'image-pull-backoff' } },
    },
    message:
      /^ImagePullError: 2 pod\(s\) affected .*Back-off pulling image "locustio\/locust:2\.43\.3"/,
  },
  {
    kind: 'CreateContainerConfigError',
    reason: 'ConfigurationError',
    overrides: {
      worker: {
        annotations: {
          'sim.locust-operator.dev/outcome': 'config-error',
          'sim.locust-operator.dev/missing-configmap': 'sick-scripts',
        },
      },
    },
    message:
      /^ConfigurationError: 2 pod\(s\) affected .*: ConfigMap not found \(expected: sick-scripts\)\. configmap "sick-scripts" not found\. Create the ConfigMap and the pods will restart automatically\.$/,
  },
  {
    kind: 'Unschedulable (from the real scheduler)',
    reason: 'SchedulingError',
    overrides: { spec: { scheduling: { nodeSelector: { 'no-such-label': 'anywhere' } } } },
    message:
      /^SchedulingError: 3 pod\(s\) affected \[sick-master-\w+, sick-worker-\w+, sick-worker-\w+\]: 0\/4 nodes are available/,
  },
];

for (const failure of cases) {
  test(`${failure.kind} pods fail the test with PodsHealthy=False/${failure.reason} after the grace period, not before`, async (t) => {
    await ensureCrd(clients);
    const namespace = await testNamespace(t, clients);
    await waitUntilReconciling(
      startOperator(t, { namespace, podGracePeriod: `${String(graceSeconds)}s` }),
    );
    await createTest(clients, basicTest('sick', namespace, failure.overrides));

    const failed = await waitForStatus(
      clients,
      namespace,
      'sick',
      'Failed',
      (s) => s.phase === 'Failed',
    );
    const podsHealthy = condition(failed, 'PodsHealthy');
    assert.equal(podsHealthy?.status, 'False');
    assert.equal(podsHealthy.reason, failure.reason);
    assert.match(podsHealthy.message, failure.message);

    const pods = await clients.core.listNamespacedPod({
      namespace,
      labelSelector: 'performance-test-name=sick',
    });
    const oldest = Math.min(
      ...pods.items.map((pod) => new Date(pod.metadata?.creationTimestamp ?? 0).getTime()),
    );
    // Timestamps have second resolution; the condition may not turn False before the grace ends.
    const turnedFalse = Date.parse(podsHealthy.lastTransitionTime);
    assert.ok(
      turnedFalse >= oldest + (graceSeconds - 1) * 1000,
      `PodsHealthy turned False at ${podsHealthy.lastTransitionTime}, oldest pod created ${new Date(oldest).toISOString()}`,
    );
    // Events are recorded right after the status write that they describe.
    const events = await eventually(
      async () => {
        const all = await testEvents(clients, namespace, 'sick');
        return all.some((e) => e.reason === 'TestFailed') ? all : undefined;
      },
      { description: 'the TestFailed event' },
    );
    assert.equal(
      events.filter((e) => e.reason === 'PodFailure').length,
      1,
      'one PodFailure event, not one per pass',
    );
  });
}
