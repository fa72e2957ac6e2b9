import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { freeLoopbackPorts } from '../../../src/local/free-port.ts';
import { generateSelfSigned, writeSelfSigned } from '../../../src/webhook/certificates.ts';
import {
  buildCrdConversion,
  buildValidatingWebhookConfiguration,
  localBaseUrl,
} from '../../../src/webhook/registration.ts';
import { upstreamSamples } from '../../support/compat.ts';
import { eventually } from '../../support/eventually.ts';
import { testClients, testNamespace, type TestClients } from '../../support/kube.ts';
import { kubectl } from '../../support/kubectl.ts';
import { applyUpstreamV2Samples } from '../../support/upstream-verdicts.ts';
import { readTest, waitForStatus } from '../../support/locusttests.ts';
import { ensureCrd, startOperator, type OperatorProcess } from '../../support/operator.ts';

const clients = testClients();
const crdName = 'locusttests.locust.io';

/**
 * Starts the operator with its webhook on 127.0.0.1 and points the API server at it: a
 * ValidatingWebhookConfiguration scoped to the test namespace, and the CRD's conversion webhook
 * (restored to None afterwards, so other tests never depend on this process).
 */
async function withWebhooks(
  t: TestContext,
  c: TestClients,
  namespace: string,
): Promise<OperatorProcess> {
  const certDir = mkdtempSync(join(tmpdir(), 'webhook-certs-'));
  t.after(() => {
    rmSync(certDir, { recursive: true, force: true });
  });
  const pair = await generateSelfSigned(['127.0.0.1']);
  await writeSelfSigned(certDir, pair);
  const [port] = await freeLoopbackPorts(1);
  assert.ok(port !== undefined);
  const operator = startOperator(t, {
    namespace,
    args: [
      '--enable-webhooks',
      `--webhook-cert-path=${certDir}`,
      `--webhook-port=${String(port)}`,
      '--webhook-host=127.0.0.1',
    ],
  });
  await eventually(() => operator.hasLogged('webhook server started') || undefined, {
    description: 'the webhook server to start',
  });
  const registration = { endpoint: { baseUrl: localBaseUrl(port) }, caPem: pair.caPem };
  const configuration = buildValidatingWebhookConfiguration({
    ...registration,
    name: `locust-${namespace}`,
  });
  for (const webhook of configuration.webhooks ?? []) {
    webhook.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
  }
  await c.admission.createValidatingWebhookConfiguration({ body: configuration });
  t.after(() => c.admission.deleteValidatingWebhookConfiguration({ name: `locust-${namespace}` }));
  const crd = await c.apiextensions.readCustomResourceDefinition({ name: crdName });
  await c.apiextensions.replaceCustomResourceDefinition({
    name: crdName,
    body: { ...crd, spec: { ...crd.spec, conversion: buildCrdConversion(registration) } },
  });
  t.after(async () => {
    const current = await c.apiextensions.readCustomResourceDefinition({ name: crdName });
    await c.apiextensions.replaceCustomResourceDefinition({
      name: crdName,
      body: { ...current, spec: { ...current.spec, conversion: { strategy: 'None' } } },
    });
  });
  return operator;
}

const webhookViolation = {
  apiVersion: 'locust.io/v2',
  kind: 'LocustTest',
  metadata: { name: 'reserved-paths' },
  spec: {
    image: 'locustio/locust:2.43.3',
    master: { command: '--locustfile /lotest/src/t.py' },
    worker: { command: '--locustfile /lotest/src/t.py', replicas: 1 },
    testFiles: { configMapRef: 'scripts' },
    env: { secretMounts: [{ name: 'creds', mountPath: '/lotest/src/creds' }] },
    volumes: [{ name: 'locust-lib', emptyDir: {} }],
  },
};

