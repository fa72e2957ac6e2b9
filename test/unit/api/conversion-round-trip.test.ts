/**
 * What the v2-spec annotation buys: v2 → v1 → v2 loses nothing, v1 → v2 → v1 loses nothing, and
 * a write through v1 changes exactly the fields it edited.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  convertLocustTest,
  convertV1ToV2,
  convertV2ToV1,
  v2SpecAnnotation,
} from '../../../src/api/conversion.ts';
import type { LocustTestV1, LocustTestV1Spec } from '../../../src/api/v1/schema.ts';
import type { LocustTest, LocustTestSpec } from '../../../src/api/v2/schema.ts';
import { upstreamSamples } from '../../support/compat.ts';

const command = '-f /lotest/src/locustfile.py';
const dedicated = { key: 'dedicated', operator: 'Equal', value: 'load', effect: 'NoSchedule' };
const spot = { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
const everything = { operator: 'Exists' };
const gpu = { key: 'gpu', value: 'a100', effect: 'NoSchedule' };
const antiAffinity = {
  preferredDuringSchedulingIgnoredDuringExecution: [
    {
      weight: 100,
      podAffinityTerm: {
        labelSelector: { matchLabels: { 'performance-test-name': 'rich' } },
        topologyKey: 'kubernetes.io/hostname',
      },
    },
  ],
};
const preferredNodes = [
  { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
];

/** A v2 test with every field set, and the parts of affinity and tolerations v1 flattens. */
const rich: LocustTest = {
  apiVersion: 'locust.io/v2',
  kind: 'LocustTest',
  metadata: { name: 'rich', namespace: 'load', uid: 'u-1', annotations: { owner: 'perf' } },
  spec: {
    image: 'locustio/locust:2.43.1',
    imagePullPolicy: 'Always',
    imagePullSecrets: [{ name: 'regcred' }],
    master: {
      command,
      resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m' } },
      labels: { team: 'perf' },
      annotations: { 'prometheus.io/port': '8089' },
      autostart: false,
      autoquit: { enabled: true, timeout: 120 },
      extraArgs: ['--csv', 'out'],
    },
    worker: {
      command,
      replicas: 3,
      resources: { requests: { cpu: '250m' } },
      labels: { team: 'perf', role: 'worker' },
      annotations: { 'prometheus.io/scrape': 'false' },
      extraArgs: ['--processes', '2'],
    },
    testFiles: { configMapRef: 'tests', libConfigMapRef: 'lib', srcMountPath: '/src' },
    scheduling: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'arch', operator: 'In', values: ['amd64', 'arm64'] },
                  { key: 'pool', operator: 'NotIn', values: ['spot'] },
                ],
              },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: preferredNodes,
        },
        podAntiAffinity: antiAffinity,
      },
      tolerations: [dedicated, spot, everything, gpu],
      nodeSelector: { tier: 'compute' },
      runtimeClassName: '',
    },
    env: {
      configMapRefs: [{ name: 'app-env', prefix: 'APP_' }],
      secretRefs: [{ name: 'app-secrets' }],
      variables: [
        { name: 'TARGET', value: 'https://example.com' },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
      ],
      secretMounts: [{ name: 'certs', mountPath: '/etc/certs', readOnly: true }],
    },
    volumes: [
      { name: 'data', emptyDir: {} },
      { name: 'creds', secret: { secretName: 'creds' } },
    ],
    volumeMounts: [{ name: 'data', mountPath: '/data', target: 'worker' }],
    security: {
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containerSecurityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    },
    observability: {
      openTelemetry: {
        enabled: true,
        endpoint: 'otel-collector:4317',
        protocol: 'grpc',
        insecure: true,
        extraEnvVars: { OTEL_SERVICE_NAME: 'rich' },
      },
    },
  },
};

