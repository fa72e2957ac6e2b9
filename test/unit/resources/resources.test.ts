import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import { defaultOperatorConfig, type OperatorConfig } from '../../../src/resources/index.ts';
import { configWith, demoTest, locustContainerOf, renderJobs } from './fixtures.ts';

const base = demoTest();

function resourcesOf(
  own: { master?: V1ResourceRequirements; worker?: V1ResourceRequirements },
  config: OperatorConfig = defaultOperatorConfig,
) {
  const test = demoTest({
    master: { ...base.spec.master, ...(own.master === undefined ? {} : { resources: own.master }) },
    worker: { ...base.spec.worker, ...(own.worker === undefined ? {} : { resources: own.worker }) },
  });
  const { master, worker } = renderJobs(test, config);
  return {
    master: locustContainerOf(master).resources,
    worker: locustContainerOf(worker).resources,
  };
}

const unified = {
  requests: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '30M' },
  limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '50M' },
};

test('without CR or role-specific resources both containers get the unified POD_* values', () => {
  assert.deepEqual(resourcesOf({}), { master: unified, worker: unified });
});

const crCases: { name: string; resources: V1ResourceRequirements }[] = [
  { name: 'requests only (no limits at all)', resources: { requests: { cpu: '2' } } },
  { name: 'limits only', resources: { limits: { memory: '2Gi' } } },
  {
    name: 'requests and limits with extra resource names',
    resources: { requests: { cpu: '1', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
  },
  {
    name: 'claims only (deliberately counted as specified)',
    resources: { claims: [{ name: 'gpu' }] },
  },
];

for (const { name, resources } of crCases) {
  test(`CR-level resources are used verbatim and alone: ${name}`, () => {
    const rendered = resourcesOf({ master: resources, worker: resources });
    assert.deepEqual(rendered, { master: resources, worker: resources });
  });
}

test('empty CR-level resources count as unset', () => {
  const rendered = resourcesOf({ master: {}, worker: { requests: {}, limits: {}, claims: [] } });
  assert.deepEqual(rendered, { master: unified, worker: unified });
});

test('CR-level resources of one role leave the other role on the operator values', () => {
  const rendered = resourcesOf({ master: { limits: { cpu: '3' } } });
  assert.deepEqual(rendered, { master: { limits: { cpu: '3' } }, worker: unified });
});

test('role-specific settings override the unified ones field by field', () => {
  const config = configWith({
    masterPodResources: { requests: { cpu: '2' }, limits: { memory: '4Gi' } },
    workerPodResources: { requests: { 'ephemeral-storage': '1G' }, limits: {} },
  });
  assert.deepEqual(resourcesOf({}, config), {
    master: {
      requests: { cpu: '2', memory: '128Mi', 'ephemeral-storage': '30M' },
      limits: { cpu: '1000m', memory: '4Gi', 'ephemeral-storage': '50M' },
    },
    worker: {
      requests: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '1G' },
      limits: unified.limits,
    },
  });
});

test('CR-level resources win over role-specific settings', () => {
  const config = configWith({
    masterPodResources: { requests: { cpu: '2' }, limits: {} },
  });
  assert.deepEqual(resourcesOf({ master: { requests: { memory: '1Gi' } } }, config).master, {
    requests: { memory: '1Gi' },
  });
});

test('a resource no level sets is left out, and an empty side is omitted', () => {
  const config = configWith({
    podResources: { requests: { cpu: '100m' }, limits: {} },
    masterPodResources: { requests: {}, limits: { cpu: '' } },
  });
  assert.deepEqual(resourcesOf({}, config), {
    master: { requests: { cpu: '100m' } },
    worker: { requests: { cpu: '100m' } },
  });
});

test('with no operator values at all the container has no resources field', () => {
  const none = { requests: {}, limits: {} };
  const config = configWith({ podResources: none });
  const { master } = renderJobs(demoTest(), config);
  assert.equal('resources' in locustContainerOf(master), false);
});
