/**
 * Golden files: every valid locust.io/v2 LocustTest among the upstream samples, rendered with the
 * Go binary's default operator config, compared with test/golden/<sample path>. Run with
 * UPDATE_GOLDEN=1 to rewrite them, then review the diff against spec §2.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { Document } from 'yaml';
import type { LocustTest } from '../../../src/api/index.ts';
import { defaultOperatorConfig, render } from '../../../src/resources/index.ts';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';
import { invalidSampleFiles, upstreamSamples } from '../../support/compat.ts';

const goldenDir = join(repoRoot, 'test', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const fixedUid = '00000000-0000-0000-0000-000000000001';

function isRenderable(document: Record<string, unknown>): boolean {
  return document.kind === 'LocustTest' && document.apiVersion === 'locust.io/v2';
}

/** The sample as the API server would hand it over: namespaced and with a uid. */
function asStored(document: Record<string, unknown>): LocustTest {
  const sample = document as unknown as LocustTest;
  return {
    ...sample,
    metadata: { namespace: 'default', ...sample.metadata, uid: fixedUid },
  };
}

function renderSamples(documents: Record<string, unknown>[], file: string): string {
  const header = `# Rendered from upstream-samples/${file} with defaultOperatorConfig.\n# Regenerate with UPDATE_GOLDEN=1 npm run test:unit -- golden, then review against the spec.\n`;
  const yaml = documents
    .flatMap((document) => {
      const { masterService, masterJob, workerJob } = render(
        asStored(document),
        defaultOperatorConfig,
      );
      return [masterService, masterJob, workerJob];
    })
    .map((object) => new Document(object).toString({ lineWidth: 0 }))
    .join('---\n');
  return header + yaml;
}

function goldenFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const byFile = new Map<string, Record<string, unknown>[]>();
for (const { file, document } of upstreamSamples()) {
  if (!isRenderable(document) || invalidSampleFiles.includes(file)) continue;
  byFile.set(file, [...(byFile.get(file) ?? []), document]);
}

test('the upstream samples include LocustTests to render', () => {
  assert.ok(byFile.size >= 10, `only ${byFile.size} renderable samples found`);
});

for (const [file, documents] of byFile) {
  test(`the rendering of ${file} matches its golden file`, () => {
    const path = join(goldenDir, file);
    const actual = renderSamples(documents, file);
    if (update) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
      return;
    }
    assert.ok(
      existsSync(path),
      `missing golden file ${relative(repoRoot, path)}; run with UPDATE_GOLDEN=1`,
    );
    assert.equal(actual, readFileSync(path, 'utf8'), `${relative(repoRoot, path)} is out of date`);
  });
}

test('every golden file belongs to a rendered sample', () => {
  const stale = goldenFiles(goldenDir).filter((file) => !byFile.has(file));
  if (update) {
    for (const file of stale) rmSync(join(goldenDir, file));
    return;
  }
  assert.deepEqual(stale, [], 'stale golden files; run with UPDATE_GOLDEN=1');
});
