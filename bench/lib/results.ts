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
  /** `verb resource` → mean ms until the response headers (watches: until accepted). */
  meanLatencyMs?: Record<string, number>;
}

export type Scenario = 'plain' | 'unrelated-pods';

export interface SizeResult {
  scenario: Scenario;
  /** 1-based, with `--runs`. */
  run: number;
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
    /** Each measurement was repeated this many times (`--runs`). */
    runs: number;
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
  /** One per run. */
  failovers: FailoverResult[];
  problems: string[];
}

function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * The median of the runs' values; a run that hit its deadline (null) counts as slower than any
 * that finished, so the median is null ("timeout") only when most runs timed out.
 */
export function median(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) =>
    a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b,
  );
  // The lower middle for an even count: always one observed value.
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

/** The size results grouped by scenario and N, in the order they were first run. */
function groups(sizes: readonly SizeResult[]): SizeResult[][] {
  const byKey = new Map<string, SizeResult[]>();
  for (const s of sizes) {
    const key = `${s.scenario} ${String(s.tests)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  return [...byKey.values()];
}

const scaleHeader = [
  'create all (s)',
  'all objects (s)',
  'all Running (s)',
  'to Running p50 / p95 / p99 (ms)',
  'all settled (s)',
  'CPU (s)',
  'peak RSS (MiB)',
  'API req / test',
  'delete: all gone (s)',
];

/** The scale figures of one or more runs of one size (their medians). */
function scaleCells(runs: readonly SizeResult[]): string[] {
  const pick = (f: (s: SizeResult) => number | null): number | null => median(runs.map(f));
  const first = runs[0];
  const n = first?.tests ?? 0;
  const timed = (
    f: (s: SizeResult) => number | null,
    reached: (s: SizeResult) => number,
    of: number,
  ): string => {
    const value = pick(f);
    if (value !== null) return num(value);
    return `timeout (${runs.map((s) => String(reached(s))).join(', ')}/${String(of)})`;
  };
  return [
    num(pick((s) => s.createSeconds)),
    timed(
      (s) => s.allObjectsSeconds,
      (s) => s.reached.objects,
      n,
    ),
    timed(
      (s) => s.allRunningSeconds,
      (s) => s.reached.running,
      n,
    ),
    `${num(
      pick((s) => s.runningLatencyMs.p50),
      0,
    )} / ${num(
      pick((s) => s.runningLatencyMs.p95),
      0,
    )} / ${num(
      pick((s) => s.runningLatencyMs.p99),
      0,
    )}`,
    timed(
      (s) => s.allSettledSeconds,
      (s) => s.reached.settled,
      n,
    ),
    num(
      pick((s) => s.operator.cpuSeconds),
      2,
    ),
    num(pick((s) => s.operator.peakRssMiB)),
    num(
      pick((s) => s.apiRequests.perTest),
      2,
    ),
    num(pick((s) => s.deletion.allGoneSeconds)),
  ];
}

function failoverCells(runs: readonly FailoverResult[]): string[] {
  const pick = (f: (r: FailoverResult) => number | null): string => num(median(runs.map(f)));
  const first = runs[0];
  const allRunning = median(runs.map((r) => r.killToAllRunningSeconds));
  return [
    String(first?.tests ?? 0),
    pick((r) => r.runningAtKill).replace('.0', ''),
    pick((r) => r.killToLeadingSeconds),
    pick((r) => r.killToWorkersSeconds),
    pick((r) => r.killToFirstReconcileSeconds),
    allRunning === null
      ? `timeout (${runs.map((r) => String(r.allRunning)).join(', ')}/${String(first?.tests ?? 0)})`
      : num(allRunning),
  ];
}

/** The run as Markdown: the scale table, requests per test, unrelated pods and failover. */
export function renderMarkdown(result: RunResult): string {
  const m = result.machine;
  const runs = result.settings.runs;
  const many = runs > 1;
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
  ];
  const sized = groups(result.sizes);
  if (many) lines.push(`Medians of ${String(runs)} runs:`, '');
  lines.push(row(['scenario', 'N', ...scaleHeader]));
  lines.push(row(['---', '---', ...scaleHeader.map(() => '---:')]));
  for (const group of sized) {
    const first = group[0];
    if (first) lines.push(row([first.scenario, String(first.tests), ...scaleCells(group)]));
  }
  if (many) {
    lines.push('', 'Each run:', '');
    lines.push(row(['scenario', 'N', 'run', ...scaleHeader]));
    lines.push(row(['---', '---', '---:', ...scaleHeader.map(() => '---:')]));
    for (const group of sized)
      for (const s of group)
        lines.push(row([s.scenario, String(s.tests), String(s.run), ...scaleCells([s])]));
  }
  const verbs = [
    ...new Set(result.sizes.flatMap((s) => Object.keys(s.apiRequests.perTestByVerbResource))),
  ].sort();
  /** One row per size: a figure per `verb resource`, the median over its runs. */
  const verbTable = (
    title: string,
    columns: readonly string[],
    cell: (s: SizeResult, column: string) => number | null,
    digits: number,
  ): void => {
    lines.push('', title, '');
    lines.push(row(['scenario', 'N', ...columns]));
    lines.push(row(['---', '---', ...columns.map(() => '---:')]));
    for (const group of sized) {
      const first = group[0];
      if (!first) continue;
      const cells = columns.map((c) => num(median(group.map((s) => cell(s, c))), digits));
      lines.push(row([first.scenario, String(first.tests), ...cells]));
    }
  };
  if (verbs.length > 0)
    verbTable(
      `API requests per test by verb and resource (creation to steady state${many ? '; medians' : ''}):`,
      verbs,
      (s, v) => s.apiRequests.perTestByVerbResource[v] ?? 0,
      2,
    );
  if (result.sizes.some((s) => s.apiRequests.meanLatencyMs !== undefined))
    verbTable(
      `Mean API latency in ms, request to response headers, as the operator saw it${many ? ' (medians)' : ''}:`,
      verbs.filter((v) => !v.startsWith('watch ')),
      (s, v) => s.apiRequests.meanLatencyMs?.[v] ?? null,
      0,
    );
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
  const failovers = result.failovers;
  if (failovers.length > 0) {
    const header = [
      'N',
      'Running at kill',
      'kill → successor leading (s)',
      'kill → workers started (s)',
      'kill → first reconcile (s)',
      'kill → all Running (s)',
    ];
    lines.push(
      '',
      'Leader failover (two replicas, `--leader-elect`, lease 15 s; leader killed with SIGKILL):',
      '',
      row(many ? ['run', ...header] : header),
      row((many ? ['---', ...header] : header).map(() => '---:')),
    );
    if (many) {
      failovers.forEach((f, i) => lines.push(row([String(i + 1), ...failoverCells([f])])));
      lines.push(row(['median', ...failoverCells(failovers)]));
    } else {
      lines.push(row(failoverCells(failovers)));
    }
  }
  const problems = [
    ...result.problems,
    ...result.sizes.flatMap((s) =>
      s.problems.map(
        (p) => `${s.scenario} N=${String(s.tests)}${many ? ` run ${String(s.run)}` : ''}: ${p}`,
      ),
    ),
    ...failovers.flatMap((f) => f.problems.map((p) => `failover: ${p}`)),
  ];
  if (problems.length > 0) lines.push('', 'Problems:', '', ...problems.map((p) => `- ${p}`));
  return `${lines.join('\n')}\n`;
}
