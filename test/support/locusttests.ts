/** Building, applying and reading LocustTests in integration tests. */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { LocustTest, LocustTestSpec, LocustTestStatus } from '../../src/api/index.ts';
import { eventually } from './eventually.ts';
import type { TestClients } from './kube.ts';

const api = { group: 'locust.io', version: 'v2', plural: 'locusttests' };

/** A basic test: 2 workers, test files from ConfigMap `<name>-scripts`, master annotations for KWOK. */
export function basicTest(
  name: string,
  namespace: string,
  overrides: {
    master?: Partial<LocustTestSpec['master']>;
    worker?: Partial<LocustTestSpec['worker']>;
    spec?: Partial<LocustTestSpec>;
  } = {},
): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name, namespace },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: {
        command: '--locustfile /lotest/src/locustfile.py --host http://127.0.0.1:8080',
        ...overrides.master,
      },
      worker: {
        command: '--locustfile /lotest/src/locustfile.py',
        replicas: 2,
        ...overrides.worker,
      },
      testFiles: { configMapRef: `${name}-scripts` },
      ...overrides.spec,
    },
  };
}

/** Master annotations that make KWOK finish the master pod (succeed or fail) after a delay. */
export function masterOutcome(outcome: 'succeed' | 'fail', after: string): Record<string, string> {
  return { 'sim.locust-operator.dev/outcome': outcome, 'sim.locust-operator.dev/after': after };
}

export async function createTest(clients: TestClients, test: LocustTest): Promise<void> {
  const namespace = test.metadata.namespace ?? 'default';
  await clients.core
    .createNamespacedConfigMap({
      namespace,
      body: {
        metadata: { name: `${test.metadata.name ?? ''}-scripts` },
        data: { 'locustfile.py': 'from locust import HttpUser\n' },
      },
    })
    .catch(() => undefined);
  await clients.custom.createNamespacedCustomObject({ ...api, namespace, body: test });
}

export async function readTest(
  clients: TestClients,
  namespace: string,
  name: string,
): Promise<LocustTest> {
  return (await clients.custom.getNamespacedCustomObject({
    ...api,
    namespace,
    name,
  })) as LocustTest;
}

export async function patchTestSpec(
  clients: TestClients,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): Promise<void> {
  const current = await readTest(clients, namespace, name);
  await clients.custom.replaceNamespacedCustomObject({
    ...api,
    namespace,
    name,
    body: { ...current, spec: { ...current.spec, ...spec } },
  });
}

export async function deleteTest(
  clients: TestClients,
  namespace: string,
  name: string,
): Promise<void> {
  await clients.custom.deleteNamespacedCustomObject({ ...api, namespace, name });
}

/** Polls the test until its status satisfies the predicate; returns that status. */
export function waitForStatus(
  clients: TestClients,
  namespace: string,
  name: string,
  description: string,
  predicate: (status: LocustTestStatus) => boolean,
  timeoutMs = 90_000,
): Promise<LocustTestStatus> {
  return eventually(
    async () => {
      const status = (await readTest(clients, namespace, name)).status;
      if (!status) throw new Error('no status yet');
      if (!predicate(status)) throw new Error(`status is ${JSON.stringify(status)}`);
      return status;
    },
    { description: `${namespace}/${name}: ${description}`, timeoutMs, intervalMs: 100 },
  );
}

export function condition(
  status: LocustTestStatus,
  type: string,
): NonNullable<LocustTestStatus['conditions']>[number] | undefined {
  return status.conditions?.find((c) => c.type === type);
}

/** Events about the named LocustTest, oldest first. */
export async function testEvents(
  clients: TestClients,
  namespace: string,
  name: string,
): Promise<CoreV1Event[]> {
  const events = await clients.core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.kind=LocustTest,involvedObject.name=${name}`,
  });
  return events.items;
}
