/**
 * The generic entry point for the ConversionReview handler: same-version copies, both directions,
 * and a ConversionError naming the field for malformed input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConversionError,
  convertLocustTest,
  convertV1ToV2,
  convertV2ToV1,
  v2SpecAnnotation,
} from '../../../src/api/conversion.ts';
import type { LocustTestV1, LocustTestV1Spec } from '../../../src/api/v1/schema.ts';
import type { LocustTest, LocustTestSpec } from '../../../src/api/v2/schema.ts';

const command = '-f /lotest/src/locustfile.py';
const image = 'locustio/locust:2.43.1';
const baseV1: LocustTestV1Spec = {
  masterCommandSeed: command,
  workerCommandSeed: command,
  workerReplicas: 2,
  image,
};
const baseV2: LocustTestSpec = { image, master: { command }, worker: { command, replicas: 2 } };

function v1Test(spec: Partial<LocustTestV1Spec>): LocustTestV1 {
  const metadata = { name: 'demo', namespace: 'load' };
  return { apiVersion: 'locust.io/v1', kind: 'LocustTest', metadata, spec: { ...baseV1, ...spec } };
}
function v2Test(spec: Partial<LocustTestSpec>): LocustTest {
  const metadata = { name: 'demo', namespace: 'load' };
  return { apiVersion: 'locust.io/v2', kind: 'LocustTest', metadata, spec: { ...baseV2, ...spec } };
}

test('an object already at the desired version comes back as an equal copy', () => {
  for (const object of [v1Test({ configMap: 't' }), v2Test({ imagePullPolicy: 'Never' })]) {
    const result = convertLocustTest(object, object.apiVersion);
    assert.deepEqual(result, object);
    assert.notEqual(result, object);
  }
});

test('convertLocustTest converts both ways as the typed functions do', () => {
  const v2 = v2Test({ master: { command, extraArgs: ['--x'] } });
  assert.deepEqual(convertLocustTest(v2, 'locust.io/v1'), convertV2ToV1(v2));
  const v1 = v1Test({ configMap: 't' });
  assert.deepEqual(convertLocustTest(v1, 'locust.io/v2'), convertV1ToV2(v1));
});

const validV2 = v2Test({});
const malformed: { name: string; input: unknown; field: string }[] = [
  { name: 'a non-object', input: null, field: 'object' },
  { name: 'another kind', input: { ...validV2, kind: 'Job' }, field: 'kind' },
  {
    name: 'an unknown apiVersion',
    input: { ...validV2, apiVersion: 'locust.io/v3' },
    field: 'apiVersion',
  },
  { name: 'no spec', input: { ...validV2, spec: undefined }, field: 'spec' },
  { name: 'a spec that is a list', input: { ...validV2, spec: [] }, field: 'spec' },
  { name: 'metadata that is a string', input: { ...validV2, metadata: 'x' }, field: 'metadata' },
  {
    name: 'a v2 spec without master',
    input: { ...validV2, spec: { image, worker: {} } },
    field: 'spec.master',
  },
  {
    name: 'v2 tolerations that are not a list',
    input: v2Test({ scheduling: { tolerations: 'x' } } as unknown as LocustTestSpec),
    field: 'spec.scheduling.tolerations',
  },
  {
    name: 'a v2 toleration that is a string',
    input: v2Test({ scheduling: { tolerations: [{}, 'x'] } } as unknown as LocustTestSpec),
    field: 'spec.scheduling.tolerations[1]',
  },
  {
    name: 'a v1 imagePullSecret that is not a name',
    input: v1Test({ imagePullSecrets: [3] } as unknown as LocustTestV1Spec),
    field: 'spec.imagePullSecrets[0]',
  },
  {
    name: 'v1 master labels that are a string',
    input: v1Test({ labels: { master: 'x' } } as unknown as LocustTestV1Spec),
    field: 'spec.labels.master',
  },
  ...[
    ['a v2-spec annotation that is not JSON', '{oops', ''],
    ['a v2-spec annotation that is a JSON list', '[]', ''],
    ['a v2-spec annotation without master', JSON.stringify({ worker: {} }), '.master'],
  ].map(([name = '', json = '', suffix = '']) => ({
    name,
    input: { ...v1Test({}), metadata: { name: 'demo', annotations: { [v2SpecAnnotation]: json } } },
    field: `metadata.annotations[${v2SpecAnnotation}]${suffix}`,
  })),
];

for (const { name, input, field } of malformed) {
  test(`convertLocustTest rejects ${name}, naming ${field}`, () => {
    for (const desired of ['locust.io/v1', 'locust.io/v2'] as const) {
      if (desired === 'locust.io/v1' && field.startsWith('metadata.annotations')) continue;
      assert.throws(
        () => convertLocustTest(input, desired),
        (error: unknown) =>
          error instanceof ConversionError &&
          error.field === field &&
          error.message.startsWith(`${field}: `),
      );
    }
  });
}
