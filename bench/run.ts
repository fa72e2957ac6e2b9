/**
 * `npm run bench`: how the operator copes with many LocustTests at once, on the local control
 * plane (cluster `bench`, its own ports, KWOK nodes). Builds the operator, starts the BUILT
 * operator (node dist/main.js) as its own process, and for each size N creates N tests of 5
 * workers at once in a fresh namespace, then measures time to objects / Running / steady state,
 * per-test latency, the operator's CPU and memory (from /proc) and its API requests per test (from
 * its /metrics), then deletes them and times the garbage collection. Then the same with 5,000
 * unrelated pods in the cluster, then a leader failover with two replicas. Writes
 * bench/results/<date>-<time>.json and .md and prints the table. Every wait has a deadline;
 * everything it started is stopped at the end (the cluster too, unless --keep-cluster).
 *
 *   npm run bench                      # N = 10, 100, 500
 *   npm run bench -- --tests 10        # one size (quick check)
 *   npm run bench -- --full            # adds N = 1000
 *   npm run bench -- --tests 100 --profile   # node --cpu-prof, into bench/results/
 *   npm run bench -- --runs 3          # every measurement 3 times; the table shows medians
 */
import { Command, Option } from '@commander-js/extra-typings';
import type { V1Pod } from '@kubernetes/client-node';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBinaries } from '../scripts/control-plane/build.ts';
import { clusterDown, clusterUp, kubectl } from '../scripts/control-plane/cluster.ts';
import { clusterLayout } from '../scripts/control-plane/layout.ts';
import { stopProcess } from '../scripts/control-plane/processes.ts';
import { repoRoot } from '../scripts/control-plane/versions.ts';
import { freeLoopbackPorts } from '../src/local/free-port.ts';
import { isApiError } from '../src/runtime/errors.ts';
import { Informer } from '../src/runtime/informer.ts';
import { KubeClient } from '../src/runtime/kube-client.ts';
import { resourceTypes } from '../src/runtime/resources.ts';
import {
  benchTest,
  createNamespace,
  createScriptsConfigMap,
  createWithRetry,
  deleteNamespace,
  forEachLimited,
  leftoverNamespaces,
  noiseLabel,
  noisePod,
  waitForEstablished,
} from './lib/kube.ts';
import { describeMachine, loadAverageNow } from './lib/machine.ts';
import { buildOperator, OperatorProcess } from './lib/operator-process.ts';
import { ProcSampler, type ProcWindow } from './lib/proc-stats.ts';
import { summariseProfile } from './lib/profile.ts';
import { counterIncrease, scrape, total, type PromSample } from './lib/prometheus.ts';
import {
  renderMarkdown,
  type ApiRequestFigures,
  type FailoverResult,
  type OperatorWindow,
  type RunResult,
  type Scenario,
  type SizeResult,
  type UnrelatedPodsResult,
} from './lib/results.ts';
import { distribution, round } from './lib/stats.ts';
import { NamespaceTracker, waitUntil } from './lib/tracker.ts';

const workersPerTest = 5;
const apiMetric = 'locust_operator_api_requests_total';
const apiLatencyMetric = 'locust_operator_api_request_duration_seconds';
const reconcileMetric = 'controller_runtime_reconcile_total';
/** Short, so every test reaches its steady state (PodsHealthy) inside its own size's window. */
const podHealthGracePeriod = '10s';

/** Creation to steady state for N tests: generous for a busy 2-core machine, but bounded. */
const settleTimeoutMs = (n: number): number => 120_000 + 1_000 * n;
const deletionTimeoutMs = (n: number): number => 60_000 + 500 * n;
const unrelatedTimeoutMs = 600_000;
const namespaceDeletionTimeoutMs = 300_000;

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

