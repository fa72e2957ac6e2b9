/** run --local resolves env from ConfigMaps and Secrets it was given, as the kubelet would. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocustTest } from '../../../src/api/index.ts';
import { planLocalRun, type LocalEnvSources } from '../../../src/local/local-plan.ts';
import { defaultOperatorConfig, render } from '../../../src/resources/index.ts';

const demo: LocustTest = {
  apiVersion: 'locust.io/v2',
  kind: 'LocustTest',
  metadata: { name: 'demo', namespace: 'load' },
  spec: {
    image: 'locustio/locust:2.47.0',
    master: { command: '--locustfile /lotest/src/locustfile.py' },
    worker: { command: '--locustfile /lotest/src/locustfile.py', replicas: 1 },
    testFiles: { configMapRef: 'scripts' },
    env: {
      configMapRefs: [{ name: 'settings', prefix: 'APP_' }, { name: 'absent' }],
      secretRefs: [{ name: 'creds' }],
      variables: [
        { name: 'TOKEN', value: 'from-env-wins-over-envFrom' },
        { name: 'DATA_DIR', value: '/lotest/src/data' },
        { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'MAYBE', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } },
        { name: 'NOPE', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    },
  },
};

const sources: LocalEnvSources = {
  configMaps: new Map([['settings', { region: 'eu', MODE: 'fast' }]]),
  secrets: new Map([['creds', { TOKEN: 'secret-token', password: 'hunter2' }]]),
};

function plan(envSources?: LocalEnvSources) {
  return planLocalRun(render(demo, defaultOperatorConfig), {
    locustExecutable: '/venv/bin/locust',
    testFilesDir: '/tmp/files',
    workDir: '/tmp/work',
    masterPort: 40001,
    webPort: 40002,
    ...(envSources === undefined ? {} : { envSources }),
  });
}

test('envFrom sources come first with their prefix, then env in order; mount paths are rewritten', () => {
  const { master, warnings } = plan(sources);
  assert.deepEqual(master.env, {
    APP_region: 'eu',
    APP_MODE: 'fast',
    TOKEN: 'from-env-wins-over-envFrom',
    password: 'hunter2',
    DATA_DIR: '/tmp/files/data',
    REGION: 'eu',
    PASSWORD: 'hunter2',
  });
  assert.deepEqual(warnings.slice(0, 4), [
    'envFrom ConfigMap absent of demo-master is not available locally; skipped',
    'env NOPE of demo-master: Secret creds has no key nope; skipped',
    'env POD of demo-master uses valueFrom; skipped',
    'envFrom ConfigMap absent of demo-worker is not available locally; skipped',
  ]);
});

test('without sources the plan keeps its old behaviour: plain values only, every reference warned', () => {
  const { master, warnings } = plan();
  assert.deepEqual(master.env, {
    TOKEN: 'from-env-wins-over-envFrom',
    DATA_DIR: '/tmp/files/data',
  });
  assert.ok(warnings.includes('envFrom Secret creds of demo-master skipped'));
  assert.ok(warnings.includes('env PASSWORD of demo-master uses valueFrom; skipped'));
});
