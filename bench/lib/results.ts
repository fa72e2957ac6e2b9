/** What one benchmark run records (the JSON file) and the Markdown tables made from it. */
import type { Distribution } from './stats.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kubernetes: string;
  os: string;
  /** 1-minute load average when the run started and ended: the machine is shared. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

export interface OperatorWindow {
  cpuSeconds: number;
  peakRssMiB: number;
  rssStartMiB: number;
  rssEndMiB: number;
  /** VmHWM at the end of the window: the lifetime peak so far. */
  hwmEndMiB: number;
}

export interface ApiRequestFigures {
  total: number;
  perTest: number;
  /** `verb resource` → requests per test. */
  perTestByVerbResource: Record<string, number>;
  /** HTTP status (or `<error>`) → requests (absolute). */
  byCode: Record<string, number>;
}

export type Scenario = 'plain' | 'unrelated-pods';

export interface SizeResult {
  scenario: Scenario;
  tests: number;
  workersPerTest: number;
  namespace: string;
  createFailures: number;
  /** From the first POST to the last 201. */
  createSeconds: number;
  /** From the first POST until every test had its Service and both Jobs; null: deadline. */
  allObjectsSeconds: number | null;
  allRunningSeconds: number | null;
  /** Until every test had all workers connected and PodsHealthy (its steady state). */
  allSettledSeconds: number | null;
  reached: { objects: number; running: number; settled: number; failed: number };
  /** Per test, from its own 201 to the event that showed it Running (ms). */
  runningLatencyMs: Distribution;
  objectsLatencyMs: Distribution;
  /** The per-test figures behind the distributions, in creation order. */
  raw: { runningLatencyMs: number[]; objectsLatencyMs: number[] };
  operator: OperatorWindow;
  /** The operator's own view at steady state (its /metrics): V8 heap and memory outside it. */
  operatorHeapMiB: { heapUsed: number; heapTotal: number; external: number };
  apiRequests: ApiRequestFigures;
  /** Reconciles by result during the window. */
  reconciles: Record<string, number>;
  deletion: {
    /** From the first DELETE until no Service, Job or Pod of the tests was left; null: deadline. */
    allGoneSeconds: number | null;
    remaining: { services: number; jobs: number; pods: number };
    operator: OperatorWindow;
    apiRequests: ApiRequestFigures;
  };
  problems: string[];
}

export interface UnrelatedPodsResult {
  pods: number;
  namespace: string;
  label: string;
  createSeconds: number;
  allRunningSeconds: number | null;
  running: number;
  /** The operator's RSS just before the pods were created and once they all ran. */
  operatorRssBeforeMiB: number;
  operatorRssAfterMiB: number;
  operatorWhileCreating: OperatorWindow;
  operatorApiRequestsWhileCreating: number;
  deleteSeconds: number | null;
}

export interface FailoverResult {
  tests: number;
  leader: string;
  successor: string;
  runningAtKill: number;
  /** From the first POST to the kill. */
  killAfterSeconds: number;
  /** From the kill (SIGKILL) to the successor's log lines (their own timestamps). */
  killToLeadingSeconds: number | null;
  killToWorkersSeconds: number | null;
  killToFirstReconcileSeconds: number | null;
  killToAllRunningSeconds: number | null;
  allRunning: number;
  problems: string[];
}

export interface RunResult {
  stamp: string;
  startedAt: string;
  finishedAt?: string;
  argv: string[];
  machine: Machine;
  settings: {
    sizes: number[];
    workersPerTest: number;
    createConcurrency: number;
    operatorArgs: string[];
    operatorNodeArgs: string[];
  };
  operatorIdle?: { rssMiB: number; hwmMiB: number };
  operatorFinal?: { hwmMiB: number; cpuSeconds: number };
  profile?: string;
  sizes: SizeResult[];
  unrelatedPods?: UnrelatedPodsResult;
  failover?: FailoverResult;
  problems: string[];
}

function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