const program = new Command('bench')
  .description('Benchmarks the built operator on the local control plane (cluster "bench").')
  .addOption(
    new Option('--tests <n>', 'run this size only (default: 10, 100, 500)').argParser(
      parsePositiveInt,
    ),
  )
  .option('--full', 'also run N = 1000', false)
  .addOption(
    new Option('--runs <k>', 'repeat every measurement k times; the table shows medians')
      .default(1)
      .argParser(parsePositiveInt),
  )
  .option('--profile', 'run the operator with node --cpu-prof (into bench/results/)', false)
  .option('--keep-cluster', 'leave the bench cluster running at the end', false)
  .addOption(
    new Option('--unrelated-pods <n>', 'unrelated pods for the second pass (0 skips it)')
      .default(5000)
      .argParser((v) => (v === '0' ? 0 : parsePositiveInt(v))),
  )
  .addOption(
    new Option(
      '--failover-tests <n>',
      'tests in the failover run (0 skips it; default: 100, or --tests)',
    ).argParser((v) => (v === '0' ? 0 : parsePositiveInt(v))),
  )
  .addOption(
    new Option('--concurrency <n>', 'creates and deletes in flight')
      .default(20)
      .argParser(parsePositiveInt),
  );

type Options = ReturnType<typeof program.opts>;

const started = Date.now();
function log(line: string): void {
  const at = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.error(`[bench ${at}s] ${line}`);
}

const mib = (kib: number): number => round(kib / 1024, 1) ?? Number.NaN;
const secondsSince = (from: number, to: number | undefined): number | null =>
  to === undefined ? null : round((to - from) / 1000, 2);

function operatorWindow(window: ProcWindow): OperatorWindow {
  return {
    cpuSeconds: round(window.cpuSeconds, 2) ?? Number.NaN,
    peakRssMiB: mib(window.peakRssKiB),
    rssStartMiB: mib(window.rssStartKiB),
    rssEndMiB: mib(window.rssEndKiB),
    hwmEndMiB: mib(window.hwmEndKiB),
  };
}

function apiRequests(before: PromSample[], after: PromSample[], tests: number): ApiRequestFigures {
  const byVerbResource = counterIncrease(before, after, apiMetric, (l) => {
    return `${l.verb ?? '?'} ${l.resource ?? '?'}`;
  });
  const byCode = counterIncrease(before, after, apiMetric, (l) => l.code ?? '?');
  const verbResource = (l: Record<string, string>): string =>
    `${l.verb ?? '?'} ${l.resource ?? '?'}`;
  const latencySum = counterIncrease(before, after, `${apiLatencyMetric}_sum`, verbResource);
  const latencyCount = counterIncrease(before, after, `${apiLatencyMetric}_count`, verbResource);
  const sum = [...byVerbResource.values()].reduce((a, b) => a + b, 0);
  return {
    total: sum,
    perTest: round(sum / Math.max(1, tests), 2) ?? Number.NaN,
    perTestByVerbResource: Object.fromEntries(
      [...byVerbResource].map(([key, n]) => [key, round(n / Math.max(1, tests), 2) ?? n]),
    ),
    byCode: Object.fromEntries(byCode),
    meanLatencyMs: Object.fromEntries(
      [...latencyCount]
        .filter(([, count]) => count > 0)
        .map(([key, count]) => [key, round((1000 * (latencySum.get(key) ?? 0)) / count, 1) ?? 0]),
    ),
  };
}

/** Everything a phase needs; `namespaces` lists what clean-up must delete. */
interface Context {
  options: Options;
  client: KubeClient;
  operator: OperatorProcess;
  sampler: ProcSampler;
  metricsUrl: string;
  signal: AbortSignal;
  namespaces: Set<string>;
}

/**
 * Scrapes once the operator has stopped making requests (two scrapes 2 s apart agree), so a
 * size's figures include the tail of its status updates; at most 30 s.
 */
async function scrapeWhenQuiet(ctx: Context): Promise<PromSample[]> {
  const deadline = Date.now() + 30_000;
  let previous = await scrape(ctx.metricsUrl);
  for (;;) {
    await sleep(2_000, undefined, { signal: ctx.signal });
    const current = await scrape(ctx.metricsUrl);
    if (total(current, apiMetric) === total(previous, apiMetric) || Date.now() > deadline) {
      return current;
    }
    previous = current;
  }
}

function testNames(n: number): string[] {
  const width = String(n - 1).length;
  return Array.from({ length: n }, (_, i) => `t${String(i).padStart(width, '0')}`);
}

