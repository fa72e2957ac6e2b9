/**
 * Every LocustTest among the Go operator's samples and e2e fixtures gets the verdict the Go
 * operator's cluster gives it: accepted, except the two fixtures its e2e suite expects rejected.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findLocustTests } from '../../../src/cli/locust-test-documents.ts';
import { parseYamlDocuments } from '../../../src/cli/yaml-documents.ts';
import { validate, validateV1 } from '../../../src/validation/validate.ts';
import { lines } from './sample-test.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const compatDir = process.env.LOCUST_COMPAT_DIR ?? join(repoRoot, '..', 'shared', 'compat');
const samplesDir = join(compatDir, 'upstream-samples');

/** Fixtures upstream's e2e suite expects the API server to reject, and the field it must name. */
const expectedRejections: Readonly<Record<string, string>> = {
  'e2e/v2/locusttest-invalid.yaml': 'spec.worker.replicas',
  'e2e/v2/locusttest-invalid-runtimeclass.yaml': 'spec.scheduling.runtimeClassName',
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(samplesDir, join(entry.parentPath, entry.name)))
    .sort();
}

test('the upstream samples directory is present', () => {
  assert.ok(
    existsSync(samplesDir),
    `upstream samples not found at ${samplesDir}; set LOCUST_COMPAT_DIR to the compat directory (the one holding upstream-samples/)`,
  );
});

const files = existsSync(samplesDir) ? yamlFiles(samplesDir) : [];

test('the samples include both fixtures that must be rejected', () => {
  for (const file of Object.keys(expectedRejections)) assert.ok(files.includes(file), file);
});

for (const file of files) {
  const sources = findLocustTests(parseYamlDocuments(readFileSync(join(samplesDir, file), 'utf8')));
  const rejectedField = expectedRejections[file];
  if (sources.length === 0) {
    test(`${file} holds no LocustTest and is skipped`, () => {
      assert.equal(rejectedField, undefined);
    });
    continue;
  }
  const verdict =
    rejectedField === undefined
      ? 'is accepted without warnings'
      : `is rejected naming ${rejectedField}`;
  test(`every LocustTest in ${file} ${verdict}`, () => {
    for (const source of sources) {
      const result = source.version === 'v1' ? validateV1(source.value) : validate(source.value);
      if (rejectedField !== undefined) {
        assert.deepEqual(
          result.errors.map((p) => p.field),
          [rejectedField],
        );
        continue;
      }
      assert.deepEqual(lines(result.errors), []);
      const deprecation = source.version === 'v1' ? ['apiVersion'] : [];
      assert.deepEqual(
        result.warnings.map((p) => p.field),
        deprecation,
      );
    }
  });
}