/** Degenerate values that Go's omitempty would lose: empty lists and maps, nameless references. */
const sparse: LocustTest = {
  apiVersion: 'locust.io/v2',
  kind: 'LocustTest',
  metadata: { name: 'sparse' },
  spec: {
    image: 'locustio/locust:latest',
    imagePullSecrets: [{}],
    master: { command, labels: {}, autoquit: { enabled: false } },
    worker: { command, replicas: 1, annotations: {} },
    testFiles: { configMapRef: '' },
    scheduling: { tolerations: [], affinity: {} },
    env: {},
  },
};

const v2Samples = upstreamSamples().filter(
  ({ document }) => document.apiVersion === 'locust.io/v2' && document.kind === 'LocustTest',
);

test('the upstream samples include v2 LocustTests to round-trip', () => {
  assert.ok(v2Samples.length >= 10, `only ${String(v2Samples.length)} v2 samples`);
});

for (const { file, document } of v2Samples) {
  test(`v2 → v1 → v2 loses nothing for the upstream sample ${file}`, () => {
    const v1 = convertLocustTest(document, 'locust.io/v1');
    assert.deepEqual(convertLocustTest(v1, 'locust.io/v2'), document);
  });
}

for (const object of [rich, sparse]) {
  test(`v2 → v1 → v2 loses nothing for the hand-made test ${String(object.metadata.name)}`, () => {
    assert.deepEqual(convertV1ToV2(convertV2ToV1(object)), object);
  });
}

const v1Objects: LocustTestV1[] = [
  ...upstreamSamples()
    .filter(({ document }) => document.apiVersion === 'locust.io/v1')
    .map(({ document }) => document as unknown as LocustTestV1),
  convertV2ToV1(convertV1ToV2(convertV2ToV1(rich))),
  {
    apiVersion: 'locust.io/v1',
    kind: 'LocustTest',
    metadata: { name: 'full-v1', annotations: { owner: 'perf' } },
    spec: {
      masterCommandSeed: command,
      workerCommandSeed: command,
      workerReplicas: 4,
      image: 'locustio/locust:2.43.1',
      imagePullPolicy: 'IfNotPresent',
      imagePullSecrets: ['regcred'],
      configMap: 'tests',
      libConfigMap: 'lib',
      labels: { master: { a: '1' } },
      annotations: { worker: { b: '2' } },
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { z: '1', a: '2' } },
      },
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    },
  },
];

test('the upstream samples include the v1 e2e test', () => {
  assert.ok(v1Objects.some((object) => object.metadata.name === 'e2e-test-v1'));
});

for (const object of v1Objects) {
  test(`v1 → v2 → v1 loses nothing for ${String(object.metadata.name)}`, () => {
    assert.deepEqual(
      convertLocustTest(convertLocustTest(object, 'locust.io/v2'), 'locust.io/v1'),
      object,
    );
  });
}

test('a v2 test v1 cannot express carries its whole spec as JSON in the annotation', () => {
  const annotations = convertV2ToV1(rich).metadata.annotations ?? {};
  assert.deepEqual(JSON.parse(annotations[v2SpecAnnotation] ?? 'null'), rich.spec);
  assert.equal(annotations.owner, 'perf');
});

test('a v2 test v1 expresses fully gets no annotation, and a stale one is removed', () => {
  const fromV1 = convertV1ToV2(v1Objects[0] ?? assert.fail('no v1 sample'));
  const stale = { ...fromV1, metadata: { name: 'x', annotations: { [v2SpecAnnotation]: '{}' } } };
  assert.deepEqual(convertV2ToV1(stale).metadata, { name: 'x' });
});

test('v1 → v2 removes the annotation and keeps the other annotations', () => {
  const back = convertV1ToV2(convertV2ToV1(rich));
  assert.deepEqual(back.metadata.annotations, { owner: 'perf' });
});

type V1Edit = (spec: LocustTestV1Spec) => void;
type V2Expectation = (spec: LocustTestSpec) => void;

/** Converts `rich` to v1, edits it there, converts back; the result must be `rich`, as expected. */
function editThroughV1(edit: V1Edit, expect: V2Expectation) {
  const v1 = convertV2ToV1(rich);
  edit(v1.spec);
  const expected = structuredClone(rich);
  expect(expected.spec);
  assert.deepEqual(convertV1ToV2(v1), expected);
}