async function runSize(
  ctx: Context,
  n: number,
  scenario: Scenario,
): Promise<Omit<SizeResult, 'run'>> {
  const { client, signal, sampler } = ctx;
  const problems: string[] = [];
  const namespace = await createNamespace(client, `bench-${String(n)}`, signal);
  ctx.namespaces.add(namespace);
  await createScriptsConfigMap(client, namespace);
  const tracker = new NamespaceTracker(client, namespace, workersPerTest, log);
  try {
    await tracker.synced(signal);
    const names = testNames(n);
    log(`${scenario} N=${String(n)}: creating ${String(n)} LocustTests in ${namespace}`);
    const before = await scrape(ctx.metricsUrl);
    const mark = sampler.mark();
    const start = Date.now();
    const deadline = start + settleTimeoutMs(n);
    let createFailures = 0;
    await forEachLimited(
      names,
      ctx.options.concurrency,
      async (name) => {
        const times = tracker.entry(name);
        times.sentAt = Date.now();
        try {
          await createWithRetry(
            client,
            resourceTypes.locustTests,
            namespace,
            benchTest(name, namespace, workersPerTest),
          );
          times.createdAt = Date.now();
        } catch (error) {
          createFailures++;
          tracker.times.delete(name);
          if (createFailures <= 3) problems.push(`create ${name}: ${String(error)}`);
        }
      },
      signal,
    );
    const createSeconds = (Date.now() - start) / 1000;
    const expected = n - createFailures;
    const progress = (what: string, field: 'objectsAt' | 'runningAt' | 'settledAt') => () => {
      log(`  ${what}: ${String(tracker.count(field))}/${String(expected)}`);
    };
    const objects = await waitUntil(
      () => tracker.count('objectsAt') >= expected,
      deadline,
      signal,
      progress('with Service and Jobs', 'objectsAt'),
    );
    const running = await waitUntil(
      () => tracker.count('runningAt') >= expected,
      deadline,
      signal,
      progress('Running', 'runningAt'),
    );
    log(`  all Running after ${((Date.now() - start) / 1000).toFixed(1)}s; waiting for workers`);
    const settled = await waitUntil(
      () => tracker.count('settledAt') >= expected,
      deadline,
      signal,
      progress('settled (5/5 workers, PodsHealthy)', 'settledAt'),
    );
    if (!objects || !running || !settled) problems.push('deadline passed before steady state');
    const after = await scrapeWhenQuiet(ctx);
    const window = operatorWindow(sampler.since(mark));
    const times = [...tracker.times.values()];
    const latency = (field: 'runningAt' | 'objectsAt'): number[] =>
      times.flatMap((t) => {
        const at = t[field];
        return at !== undefined && t.createdAt !== undefined ? [at - t.createdAt] : [];
      });
    const failed = tracker.count('failedAt');
    if (failed > 0) problems.push(`${String(failed)} tests went Failed`);

    log(`${scenario} N=${String(n)}: deleting`);
    const deleteBefore = after;
    const deleteMark = sampler.mark();
    const deleteStart = Date.now();
    await forEachLimited(
      names,
      ctx.options.concurrency,
      async (name) => {
        try {
          await client.delete(resourceTypes.locustTests, namespace, name);
        } catch (error) {
          if (!isApiError(error, 'NotFound')) throw error;
        }
      },
      signal,
    );
    const gone = await waitUntil(
      () => {
        const left = tracker.remaining();
        return left.services + left.jobs + left.pods === 0;
      },
      deleteStart + deletionTimeoutMs(n),
      signal,
      () => {
        log(`  left: ${JSON.stringify(tracker.remaining())}`);
      },
    );
    const deleteEnd = Date.now();
    const deleteAfter = await scrapeWhenQuiet(ctx);
    const deleteWindow = operatorWindow(sampler.since(deleteMark));
    if (!gone) problems.push('deletion deadline passed');
    const reconciles = Object.fromEntries(
      counterIncrease(before, after, reconcileMetric, (l) => l.result ?? '?'),
    );
    const result: Omit<SizeResult, 'run'> = {
      scenario,
      tests: n,
      workersPerTest,
      namespace,
      createFailures,
      createSeconds: round(createSeconds, 2) ?? Number.NaN,
      allObjectsSeconds: objects ? secondsSince(start, tracker.last('objectsAt')) : null,
      allRunningSeconds: running ? secondsSince(start, tracker.last('runningAt')) : null,
      allSettledSeconds: settled ? secondsSince(start, tracker.last('settledAt')) : null,
      reached: {
        objects: tracker.count('objectsAt'),
        running: tracker.count('runningAt'),
        settled: tracker.count('settledAt'),
        failed,
      },
      runningLatencyMs: distribution(latency('runningAt')),
      objectsLatencyMs: distribution(latency('objectsAt')),
      raw: { runningLatencyMs: latency('runningAt'), objectsLatencyMs: latency('objectsAt') },
      operator: window,
      operatorHeapMiB: {
        heapUsed: mib(total(after, 'nodejs_heap_size_used_bytes') / 1024),
        heapTotal: mib(total(after, 'nodejs_heap_size_total_bytes') / 1024),
        external: mib(total(after, 'nodejs_external_memory_bytes') / 1024),
      },
      apiRequests: apiRequests(before, after, n),
      reconciles,
      deletion: {
        allGoneSeconds: gone ? secondsSince(deleteStart, deleteEnd) : null,
        remaining: tracker.remaining(),
        operator: deleteWindow,
        apiRequests: apiRequests(deleteBefore, deleteAfter, n),
      },
      problems,
    };
    log(
      `${scenario} N=${String(n)}: all Running ${String(result.allRunningSeconds)}s, ` +
        `p50/p99 ${String(result.runningLatencyMs.p50)}/${String(result.runningLatencyMs.p99)} ms, ` +
        `CPU ${String(window.cpuSeconds)}s, peak RSS ${String(window.peakRssMiB)} MiB, ` +
        `${String(result.apiRequests.perTest)} requests/test, deleted in ${String(result.deletion.allGoneSeconds)}s`,
    );
    return result;
  } finally {
    await tracker.close();
    if (await deleteNamespace(client, namespace, namespaceDeletionTimeoutMs)) {
      ctx.namespaces.delete(namespace);
    }
  }
}

