/**
 * The v2 → v1 field mapping (spec §1.7, row by row): what v1 shows of a v2 test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertV2ToV1 } from '../../../src/api/conversion.ts';
import type { LocustTestV1Spec } from '../../../src/api/v1/schema.ts';
import type { LocustTest, LocustTestSpec } from '../../../src/api/v2/schema.ts';

const command = '-f /lotest/src/locustfile.py';
const image = 'locustio/locust:2.43.1';
const baseV2: LocustTestSpec = { image, master: { command }, worker: { command, replicas: 2 } };
function v2Test(spec: Partial<LocustTestSpec>): LocustTest {
  const metadata = { name: 'demo', namespace: 'load' };
  return { apiVersion: 'locust.io/v2', kind: 'LocustTest', metadata, spec: { ...baseV2, ...spec } };
}

const toV1Rows: {
  name: string;
  v2: Partial<LocustTestSpec>;
  pick: (spec: LocustTestV1Spec) => unknown;
  expected: unknown;
}[] = [
  {
    name: 'image and imagePullPolicy are copied',
    v2: { image: 'x:1', imagePullPolicy: 'Always' },
    pick: (s) => [s.image, s.imagePullPolicy],
    expected: ['x:1', 'Always'],
  },
  {
    name: 'imagePullSecrets references become names',
    v2: { imagePullSecrets: [{ name: 'a' }, {}] },
    pick: (s) => s.imagePullSecrets,
    expected: ['a', ''],
  },
  {
    name: 'commands and replicas become the seeds and workerReplicas',
    v2: { master: { command: 'm' }, worker: { command: 'w', replicas: 9 } },
    pick: (s) => [s.masterCommandSeed, s.workerCommandSeed, s.workerReplicas],
    expected: ['m', 'w', 9],
  },
  {
    name: 'there is no labels or annotations block when every map is empty',
    v2: { master: { command, labels: {} }, worker: { command, replicas: 1, annotations: {} } },
    pick: (s) => ['labels' in s, 'annotations' in s],
    expected: [false, false],
  },
  {
    name: 'a labels block holds the non-empty maps only',
    v2: { master: { command, labels: {} }, worker: { command, replicas: 1, labels: { a: '1' } } },
    pick: (s) => s.labels,
    expected: { worker: { a: '1' } },
  },
  {
    name: 'master and worker annotations fill the annotations block',
    v2: {
      master: { command, annotations: { a: 'm' } },
      worker: { command, replicas: 1, annotations: { a: 'w' } },
    },
    pick: (s) => s.annotations,
    expected: { master: { a: 'm' }, worker: { a: 'w' } },
  },
  {
    name: 'testFiles ConfigMap references become configMap and libConfigMap',
    v2: { testFiles: { configMapRef: 't', libConfigMapRef: 'l', srcMountPath: '/src' } },
    pick: (s) => [s.configMap, s.libConfigMap],
    expected: ['t', 'l'],
  },
  {
    name: 'affinity keeps required In expressions with a value, across all terms, key → first value',
    v2: {
      scheduling: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'a', operator: 'In', values: ['x', 'y'] },
                    { key: 'b', operator: 'NotIn', values: ['z'] },
                    { key: 'c', operator: 'In', values: [] },
                  ],
                  matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }],
                },
                { matchExpressions: [{ key: 'd', operator: 'In', values: ['w'] }] },
              ],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 1,
                preference: { matchExpressions: [{ key: 'e', operator: 'In', values: ['v'] }] },
              },
            ],
          },
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'h' }],
          },
        },
      },
    },
    pick: (s) => s.affinity,
    expected: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { a: 'x', d: 'w' } },
    },
  },
  {
    name: 'affinity with nothing that survives gives no affinity',
    v2: {
      scheduling: {
        affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } },
      },
    },
    pick: (s) => 'affinity' in s,
    expected: false,
  },
  {
    name: 'tolerations lose tolerationSeconds, and an absent operator shows as its meaning, Equal',
    v2: {
      scheduling: {
        tolerations: [
          { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
          { key: 'gpu', value: 'a100', effect: 'NoSchedule' },
        ],
      },
    },
    pick: (s) => s.tolerations,
    expected: [
      { key: 'spot', operator: 'Exists', effect: 'NoExecute' },
      { key: 'gpu', operator: 'Equal', value: 'a100', effect: 'NoSchedule' },
    ],
  },
  {
    name: 'tolerations v1 cannot state (no effect, operator Lt) are left out of the v1 view',
    v2: {
      scheduling: {
        tolerations: [
          { operator: 'Exists' },
          { key: 'n', operator: 'Lt', value: '5', effect: 'NoSchedule' },
        ],
      },
    },
    pick: (s) => 'tolerations' in s,
    expected: false,
  },
];

for (const row of toV1Rows) {
  test(`v2 → v1: ${row.name}`, () => {
    assert.deepEqual(row.pick(convertV2ToV1(v2Test(row.v2)).spec), row.expected);
  });
}

test('v2 → v1: fields v1 cannot express do not appear in the v1 spec', () => {
  const spec: LocustTestSpec = {
    ...baseV2,
    master: { command, resources: { limits: { cpu: '1' } }, extraArgs: ['--x'], autostart: false },
    worker: { command, replicas: 2, resources: { requests: { cpu: '1' } }, extraArgs: ['--y'] },
    testFiles: { srcMountPath: '/src', libMountPath: '/lib' },
    scheduling: { nodeSelector: { a: 'b' }, runtimeClassName: 'gvisor' },
    env: { variables: [{ name: 'A', value: '1' }] },
    volumes: [{ name: 'data', emptyDir: {} }],
    volumeMounts: [{ name: 'data', mountPath: '/data', target: 'both' }],
    security: { podSecurityContext: { runAsNonRoot: true } },
    observability: { openTelemetry: { enabled: true, endpoint: 'otel:4317' } },
  };
  const keys = Object.keys(convertV2ToV1(v2Test(spec)).spec).sort();
  assert.deepEqual(keys, ['image', 'masterCommandSeed', 'workerCommandSeed', 'workerReplicas']);
});
