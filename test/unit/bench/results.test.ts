import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  median,
  renderMarkdown,
  type RunResult,
  type SizeResult,
} from '../../../bench/lib/results.ts';
import { distribution } from '../../../bench/lib/stats.ts';

test('median is an observed value, and a timeout counts as slowest', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2);
  assert.equal(median([5, null, 1]), 5);
  assert.equal(median([null, null, 1]), null);
  assert.equal(median([]), null);
});

function size(run: number, allRunningSeconds: number | null, cpuSeconds: number): SizeResult {
  const window = { cpuSeconds, peakRssMiB: 100, rssStartMiB: 90, rssEndMiB: 95, hwmEndMiB: 100 };
  const requests = {
    total: 10,
    perTest: 10,
    perTestByVerbResource: { 'create jobs': 2 },
    byCode: {},
  };
  return {
    scenario: 'plain',
    run,
    tests: 10,
    workersPerTest: 5,
    namespace: `bench-10-${String(run)}`,
    createFailures: 0,
    createSeconds: 0.5,
    allObjectsSeconds: 1,
    allRunningSeconds,
    allSettledSeconds: 5,
    reached: { objects: 10, running: allRunningSeconds === null ? 7 : 10, settled: 10, failed: 0 },
    runningLatencyMs: distribution([100, 200, 300]),
    objectsLatencyMs: distribution([50]),
    raw: { runningLatencyMs: [], objectsLatencyMs: [] },
    operator: window,
    operatorHeapMiB: { heapUsed: 1, heapTotal: 2, external: 0 },
    apiRequests: requests,
    reconciles: {},
    deletion: {
      allGoneSeconds: 3,
      remaining: { services: 0, jobs: 0, pods: 0 },
      operator: window,
      apiRequests: requests,
    },
    problems: run === 2 ? ['running deadline passed'] : [],
  };
}

test('with --runs the table shows medians first, then every run, naming runs in problems', () => {
  const result: RunResult = {
    stamp: 's',
    startedAt: '',
    argv: [],
    machine: {
      cpuModel: 'cpu',
      cores: 2,
      memoryGiB: 24,
      node: 'v24',
      kubernetes: 'v1.36.3',
      os: 'Linux',
      loadAverageStart: 1,
    },
    settings: {
      sizes: [10],
      runs: 3,
      workersPerTest: 5,
      createConcurrency: 20,
      operatorArgs: [],
      operatorNodeArgs: [],
    },
    sizes: [size(1, 4, 1), size(2, null, 3), size(3, 2, 2)],
    failovers: [],
    problems: [],
  };
  const markdown = renderMarkdown(result);
  const lines = markdown.split('\n');
  assert.ok(lines.includes('Medians of 3 runs:'));
  const medianRow = lines.find((line) => line.startsWith('| plain | 10 | 0.5 |'));
  assert.ok(medianRow?.includes('| 4.0 |') === true, medianRow);
  assert.ok(medianRow.includes('| 2.00 |'), 'median CPU');
  assert.ok(
    lines.some((line) => line.startsWith('| plain | 10 | 2 |') && line.includes('timeout (7/10)')),
  );
  assert.ok(lines.includes('- plain N=10 run 2: running deadline passed'));
});