/** Creates the unrelated pods (batches of 500, 25 in flight) and waits until they all run. */
async function createUnrelatedPods(ctx: Context, count: number): Promise<UnrelatedPodsResult> {
  const { client, signal, sampler } = ctx;
  const namespace = await createNamespace(client, 'bench-unrelated', signal);
  ctx.namespaces.add(namespace);
  const pods = new Informer<V1Pod>(client.listWatch<V1Pod>(resourceTypes.pods, { namespace }), {
    name: 'bench-unrelated-pods',
  });
  const stop = new AbortController();
  const watching = pods.run(stop.signal);
  try {
    await waitUntil(() => pods.hasSynced(), Date.now() + 60_000, signal);
    const before = await scrape(ctx.metricsUrl);
    const mark = sampler.mark();
    const start = Date.now();
    const batch = 500;
    for (let first = 0; first < count; first += batch) {
      const indexes = Array.from({ length: Math.min(batch, count - first) }, (_, i) => first + i);
      await forEachLimited(
        indexes,
        25,
        (index) => createWithRetry(client, resourceTypes.pods, namespace, noisePod(index)),
        signal,
      );
      log(`  unrelated pods created: ${String(first + indexes.length)}/${String(count)}`);
    }
    const createSeconds = (Date.now() - start) / 1000;
    const running = (): number => pods.list().filter((p) => p.status?.phase === 'Running').length;
    const allRunning = await waitUntil(
      () => running() >= count,
      start + unrelatedTimeoutMs,
      signal,
      () => {
        log(`  unrelated pods Running: ${String(running())}/${String(count)}`);
      },
    );
    const runningAt = Date.now();
    // Give the operator time to react, if it (wrongly) watched these pods.
    await sleep(5_000, undefined, { signal });
    const after = await scrape(ctx.metricsUrl);
    const window = sampler.since(mark);
    return {
      pods: count,
      namespace,
      label: Object.entries(noiseLabel)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      createSeconds: round(createSeconds, 2) ?? Number.NaN,
      allRunningSeconds: allRunning ? secondsSince(start, runningAt) : null,
      running: running(),
      operatorRssBeforeMiB: mib(window.rssStartKiB),
      operatorRssAfterMiB: mib(window.rssEndKiB),
      operatorWhileCreating: operatorWindow(window),
      operatorApiRequestsWhileCreating: total(after, apiMetric) - total(before, apiMetric),
      deleteSeconds: null,
    };
  } finally {
    stop.abort();
    await watching;
  }
}

