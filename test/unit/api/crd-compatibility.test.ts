import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';
import { compatDir } from '../../support/compat.ts';

type Node = Record<string, unknown>;
interface Crd {
  spec: {
    group: string;
    names: Node;
    scope: string;
    versions: (Node & { name: string; schema: { openAPIV3Schema: Node } })[];
  };
}

const upstream = parse(readFileSync(join(compatDir(), 'upstream-crd.yaml'), 'utf8')) as Crd;
const ours = parse(
  readFileSync(join(repoRoot, 'deploy/crd/locust.io_locusttests.yaml'), 'utf8'),
) as Crd;
const compatibilityDoc = readFileSync(join(repoRoot, 'docs/compatibility.md'), 'utf8');

/** Schema keywords whose values must agree (descriptions may differ). */
const comparedKeywords = [
  'type',
  'format',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'anyOf',
  'nullable',
  'required',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
];

/**
 * Deliberate differences, as `version path keyword`; each must be explained in
 * docs/compatibility.md. None today: the schemas are identical field for field.
 */
const deliberateDifferences: readonly string[] = [];

function fieldPaths(node: Node, path: string, out: Map<string, Node>): Map<string, Node> {
  out.set(path, node);
  const properties = node.properties as Record<string, Node> | undefined;
  for (const [name, child] of Object.entries(properties ?? {}))
    fieldPaths(child, `${path}.${name}`, out);
  if (node.items) fieldPaths(node.items as Node, `${path}[]`, out);
  if (typeof node.additionalProperties === 'object' && node.additionalProperties !== null) {
    fieldPaths(node.additionalProperties as Node, `${path}{}`, out);
  }
  return out;
}

function version(crd: Crd, name: string): Crd['spec']['versions'][number] {
  const found = crd.spec.versions.find((v) => v.name === name);
  assert.ok(found, `version ${name} missing`);
  return found;
}

function normalised(keyword: string, value: unknown): unknown {
  return keyword === 'required' && Array.isArray(value) ? [...(value as string[])].sort() : value;
}

for (const versionName of ['v2', 'v1']) {
  test(`every field path of the upstream ${versionName} schema exists in ours with the same type, enum, default and bounds`, () => {
    const theirs = fieldPaths(version(upstream, versionName).schema.openAPIV3Schema, '', new Map());
    const mine = fieldPaths(version(ours, versionName).schema.openAPIV3Schema, '', new Map());
    const differences: string[] = [];
    for (const [path, node] of theirs) {
      const counterpart = mine.get(path);
      if (!counterpart) {
        differences.push(`${versionName} ${path} missing`);
        continue;
      }
      for (const keyword of comparedKeywords) {
        const expected = normalised(keyword, node[keyword]);
        const actual = normalised(keyword, counterpart[keyword]);
        if (JSON.stringify(expected) !== JSON.stringify(actual)) {
          differences.push(`${versionName} ${path} ${keyword}`);
        }
      }
    }
    for (const path of mine.keys())
      if (!theirs.has(path)) differences.push(`${versionName} ${path} extra`);
    const undocumented = differences.filter((d) => !deliberateDifferences.includes(d));
    assert.deepEqual(undocumented, [], 'undeclared schema differences from the Go operator’s CRD');
  });
}

test('every deliberate schema difference is explained in docs/compatibility.md', () => {
  for (const difference of deliberateDifferences) {
    const path = difference.split(' ')[1] ?? difference;
    assert.ok(compatibilityDoc.includes(path), `docs/compatibility.md does not mention ${path}`);
  }
});

test('the CRD identity matches upstream: group, names, short names, scope', () => {
  assert.equal(ours.spec.group, upstream.spec.group);
  assert.deepEqual(ours.spec.names, upstream.spec.names);
  assert.equal(ours.spec.scope, upstream.spec.scope);
});

test('each version is served, stored, deprecated and shows printer columns exactly as upstream', () => {
  assert.deepEqual(
    ours.spec.versions.map((v) => v.name),
    upstream.spec.versions.map((v) => v.name),
  );
  for (const theirs of upstream.spec.versions) {
    const mine = version(ours, theirs.name);
    for (const key of [
      'served',
      'storage',
      'deprecated',
      'deprecationWarning',
      'subresources',
      'additionalPrinterColumns',
    ]) {
      assert.deepEqual(mine[key], theirs[key], `${theirs.name} ${key}`);
    }
  }
});