function seconds(value: number | null, reached: number, of: number): string {
  return value === null ? `timeout (${String(reached)}/${String(of)})` : num(value);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The run as Markdown: the scale table, requests per test, unrelated pods and failover. */
export function renderMarkdown(result: RunResult): string {
  const m = result.machine;
  const lines: string[] = [
    `## Benchmark ${result.stamp}`,
    '',
    `Machine: ${m.cpuModel}, ${String(m.cores)} cores, ${num(m.memoryGiB, 0)} GiB; ${m.os}; ` +
      `Node.js ${m.node}; Kubernetes ${m.kubernetes} (local control plane, KWOK nodes); ` +
      `load average ${num(m.loadAverageStart)} at start, ${num(m.loadAverageEnd)} at end ` +
      '(shared machine).',
    `Operator: \`node ${[...result.settings.operatorNodeArgs, 'dist/main.js', ...result.settings.operatorArgs].join(' ')}\`; ` +
      `${String(result.settings.workersPerTest)} workers per test; ` +
      `${String(result.settings.createConcurrency)} creates in flight.`,
    '',
    row([
      'scenario',
      'N',
      'create all (s)',
      'all objects (s)',
      'all Running (s)',
      'to Running p50 / p95 / p99 (ms)',
      'all settled (s)',
      'CPU (s)',
      'peak RSS (MiB)',
      'API req / test',
      'delete: all gone (s)',
    ]),
    row(Array.from({ length: 11 }, (_, i) => (i < 2 ? '---' : '---:'))),
  ];
  for (const s of result.sizes) {
    const l = s.runningLatencyMs;
    lines.push(
      row([
        s.scenario,
        String(s.tests),
        num(s.createSeconds),
        seconds(s.allObjectsSeconds, s.reached.objects, s.tests),
        seconds(s.allRunningSeconds, s.reached.running, s.tests),
        `${num(l.p50, 0)} / ${num(l.p95, 0)} / ${num(l.p99, 0)}`,
        seconds(s.allSettledSeconds, s.reached.settled, s.tests),
        num(s.operator.cpuSeconds, 2),
        num(s.operator.peakRssMiB),
        num(s.apiRequests.perTest, 2),
        seconds(s.deletion.allGoneSeconds, 0, 0).replace(' (0/0)', ''),
      ]),
    );
  }
  const verbs = [
    ...new Set(result.sizes.flatMap((s) => Object.keys(s.apiRequests.perTestByVerbResource))),
  ].sort();
  if (verbs.length > 0) {
    lines.push('', 'API requests per test by verb and resource (creation to steady state):', '');
    lines.push(row(['scenario', 'N', ...verbs]));
    lines.push(row(['---', '---', ...verbs.map(() => '---:')]));
    for (const s of result.sizes) {
      lines.push(
        row([
          s.scenario,
          String(s.tests),
          ...verbs.map((v) => num(s.apiRequests.perTestByVerbResource[v] ?? 0, 2)),
        ]),
      );
    }
  }
  const u = result.unrelatedPods;
  if (u) {
    lines.push(
      '',
      `Unrelated pods: ${String(u.pods)} pods labelled \`${u.label}\` created in ${num(u.createSeconds)} s, ` +
        `all Running after ${u.allRunningSeconds === null ? `timeout (${String(u.running)})` : `${num(u.allRunningSeconds)} s`}; ` +
        `operator RSS ${num(u.operatorRssBeforeMiB)} MiB before, ${num(u.operatorRssAfterMiB)} MiB after ` +
        `(peak ${num(u.operatorWhileCreating.peakRssMiB)} MiB), ` +
        `${num(u.operatorWhileCreating.cpuSeconds, 2)} CPU s and ${String(u.operatorApiRequestsWhileCreating)} API requests while they were created.`,
    );
  }
  const f = result.failover;
  if (f) {
    lines.push(
      '',
      'Leader failover (two replicas, `--leader-elect`, lease 15 s; leader killed with SIGKILL):',
      '',
      row([
        'N',
        'Running at kill',
        'kill → successor leading (s)',
        'kill → workers started (s)',
        'kill → first reconcile (s)',
        'kill → all Running (s)',
      ]),
      row(['---:', '---:', '---:', '---:', '---:', '---:']),
      row([
        String(f.tests),
        String(f.runningAtKill),
        num(f.killToLeadingSeconds),
        num(f.killToWorkersSeconds),
        num(f.killToFirstReconcileSeconds),
        seconds(f.killToAllRunningSeconds, f.allRunning, f.tests),
      ]),
    );
  }
  const problems = [
    ...result.problems,
    ...result.sizes.flatMap((s) =>
      s.problems.map((p) => `${s.scenario} N=${String(s.tests)}: ${p}`),
    ),
    ...(f?.problems ?? []).map((p) => `failover: ${p}`),
  ];
  if (problems.length > 0) lines.push('', 'Problems:', '', ...problems.map((p) => `- ${p}`));
  return `${lines.join('\n')}\n`;
}
