import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultOperatorConfig, render } from '../../../src/resources/index.ts';
import { demoTest } from './fixtures.ts';

const operatorLabels = (name: string, role: string) => ({
  app: name,
  'performance-test-pod-name': `${name.replaceAll('.', '-')}-${role}`,
  'managed-by': 'locust-k8s-operator',
  'performance-test-name': name,
});

test('pods and Jobs carry the operator labels, the Service none', () => {
  const { masterService, masterJob, workerJob } = render(demoTest(), defaultOperatorConfig);
  assert.deepEqual(masterJob.spec?.template.metadata?.labels, operatorLabels('demo', 'master'));
  assert.deepEqual(workerJob.spec?.template.metadata?.labels, operatorLabels('demo', 'worker'));
  assert.deepEqual(masterJob.metadata?.labels, operatorLabels('demo', 'master'));
  assert.deepEqual(workerJob.metadata?.labels, operatorLabels('demo', 'worker'));
  assert.equal(masterService.metadata?.labels, undefined);
  assert.equal(masterService.metadata?.annotations, undefined);
});

test('a name with dots keeps them in app and performance-test-name but not in object names', () => {
  const { masterService, masterJob, workerJob } = render(
    demoTest({}, { name: 'team-a.load-test' }),
    defaultOperatorConfig,
  );
  assert.equal(masterService.metadata?.name, 'team-a-load-test-master');
  assert.deepEqual(masterService.spec?.selector, {
    'performance-test-pod-name': 'team-a-load-test-master',
  });
  assert.equal(masterJob.metadata?.name, 'team-a-load-test-master');
  assert.equal(workerJob.metadata?.name, 'team-a-load-test-worker');
  assert.equal(workerJob.spec?.template.spec?.containers[0]?.name, 'team-a-load-test-worker');
  assert.deepEqual(workerJob.metadata.labels, operatorLabels('team-a.load-test', 'worker'));
});

test('user labels are merged per role, and may override app', () => {
  const base = demoTest();
  const { masterJob, workerJob } = render(
    demoTest({
      master: { ...base.spec.master, labels: { role: 'master', app: 'custom' } },
      worker: { ...base.spec.worker, labels: { role: 'worker' } },
    }),
    defaultOperatorConfig,
  );
  assert.deepEqual(masterJob.spec?.template.metadata?.labels, {
    ...operatorLabels('demo', 'master'),
    app: 'custom',
    role: 'master',
  });
  assert.deepEqual(workerJob.metadata?.labels, {
    ...operatorLabels('demo', 'worker'),
    role: 'worker',
  });
});

test('user labels cannot override the pod name, managed-by or test name labels', () => {
  const base = demoTest();
  const hostile = {
    'performance-test-pod-name': 'other-master',
    'managed-by': 'someone',
    'performance-test-name': 'other',
    team: 'a',
  };
  const { masterJob, workerJob } = render(
    demoTest({
      master: { ...base.spec.master, labels: hostile },
      worker: { ...base.spec.worker, labels: hostile },
    }),
    defaultOperatorConfig,
  );
  assert.deepEqual(masterJob.spec?.template.metadata?.labels, {
    ...operatorLabels('demo', 'master'),
    team: 'a',
  });
  assert.deepEqual(workerJob.spec?.template.metadata?.labels, {
    ...operatorLabels('demo', 'worker'),
    team: 'a',
  });
});

test('the test’s own labels and annotations are not propagated', () => {
  const { masterService, masterJob } = render(
    demoTest({}, { labels: { env: 'prod' }, annotations: { note: 'x' } }),
    defaultOperatorConfig,
  );
  assert.equal(masterService.metadata?.labels, undefined);
  assert.equal(masterJob.metadata?.annotations, undefined);
  assert.equal(masterJob.spec?.template.metadata?.labels?.env, undefined);
  assert.equal(masterJob.spec?.template.metadata?.annotations?.note, undefined);
});

test('user annotations merge over the prometheus annotations on the master, alone on workers', () => {
  const base = demoTest();
  const { masterJob, workerJob } = render(
    demoTest({
      master: {
        ...base.spec.master,
        annotations: { 'prometheus.io/port': '8089', 'prometheus.io/scrape': 'false', a: 'b' },
      },
      worker: { ...base.spec.worker, annotations: { 'prometheus.io/scrape': 'false' } },
    }),
    defaultOperatorConfig,
  );
  assert.deepEqual(masterJob.spec?.template.metadata?.annotations, {
    'prometheus.io/scrape': 'false',
    'prometheus.io/path': '/metrics',
    'prometheus.io/port': '8089',
    a: 'b',
  });
  assert.deepEqual(workerJob.spec?.template.metadata?.annotations, {
    'prometheus.io/scrape': 'false',
  });
});

test('worker pods without user annotations have no annotations field', () => {
  const { workerJob } = render(demoTest(), defaultOperatorConfig);
  assert.equal(workerJob.spec?.template.metadata !== undefined, true);
  assert.equal('annotations' in (workerJob.spec?.template.metadata ?? {}), false);
});
