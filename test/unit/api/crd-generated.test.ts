import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import {
  chartCrdPath,
  crdPath,
  generatedFiles,
  snapshotPath,
  type ComponentsSnapshot,
} from '../../../scripts/crd/files.ts';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';

const snapshot = JSON.parse(
  readFileSync(join(repoRoot, snapshotPath), 'utf8'),
) as ComponentsSnapshot;

test('the committed CRD and generated schemas are what `npm run gen:crd` produces', () => {
  for (const [path, content] of Object.entries(generatedFiles(snapshot))) {
    const committed = readFileSync(join(repoRoot, path), 'utf8');
    assert.ok(
      committed === content,
      `${path} is stale: run \`npm run gen:crd\` and commit the result`,
    );
  }
});

test('the Helm chart ships the generated CRD, identical to deploy/crd', () => {
  const files = generatedFiles(snapshot);
  assert.ok(files[chartCrdPath] !== undefined && files[chartCrdPath] === files[crdPath]);
});

test('the OpenAPI snapshot comes from the pinned Kubernetes version', () => {
  assert.equal(snapshot.kubernetesVersion, 'v1.36.3');
});

test('the CRD fits in the last-applied-configuration annotation of a plain kubectl apply', () => {
  const crd = generatedFiles(snapshot)['deploy/crd/locust.io_locusttests.yaml'] ?? '';
  const asJson = JSON.stringify(parse(crd));
  assert.ok(asJson.length < 256 * 1024, `the CRD is ${String(asJson.length)} bytes as JSON`);
});
