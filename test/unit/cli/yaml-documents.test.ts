import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlDocuments, YamlSyntaxError } from '../../../src/cli/yaml-documents.ts';

const text = `# leading comment
apiVersion: v1
kind: Thing
spec:
  volumes:
    - name: data
      emptyDir: {}
    - name: other
  labels:
    prometheus.io/port: "9646"
---
---
second: document
`;

test('documents are parsed in order, skipping empty ones, with the line they start on', () => {
  const documents = parseYamlDocuments(text);
  assert.deepEqual(
    documents.map((d) => d.line),
    [2, 13],
  );
  assert.deepEqual(documents[1]?.value, { second: 'document' });
});

test('a field path maps to the line of its key, list item or map key', () => {
  const [document] = parseYamlDocuments(text);
  assert.ok(document);
  assert.equal(document.lineOf('kind'), 3);
  assert.equal(document.lineOf('spec.volumes[1]'), 8);
  assert.equal(document.lineOf('spec.volumes[0].emptyDir'), 7);
  assert.equal(document.lineOf('spec.labels[prometheus.io/port]'), 10);
});

test('an absent field maps to the line of its nearest present ancestor', () => {
  const document = parseYamlDocuments(text)[0];
  assert.ok(document);
  assert.equal(document.lineOf('spec.volumes[1].mountPath'), 8);
  assert.equal(document.lineOf('spec.volumes[7].name'), 5);
  assert.equal(document.lineOf('status.phase'), 2);
});

test('scalars are read as kubectl reads them: YAML 1.1 booleans, timestamps as strings', () => {
  const [document] = parseYamlDocuments('a: yes\nb: off\nc: 2026-01-15\nd: "yes"\ne: 0777\n');
  assert.deepEqual(document?.value, { a: true, b: false, c: '2026-01-15', d: 'yes', e: 511 });
});

test('aliases resolve for both values and lines', () => {
  const document = parseYamlDocuments('base: &b\n  x: 1\nuse: *b\n')[0];
  assert.ok(document);
  assert.deepEqual(document.value, { base: { x: 1 }, use: { x: 1 } });
  assert.equal(document.lineOf('use.x'), 2);
});

test('a syntax error carries its line and column', () => {
  assert.throws(
    () => parseYamlDocuments('a: 1\nb: [\n'),
    (error: unknown) => error instanceof YamlSyntaxError && error.line >= 2,
  );
  assert.throws(
    () => parseYamlDocuments('a: 1\na: 2\n'),
    (error: unknown) =>
      error instanceof YamlSyntaxError && error.line === 2 && /unique/.test(error.message),
  );
});