function operatorArgs(kubeconfig: string, extra: string[]): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--health-probe-bind-address=127.0.0.1:0',
    `--pod-health-grace-period=${podHealthGracePeriod}`,
    ...extra,
  ];
}

/** GETs the replica's /readyz (address from its "operator starting" line) until it says 200. */
async function waitUntilReady(replica: OperatorProcess, signal: AbortSignal): Promise<void> {
  const line = await replica.waitForLog(
    (l) => l.msg === 'operator starting',
    '"operator starting"',
    60_000,
    signal,
  );
  const probes = String(line.fields.probes);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://${probes}/readyz`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${replica.name} not ready within 60s`);
    await sleep(200, undefined, { signal });
  }
}

/**
 * Two replicas with leader election; N tests created at once; the leader is killed with SIGKILL
 * (its lease is not released) once half are Running; times the successor's takeover.
 */
async function failover(
  ctx: Omit<Context, 'operator' | 'sampler' | 'metricsUrl'>,
  n: number,
  kubeconfig: string,
  stateDir: string,
): Promise<FailoverResult> {
  const { client, signal } = ctx;
  const problems: string[] = [];
  const namespace = await createNamespace(client, 'bench-failover', signal);
  ctx.namespaces.add(namespace);
  await createScriptsConfigMap(client, namespace);
  const args = operatorArgs(kubeconfig, [
    '--leader-elect',
    `--leader-election-namespace=${namespace}`,
  ]);
  const replicas: OperatorProcess[] = [];
  const tracker = new NamespaceTracker(client, namespace, workersPerTest, log);
  try {
    await tracker.synced(signal);
    const leader = new OperatorProcess({ name: 'replica-a', stateDir, args });
    replicas.push(leader);
    await leader.waitForLog(
      (l) => l.msg === 'starting workers',
      '"starting workers"',
      90_000,
      signal,
    );
    const successor = new OperatorProcess({ name: 'replica-b', stateDir, args });
    replicas.push(successor);
    await waitUntilReady(successor, signal);
    await successor.waitForLog(
      (l) => l.msg === 'observed leader',
      '"observed leader"',
      30_000,
      signal,
    );
    log(
      `failover: leader ${leader.name} (pid ${String(leader.pid)}), successor ready; creating ${String(n)} tests`,
    );

    const start = Date.now();
    const deadline = start + settleTimeoutMs(n);
    const creating = forEachLimited(
      testNames(n),
      ctx.options.concurrency,
      async (name) => {
        tracker.entry(name).sentAt = Date.now();
        await createWithRetry(
          client,
          resourceTypes.locustTests,
          namespace,
          benchTest(name, namespace, workersPerTest),
        );
        tracker.entry(name).createdAt = Date.now();
      },
      signal,
    );
    // A rejection is handled when `creating` is awaited below; until then, do not crash on it.
    void creating.catch(() => undefined);
    const half = Math.ceil(n / 2);
    if (!(await waitUntil(() => tracker.count('runningAt') >= half, deadline, signal))) {
      problems.push(`only ${String(tracker.count('runningAt'))} Running before the deadline`);
    }
    leader.kill('SIGKILL');
    const killAt = Date.now();
    const runningAtKill = tracker.count('runningAt');
    log(`failover: killed the leader with ${String(runningAtKill)}/${String(n)} Running`);
    if (runningAtKill >= n)
      problems.push('every test was Running before the kill: the takeover had nothing left to do');
    await creating;

    const leading = await successor
      .waitForLog(
        (l) => l.msg === 'leading: starting controllers',
        '"leading: starting controllers"',
        120_000,
        signal,
      )
      .catch((error: unknown) => {
        problems.push(String(error));
        return undefined;
      });
    const workers = leading
      ? await successor
          .waitForLog((l) => l.msg === 'starting workers', '"starting workers"', 60_000, signal)
          .catch(() => undefined)
      : undefined;
    const allRunning = await waitUntil(
      () => tracker.count('runningAt') >= n,
      Math.max(deadline, killAt + 120_000),
      signal,
      () => {
        log(`  Running: ${String(tracker.count('runningAt'))}/${String(n)}`);
      },
    );
    // The first reconcile that logged something (created/phase changed); none when nothing was left to do.
    const firstReconcile = successor.logs.find(
      (l) => leading !== undefined && l.time >= leading.time && l.fields.reconcileId !== undefined,
    );
    if (!allRunning) problems.push('not all tests Running before the deadline');
    const result: FailoverResult = {
      tests: n,
      leader: leader.name,
      successor: successor.name,
      runningAtKill,
      killAfterSeconds: round((killAt - start) / 1000, 2) ?? Number.NaN,
      killToLeadingSeconds: secondsSince(killAt, leading?.time),
      killToWorkersSeconds: secondsSince(killAt, workers?.time),
      killToFirstReconcileSeconds: secondsSince(killAt, firstReconcile?.time),
      // Tests Running before the kill need nothing from the successor: never negative.
      killToAllRunningSeconds: allRunning
        ? Math.max(0, secondsSince(killAt, tracker.last('runningAt')) ?? 0)
        : null,
      allRunning: tracker.count('runningAt'),
      problems,
    };
    log(`failover: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await tracker.close();
    if (await deleteNamespace(client, namespace, namespaceDeletionTimeoutMs)) {
      ctx.namespaces.delete(namespace);
    }
  }
}

function timestamp(date: Date): string {
  const p = (v: number): string => String(v).padStart(2, '0');
  return (
    `${String(date.getFullYear())}-${p(date.getMonth() + 1)}-${p(date.getDate())}-` +
    `${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`
  );
}

async function main(): Promise<number> {
  program.parse();
  const options = program.opts();
  const sizes =
    options.tests !== undefined ? [options.tests] : [10, 100, 500, ...(options.full ? [1000] : [])];
  const failoverTests = options.failoverTests ?? options.tests ?? 100;
  const layout = clusterLayout('bench');
  const stamp = timestamp(new Date());
  const resultsDir = join(repoRoot, 'bench', 'results');
  const stateDir = join(repoRoot, '.cache', 'bench');
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const profileName = `${stamp}-operator.cpuprofile`;
  const nodeArgs = options.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`, `--cpu-prof-name=${profileName}`]
    : [];

  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    interrupts++;
    log(`${name}: stopping and cleaning up (again to exit at once)`);
    if (interrupts > 1) process.exit(130);
    abort.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const operators: OperatorProcess[] = [];
  // Never leave an operator behind, even if we die of an error.
  process.on('exit', () => {
    for (const operator of operators) operator.kill('SIGKILL');
  });
  const namespaces = new Set<string>();
  let client: KubeClient | undefined;
  let clusterStarted = false;
  const result: RunResult = {
    stamp,
    startedAt: new Date(started).toISOString(),
    argv: process.argv.slice(2),
    machine: describeMachine('unknown'),
    settings: {
      sizes,
      runs: options.runs,
      workersPerTest,
      createConcurrency: options.concurrency,
      operatorArgs: [],
      operatorNodeArgs: nodeArgs,
    },
    sizes: [],
    failovers: [],
    problems: [],
  };
  let exitCode = 0;
  try {
    log('building the operator (npm run build)');
    buildOperator();
    // Operators of an earlier run that was killed outright would compete with ours.
    for (const name of ['operator', 'replica-a', 'replica-b']) await stopProcess(stateDir, name);
    const bin = await ensureBinaries(log);
    log(`starting cluster "${layout.name}"`);
    clusterStarted = true;
    await clusterUp(layout, log);
    kubectl(layout, bin, ['apply', '-f', join(repoRoot, 'deploy', 'crd')]);
    const version = JSON.parse(kubectl(layout, bin, ['version', '-o', 'json'])) as {
      serverVersion?: { gitVersion?: string };
    };
    result.machine = describeMachine(version.serverVersion?.gitVersion ?? 'unknown');
    const kube = KubeClient.create({ kubeconfig: layout.kubeconfig });
    client = kube;
    await waitForEstablished(kube, 'locusttests.locust.io', abort.signal);
    for (const leftover of await leftoverNamespaces(kube)) {
      log(`deleting namespace ${leftover} left by an earlier run`);
      await deleteNamespace(kube, leftover, namespaceDeletionTimeoutMs);
    }

    const [metricsPort] = await freeLoopbackPorts(1);
    const args = operatorArgs(layout.kubeconfig, [
      `--metrics-bind-address=127.0.0.1:${String(metricsPort)}`,
    ]);
    result.settings.operatorArgs = args.map((a) =>
      a.replace(layout.kubeconfig, '<bench kubeconfig>'),
    );
    log(`starting the operator: node ${[...nodeArgs, 'dist/main.js', ...args].join(' ')}`);
    const operator = new OperatorProcess({ name: 'operator', stateDir, nodeArgs, args });
    operators.push(operator);
    await operator.waitForLog(
      (l) => l.msg === 'starting workers',
      '"starting workers"',
      90_000,
      abort.signal,
    );
    const sampler = new ProcSampler(operator.pid);
    await sleep(2_000, undefined, { signal: abort.signal });
    const idle = sampler.mark();
    result.operatorIdle = { rssMiB: mib(idle.start.rssKiB), hwmMiB: mib(idle.start.hwmKiB) };
    sampler.since(idle);
    const ctx: Context = {
      options,
      client: kube,
      operator,
      sampler,
      metricsUrl: `http://127.0.0.1:${String(metricsPort)}/metrics`,
      signal: abort.signal,
      namespaces,
    };

    // Runs interleave (10, 100, 500, 10, 100, ...) so a burst of load elsewhere on the machine
    // spoils one run of each size rather than every run of one size.
    const repeated = async (scenario: Scenario): Promise<void> => {
      for (let run = 1; run <= options.runs; run++) {
        for (const n of sizes) {
          if (options.runs > 1) log(`run ${String(run)}/${String(options.runs)}`);
          result.sizes.push({ ...(await runSize(ctx, n, scenario)), run });
        }
      }
    };
    await repeated('plain');
    if (options.unrelatedPods > 0) {
      log(`creating ${String(options.unrelatedPods)} unrelated pods`);
      const unrelated = await createUnrelatedPods(ctx, options.unrelatedPods);
      result.unrelatedPods = unrelated;
      await repeated('unrelated-pods');
      log('deleting the unrelated pods');
      const deleteStart = Date.now();
      if (await deleteNamespace(kube, unrelated.namespace, namespaceDeletionTimeoutMs)) {
        namespaces.delete(unrelated.namespace);
        unrelated.deleteSeconds = round((Date.now() - deleteStart) / 1000, 1);
      }
    }
    const final = sampler.last;
    if (final) result.operatorFinal = { hwmMiB: mib(final.hwmKiB), cpuSeconds: final.cpuSeconds };
    sampler.stop();
    // SIGTERM, not SIGKILL: node writes the --cpu-prof profile only on an orderly exit.
    await operator.stop();
    if (options.profile) {
      const file = join(resultsDir, profileName);
      if (existsSync(file)) result.profile = relative(repoRoot, file);
      else result.problems.push(`no profile at ${file}`);
    }
    if (failoverTests > 0) {
      log(`leader failover with ${String(failoverTests)} tests`);
      for (let run = 1; run <= options.runs; run++) {
        result.failovers.push(
          await failover(
            { options, client: kube, signal: abort.signal, namespaces },
            failoverTests,
            layout.kubeconfig,
            stateDir,
          ),
        );
      }
    }
  } catch (error) {
    exitCode = 1;
    result.problems.push(error instanceof Error ? error.message : String(error));
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await Promise.all(operators.map((operator) => operator.stop()));
    if (client && namespaces.size > 0) {
      // With the cluster about to stop (and its state deleted) there is no need to wait.
      const wait = options.keepCluster ? namespaceDeletionTimeoutMs : 1;
      for (const namespace of namespaces) {
        await deleteNamespace(client, namespace, wait).catch((error: unknown) => {
          log(`could not delete namespace ${namespace}: ${String(error)}`);
        });
      }
    }
    if (clusterStarted && !options.keepCluster) {
      log(`stopping cluster "${layout.name}"`);
      await clusterDown(layout);
    }
    result.finishedAt = new Date().toISOString();
    result.machine.loadAverageEnd = loadAverageNow();
    const base = join(resultsDir, stamp);
    const markdown = renderMarkdown(result);
    writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(`${base}.md`, markdown);
    console.log(markdown);
    if (result.profile !== undefined) {
      console.log(`CPU profile: ${result.profile}\n`);
      console.log(summariseProfile(join(repoRoot, result.profile), 15));
    }
    log(`results: ${relative(repoRoot, base)}.json and .md`);
  }
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
