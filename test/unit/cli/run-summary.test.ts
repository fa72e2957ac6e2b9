import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStats, type LocustStats } from '../../../src/cli/locust-stats.ts';
import { formatRunSummary, runSummaryJson, type RunSummary } from '../../../src/cli/run-summary.ts';

// Trimmed from a real `GET /stats/requests` of Locust 2.47's master with two workers.
const answer = {
  current_rps: 4.0,
  errors: [
    {
      error: "HTTPError('500 Server Error: Internal Server Error for url: /about')",
      method: 'GET',
      name: '/about',
      occurrences: 28,
    },
  ],
  fail_ratio: 0.48,
  state: 'stopped',
  stats: [
    {
      avg_response_time: 4.73,
      current_rps: 1.0,
      max_response_time: 18.0,
      median_response_time: 4,
      method: 'GET',
      name: '/',
      num_failures: 0,
      num_requests: 30,
      'response_time_percentile_0.95': 9,
      'response_time_percentile_0.99': 18,
      total_rps: 10.0747,
    },
    {
      avg_response_time: 5.03,
      current_rps: 3.0,
      max_response_time: 17.0,
      median_response_time: 4,
      method: 'GET',
      name: '/about',
      num_failures: 28,
      num_requests: 28,
      'response_time_percentile_0.95': 8,
      'response_time_percentile_0.99': 17,
      total_rps: 9.403,
    },
    {
      avg_response_time: 4.88,
      current_rps: 4.0,
      max_response_time: 18.0,
      median_response_time: 4,
      method: '',
      name: 'Aggregated',
      num_failures: 28,
      num_requests: 58,
      'response_time_percentile_0.95': 9,
      'response_time_percentile_0.99': 18,
      total_rps: 19.4777,
    },
  ],
  user_count: 4,
  worker_count: 2,
  workers: [
    { id: 'a', state: 'running', user_count: 2 },
    { id: 'b', state: 'running', user_count: 2 },
  ],
};

function stats(): LocustStats {
  const parsed = parseStats(answer);
  assert.ok(parsed !== undefined);
  return parsed;
}

test('a /stats/requests answer parses into endpoints, the Aggregated row, workers and errors', () => {
  const parsed = stats();
  assert.equal(parsed.state, 'stopped');
  assert.equal(parsed.users, 4);
  assert.equal(parsed.workers, 2);
  assert.deepEqual(
    parsed.endpoints.map((e) => `${e.method} ${e.name} ${String(e.requests)}`),
    ['GET / 30', 'GET /about 28'],
  );
  assert.equal(parsed.aggregated.name, 'Aggregated');
  assert.equal(parsed.aggregated.requests, 58);
  assert.equal(parsed.aggregated.p99Ms, 18);
  assert.equal(parsed.errors[0]?.occurrences, 28);
});

test('answers that are not statistics are refused; missing numbers become 0 or null', () => {
  assert.equal(parseStats(null), undefined);
  assert.equal(parseStats({ stats: [] }), undefined);
  assert.equal(parseStats('<html>'), undefined);
  const empty = parseStats({ state: 'ready', stats: [] });
  assert.ok(empty !== undefined);
  assert.equal(empty.aggregated.requests, 0);
  assert.equal(empty.aggregated.medianMs, null);
  assert.equal(empty.workers, 0);
});

const base: RunSummary = {
  outcome: 'failed',
  exitCode: 1,
  master: { code: 1, signal: null },
  durationMs: 14_200,
  stats: undefined,
};

test('the summary has the verdict, a table per endpoint and aggregated, and the top errors', () => {
  assert.deepEqual(formatRunSummary({ ...base, stats: stats() }), [
    'FAILED: the master exited with code 1 after 14s',
    'TYPE  NAME        REQUESTS     FAILURES   RPS  MEDIAN   P95    P99',
    'GET   /                 30     0 (0.0%)  10.1    4 ms  9 ms  18 ms',
    'GET   /about            28  28 (100.0%)   9.4    4 ms  8 ms  17 ms',
    '      Aggregated        58   28 (48.3%)  19.5    4 ms  9 ms  18 ms',
    'Errors:',
    "  28× GET /about: HTTPError('500 Server Error: Internal Server Error for url: /about')",
  ]);
});

test('a summary says when the statistics are not final, and when there are none', () => {
  const running = { ...stats(), state: 'running', errors: [] };
  const lines = formatRunSummary({
    ...base,
    outcome: 'interrupted',
    exitCode: 130,
    stats: running,
  });
  assert.equal(lines[0], 'INTERRUPTED after 14s: the master exited with code 1');
  assert.equal(lines[1], 'Statistics as last read while the test was running:');
  assert.deepEqual(formatRunSummary({ ...base, master: { code: null, signal: 'SIGKILL' } }), [
    'FAILED: the master was ended by SIGKILL after 14s',
    'No statistics: the master never answered on its web port.',
  ]);
  const passed = formatRunSummary({
    ...base,
    outcome: 'passed',
    exitCode: 0,
    master: { code: 0, signal: null },
  });
  assert.equal(passed[0], 'PASSED: the master exited with code 0 after 14s');
});

test('an endpoint without requests shows no percentiles rather than 0 ms', () => {
  const none = parseStats({
    state: 'ready',
    stats: [{ name: 'Aggregated', median_response_time: 0 }],
  });
  assert.ok(none !== undefined);
  const [, row] = formatRunSummary({ ...base, stats: { ...none, state: 'stopped' } }).slice(1);
  assert.equal(row, '      Aggregated         0  0 (0.0%)  0.0       -    -    -');
});

test('the JSON summary carries the outcome, the exit code and every row', () => {
  const json = runSummaryJson({ ...base, stats: stats() });
  assert.equal(json.type, 'summary');
  assert.equal(json.outcome, 'failed');
  assert.equal(json.exitCode, 1);
  assert.equal(json.durationSeconds, 14.2);
  assert.deepEqual(json.master, { code: 1, signal: null });
  assert.equal((json.endpoints as unknown[]).length, 2);
  assert.deepEqual(json.aggregated, {
    method: '',
    name: 'Aggregated',
    requests: 58,
    failures: 28,
    rps: 19.4777,
    medianMs: 4,
    p95Ms: 9,
    p99Ms: 18,
    avgMs: 4.88,
    maxMs: 18,
  });
});
