/**
 * The v1 → v2 field mapping (spec §1.7, row by row), metadata and status handling, purity.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertV1ToV2, convertV2ToV1 } from '../../../src/api/conversion.ts';
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
const upstreamMaster = { command, autostart: true, autoquit: { enabled: true, timeout: 60 } };

function v1Test(spec: Partial<LocustTestV1Spec>): LocustTestV1 {
  const metadata = { name: 'demo', namespace: 'load' };
  return { apiVersion: 'locust.io/v1', kind: 'LocustTest', metadata, spec: { ...baseV1, ...spec } };
}
function v2Test(spec: Partial<LocustTestSpec>): LocustTest {
  const metadata = { name: 'demo', namespace: 'load' };
  return { apiVersion: 'locust.io/v2', kind: 'LocustTest', metadata, spec: { ...baseV2, ...spec } };
}

const required = (terms: { key: string; operator: string; values?: string[] }[][]) => ({
  nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })),
});

const toV2Rows: {
  name: string;
  v1: Partial<LocustTestV1Spec>;
  pick: (spec: LocustTestSpec) => unknown;
  expected: unknown;
}[] = [
  { name: 'image is copied', v1: { image: 'x:1' }, pick: (s) => s.image, expected: 'x:1' },
  {
    name: 'a set imagePullPolicy is copied',
    v1: { imagePullPolicy: 'Always' },
    pick: (s) => s.imagePullPolicy,
    expected: 'Always',
  },
  {
    name: 'an unset imagePullPolicy stays unset, for the builder to default',
    v1: {},
    pick: (s) => 'imagePullPolicy' in s,
    expected: false,
  },
  {
    name: 'imagePullSecrets names become references',
    v1: { imagePullSecrets: ['a', 'b'] },
    pick: (s) => s.imagePullSecrets,
    expected: [{ name: 'a' }, { name: 'b' }],
  },
  {
    name: 'an empty imagePullSecrets list gives none',
    v1: { imagePullSecrets: [] },
    pick: (s) => 'imagePullSecrets' in s,
    expected: false,
  },
  {
    name: 'the master command seed becomes master.command, with autostart and autoquit(60) always',
    v1: {},
    pick: (s) => s.master,
    expected: upstreamMaster,
  },
  {
    name: 'master labels and annotations are copied',
    v1: { labels: { master: { team: 'perf' } }, annotations: { master: { note: 'm' } } },
    pick: (s) => s.master,
    expected: { ...upstreamMaster, labels: { team: 'perf' }, annotations: { note: 'm' } },
  },
  {
    name: 'worker command seed, replicas, labels and annotations are copied',
    v1: { workerReplicas: 7, labels: { worker: { a: '1' } }, annotations: { worker: { b: '2' } } },
    pick: (s) => s.worker,
    expected: { command, replicas: 7, labels: { a: '1' }, annotations: { b: '2' } },
  },
  {
    name: 'a configMap alone gives testFiles with configMapRef and no mount paths',
    v1: { configMap: 'tests' },
    pick: (s) => s.testFiles,
    expected: { configMapRef: 'tests' },
  },
  {
    name: 'a libConfigMap alone gives testFiles with libConfigMapRef',
    v1: { libConfigMap: 'lib', configMap: '' },
    pick: (s) => s.testFiles,
    expected: { libConfigMapRef: 'lib' },
  },
  {
    name: 'no ConfigMap gives no testFiles',
    v1: { configMap: '' },
    pick: (s) => 'testFiles' in s,
    expected: false,
  },
  {
    name: 'the affinity map becomes one required term of In expressions in sorted key order',
    v1: {
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { z: '1', a: '2' } },
      },
    },
    pick: (s) => s.scheduling,
    expected: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: required([
            [
              { key: 'a', operator: 'In', values: ['2'] },
              { key: 'z', operator: 'In', values: ['1'] },
            ],
          ]),
        },
      },
    },
  },
  {
    name: 'an empty affinity map gives no affinity and no scheduling',
    v1: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } },
    pick: (s) => 'scheduling' in s,
    expected: false,
  },
  {
    name: 'tolerations are copied into a scheduling block of their own',
    v1: { tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] },
    pick: (s) => s.scheduling,
    expected: { tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] },
  },
  {
    name: 'without affinity or tolerations there is no scheduling',
    v1: { tolerations: [] },
    pick: (s) => 'scheduling' in s,
    expected: false,
  },
];

for (const row of toV2Rows) {
  test(`v1 → v2: ${row.name}`, () => {
    assert.deepEqual(row.pick(convertV1ToV2(v1Test(row.v1)).spec), row.expected);
  });
}

test('v1 → v2: a v1 object with every field gives exactly upstream’s v2 object', () => {
  const spec: LocustTestV1Spec = {
    ...baseV1,
    imagePullPolicy: 'Never',
    imagePullSecrets: ['regcred'],
    configMap: 'tests',
    libConfigMap: 'lib',
    labels: { master: { a: 'm' }, worker: { a: 'w' } },
    annotations: { master: { b: 'm' }, worker: { b: 'w' } },
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { arch: 'amd64' } },
    },
    tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoExecute' }],
  };
  assert.deepEqual(convertV1ToV2(v1Test(spec)), {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'demo', namespace: 'load' },
    spec: {
      image,
      imagePullPolicy: 'Never',
      imagePullSecrets: [{ name: 'regcred' }],
      master: { ...upstreamMaster, labels: { a: 'm' }, annotations: { b: 'm' } },
      worker: { command, replicas: 2, labels: { a: 'w' }, annotations: { b: 'w' } },
      testFiles: { configMapRef: 'tests', libConfigMapRef: 'lib' },
      scheduling: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: required([
              [{ key: 'arch', operator: 'In', values: ['amd64'] }],
            ]),
          },
        },
        tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoExecute' }],
      },
    },
  });
});

test('metadata is copied wholesale in both directions, and status in neither', () => {
  const metadata = {
    name: 'demo',
    namespace: 'load',
    uid: 'u-1',
    generation: 4,
    resourceVersion: '77',
    labels: { team: 'perf' },
    annotations: { owner: 'me' },
    finalizers: ['locust.io/cleanup'],
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
  };
  const v2: LocustTest = { ...v2Test({}), metadata, status: { phase: 'Running' } };
  const v1 = convertV2ToV1({ ...v2, spec: convertV1ToV2(v1Test({})).spec });
  assert.deepEqual(v1.metadata, metadata);
  assert.equal('status' in v1, false);
  const back = convertV1ToV2({ ...v1, status: {} });
  assert.deepEqual(back.metadata, metadata);
  assert.equal('status' in back, false);
});

test('conversion leaves its input untouched', () => {
  const v2 = v2Test({ scheduling: { tolerations: [{ operator: 'Exists' }] } });
  const before = structuredClone(v2);
  const v1 = convertV2ToV1(v2);
  const v1Before = structuredClone(v1);
  convertV1ToV2(v1);
  assert.deepEqual(v2, before);
  assert.deepEqual(v1, v1Before);
});
