import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTestSpec } from '../../../src/api/index.ts';
import type { OperatorConfig } from '../../../src/resources/index.ts';
import { configWith, demoTest, podSpecOf, renderJobs } from './fixtures.ts';

type Scheduling = NonNullable<LocustTestSpec['scheduling']>;

const affinity: Scheduling['affinity'] = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] },
      ],
    },
  },
};
const tolerations: Scheduling['tolerations'] = [
  { key: 'dedicated', operator: 'Equal', value: 'load', effect: 'NoSchedule' },
  { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
];

function podsOf(scheduling: Scheduling | undefined, config: Partial<OperatorConfig> = {}) {
  const { master, worker } = renderJobs(
    demoTest(scheduling === undefined ? {} : { scheduling }),
    configWith(config),
  );
  return [podSpecOf(master), podSpecOf(worker)] as const;
}

const gateCases: {
  name: string;
  gates: Partial<OperatorConfig>;
  affinity: boolean;
  tolerations: boolean;
}[] = [
  { name: 'both gates off (binary default)', gates: {}, affinity: false, tolerations: false },
  {
    name: 'affinity gate on',
    gates: { affinityInjection: true },
    affinity: true,
    tolerations: false,
  },
  {
    name: 'tolerations gate on',
    gates: { tolerationsInjection: true },
    affinity: false,
    tolerations: true,
  },
  {
    name: 'both gates on (chart default)',
    gates: { affinityInjection: true, tolerationsInjection: true },
    affinity: true,
    tolerations: true,
  },
];

for (const { name, gates, affinity: withAffinity, tolerations: withTolerations } of gateCases) {
  test(`affinity and tolerations follow the injection gates: ${name}`, () => {
    for (const pod of podsOf({ affinity, tolerations }, gates)) {
      assert.deepEqual(pod.affinity, withAffinity ? affinity : undefined);
      assert.deepEqual(pod.tolerations, withTolerations ? tolerations : undefined);
    }
  });
}

test('open gates with no affinity or tolerations, or empty ones, set nothing', () => {
  const gates = { affinityInjection: true, tolerationsInjection: true };
  for (const scheduling of [undefined, {}, { affinity: {}, tolerations: [] }]) {
    for (const pod of podsOf(scheduling, gates)) {
      assert.equal('affinity' in pod, false);
      assert.equal('tolerations' in pod, false);
    }
  }
});

test('nodeSelector is always applied when non-empty, and omitted when empty', () => {
  for (const pod of podsOf({ nodeSelector: { tier: 'compute', pool: 'load' } })) {
    assert.deepEqual(pod.nodeSelector, { tier: 'compute', pool: 'load' });
  }
  for (const pod of podsOf({ nodeSelector: {} })) assert.equal('nodeSelector' in pod, false);
});

const runtimeClassCases: {
  name: string;
  own: string | undefined;
  fallback: string | undefined;
  expected: string | undefined;
}[] = [
  { name: 'a CR value wins over the default', own: 'gvisor', fallback: 'kata', expected: 'gvisor' },
  {
    name: 'a CR value is used without a default',
    own: 'gvisor',
    fallback: undefined,
    expected: 'gvisor',
  },
  {
    name: 'an empty CR value opts out of the default',
    own: '',
    fallback: 'kata',
    expected: undefined,
  },
  {
    name: 'an empty CR value without default sets nothing',
    own: '',
    fallback: undefined,
    expected: undefined,
  },
  {
    name: 'an absent CR value takes the default',
    own: undefined,
    fallback: 'kata',
    expected: 'kata',
  },
  {
    name: 'absent everywhere sets nothing',
    own: undefined,
    fallback: undefined,
    expected: undefined,
  },
  { name: 'an empty default counts as none', own: undefined, fallback: '', expected: undefined },
];

for (const { name, own, fallback, expected } of runtimeClassCases) {
  test(`runtimeClassName: ${name}`, () => {
    const pods = podsOf(
      own === undefined ? {} : { runtimeClassName: own },
      fallback === undefined ? {} : { defaultRuntimeClassName: fallback },
    );
    for (const pod of pods) {
      assert.equal(pod.runtimeClassName, expected);
      assert.equal('runtimeClassName' in pod, expected !== undefined);
    }
  });
}
