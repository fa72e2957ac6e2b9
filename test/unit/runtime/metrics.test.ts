import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics } from '../../../src/runtime/metrics.ts';
import type { WorkQueueMetrics } from '../../../src/runtime/work-queue.ts';

/** The value of one sample line, e.g. `metric{a="b"}`, from the text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('a controller’s reconcile series exist, zeroed, before its first reconcile', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.reconcile('locusttest');
  const text = await metrics.registry.metrics();
  for (const result of ['success', 'error', 'requeue', 'requeue_after']) {
    const series = `controller_runtime_reconcile_total{controller="locusttest",result="${result}"}`;
    assert.equal(sample(text, series), 0);
  }
  assert.equal(
    sample(text, 'controller_runtime_reconcile_errors_total{controller="locusttest"}'),
    0,
  );
  assert.equal(sample(text, 'controller_runtime_active_workers{controller="locusttest"}'), 0);
});

test('reconciles are counted by result, errors twice over, and timed', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const recorder = metrics.reconcile('locusttest');
  assert.equal(metrics.reconcile('locusttest'), recorder, 'one recorder per controller');
  recorder.setMaxConcurrentReconciles(10);
  recorder.workerStarted();
  recorder.workerStarted();
  recorder.workerFinished();
  recorder.observe('success', 0.02);
  recorder.observe('error', 0.3);
  recorder.observe('requeue_after', 0.004);

  const text = await metrics.registry.metrics();
  const c = 'controller="locusttest"';
  assert.equal(sample(text, `controller_runtime_reconcile_total{${c},result="success"}`), 1);
  assert.equal(sample(text, `controller_runtime_reconcile_total{${c},result="error"}`), 1);
  assert.equal(sample(text, `controller_runtime_reconcile_total{${c},result="requeue_after"}`), 1);
  assert.equal(sample(text, `controller_runtime_reconcile_errors_total{${c}}`), 1);
  assert.equal(sample(text, `controller_runtime_reconcile_time_seconds_count{${c}}`), 3);
  assert.equal(
    sample(text, `controller_runtime_reconcile_time_seconds_bucket{le="0.005",${c}}`),
    1,
  );
  assert.equal(sample(text, `controller_runtime_max_concurrent_reconciles{${c}}`), 10);
  assert.equal(sample(text, `controller_runtime_active_workers{${c}}`), 1);
  assert.match(text, /# TYPE controller_runtime_reconcile_time_seconds histogram/);
});

test('the work-queue recorder fits the queue’s hooks and fills the workqueue family', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const hooks: WorkQueueMetrics = metrics.workQueue('locusttest');
  hooks.adds?.();
  hooks.adds?.();
  hooks.depth?.(2);
  hooks.queueLatency?.(0.5);
  hooks.workDuration?.(1.5);
  hooks.retries?.();
  hooks.unfinishedWork?.(3);
  hooks.longestRunningProcessor?.(2);

  const text = await metrics.registry.metrics();
  const n = '{name="locusttest"}';
  assert.equal(sample(text, `workqueue_adds_total${n}`), 2);
  assert.equal(sample(text, `workqueue_depth${n}`), 2);
  assert.equal(sample(text, `workqueue_queue_duration_seconds_count${n}`), 1);
  assert.equal(sample(text, `workqueue_work_duration_seconds_sum${n}`), 1.5);
  assert.equal(sample(text, `workqueue_retries_total${n}`), 1);
  assert.equal(sample(text, `workqueue_unfinished_work_seconds${n}`), 3);
  assert.equal(sample(text, `workqueue_longest_running_processor_seconds${n}`), 2);
  // client-go's buckets: powers of ten from 10 ns to 1000 s.
  assert.equal(
    sample(text, `workqueue_work_duration_seconds_bucket{le="1e-8",name="locusttest"}`),
    0,
  );
  assert.equal(
    sample(text, `workqueue_work_duration_seconds_bucket{le="1000",name="locusttest"}`),
    1,
  );
});

test('API requests are counted by code, method and host; leadership is 0 or 1', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.restClient.record('GET', 200, '127.0.0.1:6443');
  metrics.restClient.record('GET', 200, '127.0.0.1:6443');
  metrics.restClient.record('PUT', '<error>', '127.0.0.1:6443');
  const lease = metrics.leaderElection('locust-k8s-operator.locust.io');
  const before = await metrics.registry.metrics();
  lease.set(true);
  const after = await metrics.registry.metrics();

  assert.equal(
    sample(after, 'rest_client_requests_total{code="200",method="GET",host="127.0.0.1:6443"}'),
    2,
  );
  assert.equal(
    sample(after, 'rest_client_requests_total{code="<error>",method="PUT",host="127.0.0.1:6443"}'),
    1,
  );
  const series = 'leader_election_master_status{name="locust-k8s-operator.locust.io"}';
  assert.equal(sample(before, series), 0);
  assert.equal(sample(after, series), 1);
});

test('API requests are also counted by verb, resource and code', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.apiRequests.record('create', 'jobs', 201);
  metrics.apiRequests.record('create', 'jobs', 201);
  metrics.apiRequests.record('create', 'jobs', 409);
  metrics.apiRequests.record('watch', 'pods', '<error>');

  const text = await metrics.registry.metrics();
  const series = (verb: string, resource: string, code: string): string =>
    `locust_operator_api_requests_total{verb="${verb}",resource="${resource}",code="${code}"}`;
  assert.equal(sample(text, series('create', 'jobs', '201')), 2);
  assert.equal(sample(text, series('create', 'jobs', '409')), 1);
  assert.equal(sample(text, series('watch', 'pods', '<error>')), 1);
  assert.match(text, /# TYPE locust_operator_api_requests_total counter/);
});

test('API request latency is a histogram by verb and resource, with client-go buckets', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.apiRequests.latency('create', 'jobs', 0.02);
  metrics.apiRequests.latency('create', 'jobs', 0.3);
  const text = await metrics.registry.metrics();
  const name = 'locust_operator_api_request_duration_seconds';
  assert.equal(sample(text, `${name}_count{verb="create",resource="jobs"}`), 2);
  assert.equal(sample(text, `${name}_sum{verb="create",resource="jobs"}`), 0.32);
  assert.equal(sample(text, `${name}_bucket{le="0.025",verb="create",resource="jobs"}`), 1);
  assert.equal(sample(text, `${name}_bucket{le="0.5",verb="create",resource="jobs"}`), 2);
});

test('a collected gauge shows exactly what its callback returns at scrape time', async () => {
  const errors: string[] = [];
  const metrics = createMetrics({
    defaultMetrics: false,
    onCollectError: (name) => errors.push(name),
  });
  let counts: Record<string, number> | Error = { Pending: 2, Running: 1 };
  metrics.registerGauge({
    name: 'locust_operator_tests',
    help: 'LocustTests by phase',
    labelNames: ['phase'],
    collect: () => {
      if (counts instanceof Error) throw counts;
      return Object.entries(counts).map(([phase, value]) => ({ labels: { phase }, value }));
    },
  });

  let text = await metrics.registry.metrics();
  assert.equal(sample(text, 'locust_operator_tests{phase="Pending"}'), 2);
  assert.equal(sample(text, 'locust_operator_tests{phase="Running"}'), 1);
  counts = { Running: 3 };
  text = await metrics.registry.metrics();
  assert.equal(sample(text, 'locust_operator_tests{phase="Pending"}'), undefined);
  assert.equal(sample(text, 'locust_operator_tests{phase="Running"}'), 3);
  counts = new Error('cache not synced');
  text = await metrics.registry.metrics();
  assert.equal(sample(text, 'locust_operator_tests{phase="Running"}'), 3, 'last values kept');
  assert.deepEqual(errors, ['locust_operator_tests']);
});

test('process and Node.js collectors are on by default', async () => {
  const text = await createMetrics().registry.metrics();
  assert.match(text, /^process_cpu_seconds_total /m);
  assert.match(text, /^process_resident_memory_bytes /m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
});
