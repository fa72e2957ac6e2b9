import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { stringify } from 'yaml';
import { componentClosure, type OpenApiComponents } from '../../../src/api/crd/structural.ts';
import { embeddedComponents } from '../../../src/api/crd/crd.ts';
import { snapshotPath, type ComponentsSnapshot } from '../../../scripts/crd/files.ts';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';
import { invalidSampleFiles, upstreamSamples } from '../../support/compat.ts';
import { eventually } from '../../support/eventually.ts';
import { waitForCrdEstablished } from '../../support/operator.ts';
import { testClients, testNamespace } from '../../support/kube.ts';
import { kubectl } from '../../support/kubectl.ts';
import { applyUpstreamV2Samples } from '../../support/upstream-verdicts.ts';

const clients = testClients();
const crdFile = join(repoRoot, 'deploy/crd/locust.io_locusttests.yaml');

before(async () => {
  const applied = kubectl(['apply', '-f', crdFile]);
  assert.equal(applied.status, 0, applied.stderr);
  await waitForCrdEstablished(clients);
});

test('the generated CRD is accepted by the API server with a plain kubectl apply', async () => {
  const crd = kubectl([
    'get',
    'crd',
    'locusttests.locust.io',
    '-o',
    'jsonpath={.spec.versions[*].name}',
  ]);
  assert.equal(crd.stdout, 'v1 v2');
  // The API server publishes a new CRD's OpenAPI a moment after it is Established.
  const explained = await eventually(
    () => {
      const result = kubectl([
        'explain',
        'locusttests.spec.worker.replicas',
        '--api-version=locust.io/v2',
      ]);
      if (result.status !== 0) throw new Error(result.stderr);
      return result;
    },
    { description: 'kubectl explain to know the CRD' },
  );
  assert.match(explained.stdout, /Replicas is the number of worker pods/);
});

test('the OpenAPI snapshot the CRD was generated from matches the running API server', () => {
  const live = JSON.parse(kubectl(['get', '--raw', '/openapi/v3/api/v1']).stdout) as {
    components: { schemas: OpenApiComponents };
  };
  const snapshot = JSON.parse(
    readFileSync(join(repoRoot, snapshotPath), 'utf8'),
  ) as ComponentsSnapshot;
  const names = componentClosure(embeddedComponents, live.components.schemas);
  assert.deepEqual(names, Object.keys(snapshot.components).sort());
  for (const name of names) {
    assert.deepEqual(
      live.components.schemas[name],
      snapshot.components[name],
      `${name} differs: run npm run gen:crd`,
    );
  }
});

const v2Samples = upstreamSamples().filter(
  ({ document }) => document.kind === 'LocustTest' && document.apiVersion === 'locust.io/v2',
);

test('every valid upstream v2 sample is accepted by the API server, every invalid one rejected naming the field', async (t) => {
  const namespace = await testNamespace(t, clients);
  assert.ok(
    v2Samples.length >= 10,
    `expected the upstream samples, found ${String(v2Samples.length)}`,
  );
  assert.equal(applyUpstreamV2Samples(namespace), v2Samples.length);
  const listed = kubectl(['get', 'lotest', '-n', namespace, '-o', 'name']);
  assert.equal(
    listed.stdout.trim().split('\n').length,
    v2Samples.length - invalidSampleFiles.length,
  );
});

test('defaults from the schema are applied by the API server', async (t) => {
  const namespace = await testNamespace(t, clients);
  const manifest = {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'defaults', namespace },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: { command: '--locustfile /lotest/src/t.py', autoquit: { enabled: true } },
      worker: { command: '--locustfile /lotest/src/t.py', replicas: 2 },
      testFiles: { configMapRef: 'scripts' },
    },
  };
  const applied = kubectl(['apply', '-f', '-'], stringify(manifest));
  assert.equal(applied.status, 0, applied.stderr);
  const stored = JSON.parse(
    kubectl(['get', 'lotest', 'defaults', '-n', namespace, '-o', 'json']).stdout,
  ) as {
    spec: {
      imagePullPolicy: string;
      master: { autostart: boolean; autoquit: { timeout: number } };
      testFiles: Record<string, string>;
    };
  };
  assert.equal(stored.spec.imagePullPolicy, 'IfNotPresent');
  assert.equal(stored.spec.master.autostart, true);
  assert.equal(stored.spec.master.autoquit.timeout, 60);
  assert.equal(stored.spec.testFiles.srcMountPath, '/lotest/src');
  assert.equal(stored.spec.testFiles.libMountPath, '/opt/locust/lib');
});