test('kubectl apply: upstream samples are accepted or rejected as upstream does, and webhook rules deny with field names', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await withWebhooks(t, clients, namespace);

  const denied = await eventually(
    () => {
      const result = kubectl(['apply', '-n', namespace, '-f', '-'], stringify(webhookViolation));
      if (result.status === 0)
        throw new Error('the webhook is not called yet: the test was admitted');
      return result;
    },
    { description: 'the API server to call the validating webhook' },
  );
  // The webhook answers with an Invalid status listing every field, as the API server's own
  // validation does, so kubectl prints one line per problem.
  assert.match(denied.stderr, /The LocustTest "reserved-paths" is invalid/);
  assert.match(
    denied.stderr,
    /spec\.env\.secretMounts\[0\]\.mountPath: .*conflicts with reserved path "\/lotest\/src"/,
  );
  assert.match(denied.stderr, /spec\.volumes\[0\]\.name: .*is reserved by the operator/);

  applyUpstreamV2Samples(namespace);
});

test('warnings from validation reach the user through kubectl', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await withWebhooks(t, clients, namespace);
  const warned = {
    ...webhookViolation,
    metadata: { name: 'warned' },
    spec: {
      ...webhookViolation.spec,
      env: {},
      volumes: [],
      master: { command: '--locustfile /lotest/src/t.py', extraArgs: ['--expect-workers=3'] },
    },
  };
  const applied = await eventually(
    () => {
      const result = kubectl(['apply', '-n', namespace, '-f', '-'], stringify(warned));
      if (!result.stderr.includes('Warning:')) {
        kubectl(['delete', 'lotest', 'warned', '-n', namespace, '--ignore-not-found']);
        throw new Error(`no warning yet: ${result.stderr}`);
      }
      return result;
    },
    { description: 'a validation warning on apply' },
  );
  assert.equal(applied.status, 0, applied.stderr);
  assert.match(applied.stderr, /Warning: spec\.master\.extraArgs\[0\]: .*--expect-workers/);
});

test('a v1 test is created through the API server, read back as v2 and reconciled like any v2 test', async (t) => {
  await ensureCrd(clients);
  const namespace = await testNamespace(t, clients);
  await withWebhooks(t, clients, namespace);
  const v1Sample = upstreamSamples().find((s) => s.file === 'e2e/v1/locusttest-basic.yaml');
  assert.ok(v1Sample);
  const manifest = {
    ...v1Sample.document,
    metadata: { ...(v1Sample.document.metadata as object), namespace },
  };
  const applied = await eventually(
    () => {
      const result = kubectl(['apply', '-f', '-'], stringify(manifest));
      if (result.status !== 0) throw new Error(result.stderr);
      return result;
    },
    { description: 'the v1 sample to be accepted through conversion' },
  );
  assert.match(
    applied.stderr,
    /locust\.io\/v1 LocustTest is deprecated, migrate to locust\.io\/v2/,
  );

  const v2 = await readTest(clients, namespace, 'e2e-test-v1');
  assert.equal(v2.apiVersion, 'locust.io/v2');
  assert.equal(v2.spec.master.command, '-f /lotest/src/locustfile.py');
  assert.equal(v2.spec.worker.replicas, 1);
  assert.equal(v2.spec.testFiles?.configMapRef, 'e2e-test-configmap');
  assert.equal(v2.spec.master.autostart, true);
  assert.deepEqual(v2.spec.master.autoquit, { enabled: true, timeout: 60 });

  await waitForStatus(clients, namespace, 'e2e-test-v1', 'Running', (s) => s.phase === 'Running');
  const jobs = await clients.batch.listNamespacedJob({ namespace });
  assert.deepEqual(jobs.items.map((j) => j.metadata?.name).sort(), [
    'e2e-test-v1-master',
    'e2e-test-v1-worker',
  ]);

  const asV1 = JSON.parse(
    kubectl(['get', 'locusttests.v1.locust.io', 'e2e-test-v1', '-n', namespace, '-o', 'json'])
      .stdout,
  ) as { spec: { workerReplicas: number; masterCommandSeed: string } };
  assert.equal(asV1.spec.workerReplicas, 1);
  assert.equal(asV1.spec.masterCommandSeed, '-f /lotest/src/locustfile.py');
});