const scheduling = (spec: LocustTestSpec) => spec.scheduling ?? assert.fail('no scheduling');
const nodeAffinity = (spec: LocustTestSpec) =>
  scheduling(spec).affinity?.nodeAffinity ?? assert.fail('no nodeAffinity');

const edits: { name: string; edit: V1Edit; expect: V2Expectation }[] = [
  {
    name: 'workerReplicas 3 → 5 shows as worker.replicas 5',
    edit: (s) => (s.workerReplicas = 5),
    expect: (s) => (s.worker.replicas = 5),
  },
  { name: 'a new image', edit: (s) => (s.image = 'x:2'), expect: (s) => (s.image = 'x:2') },
  {
    name: 'a new master command seed',
    edit: (s) => (s.masterCommandSeed = '--headless'),
    expect: (s) => (s.master.command = '--headless'),
  },
  {
    name: 'removing imagePullPolicy and imagePullSecrets removes them',
    edit: (s) => {
      delete s.imagePullPolicy;
      delete s.imagePullSecrets;
    },
    expect: (s) => {
      delete s.imagePullPolicy;
      delete s.imagePullSecrets;
    },
  },
  {
    name: 'removing configMap removes configMapRef and keeps the v2-only mount path',
    edit: (s) => delete s.configMap,
    expect: (s) => delete s.testFiles?.configMapRef,
  },
  {
    name: 'removing the master labels removes them and keeps the worker labels',
    edit: (s) => delete s.labels?.master,
    expect: (s) => delete s.master.labels,
  },
  {
    name: 'a changed worker annotation',
    edit: (s) => (s.annotations = { ...s.annotations, worker: { 'prometheus.io/scrape': 'true' } }),
    expect: (s) => (s.worker.annotations = { 'prometheus.io/scrape': 'true' }),
  },
  {
    name: 'removing the affinity removes the required node terms and keeps the rest',
    edit: (s) => delete s.affinity,
    expect: (s) => delete nodeAffinity(s).requiredDuringSchedulingIgnoredDuringExecution,
  },
  {
    name: 'a changed affinity map replaces the required node terms and keeps the rest',
    edit: (s) =>
      (s.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { arch: 'arm64' } },
      }),
    expect: (s) =>
      (nodeAffinity(s).requiredDuringSchedulingIgnoredDuringExecution = {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'arch', operator: 'In', values: ['arm64'] }] },
        ],
      }),
  },
  {
    name: 'an added toleration keeps tolerationSeconds of the others and those v1 could not show',
    edit: (s) => s.tolerations?.push({ key: 'new', operator: 'Exists', effect: 'NoSchedule' }),
    expect: (s) =>
      (scheduling(s).tolerations = [
        dedicated,
        spot,
        gpu,
        { key: 'new', operator: 'Exists', effect: 'NoSchedule' },
        everything,
      ]),
  },
  {
    name: 'removing the tolerations keeps only those v1 could not show',
    edit: (s) => delete s.tolerations,
    expect: (s) => (scheduling(s).tolerations = [everything]),
  },
  {
    name: 'rewriting fields with equal values changes nothing, so the affinity stays unflattened',
    edit: (s) => {
      s.labels = { master: { team: 'perf' }, worker: { role: 'worker', team: 'perf' } };
      s.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { arch: 'amd64' } },
      };
    },
    expect: () => undefined,
  },
];

for (const { name, edit, expect } of edits) {
  test(`an edit through v1 wins and v2-only fields survive: ${name}`, () => {
    editThroughV1(edit, expect);
  });
}

test('writing v1 empty values where v1 showed nothing changes nothing in v2', () => {
  const v1 = convertV2ToV1(sparse);
  Object.assign(v1.spec, { configMap: '', labels: { master: {} }, imagePullSecrets: [''] });
  assert.deepEqual(convertV1ToV2(v1), sparse);
});
