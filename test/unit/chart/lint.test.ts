import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { chartDir, runHelm, valuesArgs, valuesDir } from './chart.ts';

const valuesFiles = readdirSync(valuesDir)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

test('the chart is built by the pinned helm v3.22.0', () => {
  const version = runHelm(['version', '--short']);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^v3\.22\.0\b/);
});

for (const file of valuesFiles) {
  test(`helm lint --strict passes with ${file}`, () => {
    const lint = runHelm(['lint', '--strict', chartDir, ...valuesArgs([file])]);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  });
}

/** Values the schema (or a template guard) must refuse, and a fragment of the expected message. */
const refused: { sets: string[]; reason: string; message: RegExp }[] = [
  {
    sets: ['webhook.port=8443'],
    reason: 'the webhook server always listens on 9443 (weak spot 22)',
    message: /webhook\.port|\/webhook\/port/,
  },
  {
    sets: ['locustPods.resources.limits.cpu='],
    reason: 'an empty quantity does not remove a limit, the operator would use its default',
    message: /cpu/,
  },
  {
    sets: ['locustPods.resources.requests.memory=lots'],
    reason: 'not a Kubernetes quantity',
    message: /memory/,
  },
  {
    sets: ['locustPods.ttlSecondsAfterFinished=-1'],
    reason: 'a negative TTL',
    message: /ttlSecondsAfterFinished/,
  },
  {
    sets: ['locustPods.ttlSecondsAfterFinished=soon'],
    reason: 'a TTL that is not a number',
    message: /ttlSecondsAfterFinished/,
  },
  {
    sets: ['image.pullPolicy=Sometimes'],
    reason: 'an unknown pull policy',
    message: /pullPolicy/,
  },
  {
    sets: ['locustPods.runtimeClassName=Not_A_Name'],
    reason: 'a runtime class name that is not a DNS-1123 subdomain',
    message: /runtimeClassName/,
  },
  {
    sets: ['replicasCount=3'],
    reason: 'a misspelt key',
    message: /replicasCount/,
  },
  {
    sets: ['config.loadGenerationPods.resource.cpuRequest=1'],
    reason: "the Go chart's legacy config.* values are no longer read",
    message: /legacy config\.\* values are not supported/,
  },
  {
    sets: ['k8s.watchNamespace=elsewhere'],
    reason: 'watching one namespace needs the namespaced RBAC',
    message: /k8s\.watchNamespace needs k8s\.clusterRole\.enabled=false/,
  },
];

for (const { sets, reason, message } of refused) {
  test(`the chart refuses ${sets.join(' ')}: ${reason}`, () => {
    const result = runHelm(['template', 'rel', chartDir, ...sets.flatMap((s) => ['--set', s])]);
    assert.notEqual(result.status, 0, 'helm template succeeded');
    assert.match(result.stderr, message);
  });
}
