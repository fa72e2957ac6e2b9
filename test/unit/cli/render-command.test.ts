import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { manifest, runInProcess, tempFile } from './cli-harness.ts';

interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: {
    parallelism?: number;
    template?: { spec: { affinity?: unknown; initContainers?: { imagePullPolicy: string }[] } };
  };
}

function renderedObjects(stdout: string): RenderedObject[] {
  return parseAllDocuments(stdout).map((document) => {
    assert.deepEqual(document.errors, []);
    return document.toJS() as RenderedObject;
  });
}

const withAffinity = manifest('aff').replace(
  '  testFiles:',
  `  scheduling:
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
            - matchExpressions:
                - { key: type, operator: In, values: [kwok] }
  testFiles:`,
);

test('render prints a Service, a master Job and a worker Job per test, as YAML documents', async () => {
  const file = tempFile(`${manifest('one')}---\n${manifest('two', 3)}`);
  const run = await runInProcess(['render', file]);
  assert.equal(run.code, 0, run.stderr);
  const objects = renderedObjects(run.stdout);
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Service/one-master',
      'Job/one-master',
      'Job/one-worker',
      'Service/two-master',
      'Job/two-master',
      'Job/two-worker',
    ],
  );
  assert.equal(objects[5]?.spec.parallelism, 3);
});

test('render puts the objects in the manifest namespace, else default, unless --namespace is given', async () => {
  const file = tempFile(manifest('ns').replace('  name: ns\n', '  name: ns\n  namespace: load\n'));
  const own = renderedObjects((await runInProcess(['render', file])).stdout);
  assert.deepEqual(new Set(own.map((o) => o.metadata.namespace)), new Set(['load']));
  const flag = renderedObjects(
    (await runInProcess(['render', '--namespace', 'other', file])).stdout,
  );
  assert.deepEqual(new Set(flag.map((o) => o.metadata.namespace)), new Set(['other']));
  const plain = renderedObjects((await runInProcess(['render', tempFile(manifest('p'))])).stdout);
  assert.deepEqual(new Set(plain.map((o) => o.metadata.namespace)), new Set(['default']));
});

test('render refuses an invalid test: exit 1, problems on stderr, nothing on stdout', async () => {
  const file = tempFile(`${manifest('good')}---\n${manifest('bad', 0)}`);
  const run = await runInProcess(['render', file]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    `${file}:25: spec.worker.replicas: Invalid value: 0: should be greater than or equal to 1\n`,
  );
});

test('render uses the binary defaults, the chart defaults or the environment as asked', async () => {
  const file = tempFile(withAffinity);
  const binary = renderedObjects((await runInProcess(['render', file])).stdout);
  assert.equal(binary[1]?.spec.template?.spec.affinity, undefined);
  assert.equal(binary[1]?.spec.template?.spec.initContainers?.[0]?.imagePullPolicy, 'Always');

  const chart = renderedObjects((await runInProcess(['render', '--chart-defaults', file])).stdout);
  assert.notEqual(chart[1]?.spec.template?.spec.affinity, undefined);
  assert.equal(chart[1]?.spec.template?.spec.initContainers?.[0]?.imagePullPolicy, 'IfNotPresent');

  const env = { ENABLE_AFFINITY_CR_INJECTION: 'true', METRICS_EXPORTER_IMAGE_PULL_POLICY: 'Never' };
  const fromEnv = renderedObjects(
    (await runInProcess(['render', '--config-from-env', file], { env })).stdout,
  );
  assert.notEqual(fromEnv[1]?.spec.template?.spec.affinity, undefined);
  assert.equal(fromEnv[1]?.spec.template?.spec.initContainers?.[0]?.imagePullPolicy, 'Never');
});

test('render exits 2 on an invalid operator environment or conflicting config flags', async () => {
  const file = tempFile(manifest('cfg'));
  const bad = await runInProcess(['render', '--config-from-env', file], {
    env: { POD_CPU_LIMIT: 'lots' },
  });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /invalid value for POD_CPU_LIMIT: "lots" is not a valid Kubernetes quantity/,
  );
  const both = await runInProcess(['render', '--config-from-env', '--chart-defaults', file]);
  assert.equal(both.code, 2);
});

test('render refuses a v1 test, which needs conversion first', async () => {
  const file = tempFile(`apiVersion: locust.io/v1
kind: LocustTest
metadata:
  name: old
spec:
  masterCommandSeed: locust
  workerCommandSeed: locust
  workerReplicas: 1
  image: locustio/locust
`);
  const run = await runInProcess(['render', file]);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /:1: apiVersion: Unsupported value: "locust.io\/v1": render supports locust.io\/v2 only/,
  );
});

test('render exits 2 on a YAML syntax error and takes one file only', async () => {
  assert.equal((await runInProcess(['render', tempFile('a: [\n')])).code, 2);
  assert.equal((await runInProcess(['render', 'a.yaml', 'b.yaml'])).code, 2);
});
