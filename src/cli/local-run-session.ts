/**
 * A local run from start to verdict: starts the planned master and workers under an orphan guard,
 * shows their progress from the master's statistics, handles Ctrl-C / SIGTERM / SIGHUP by stopping
 * the master first (so it tells its workers to quit) and then everything, and returns the summary.
 * No Locust process outlives it: process groups, an exit hook, and the guard for a SIGKILL.
 */
import { constants as osConstants } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { startOrphanGuard, type OrphanGuard } from '../local/orphan-guard.ts';
import { startProcesses, type ProcessExit, type RunningProcess } from '../local/processes.ts';
import type { LiveView } from './live-view.ts';
import { fetchStats, type LocustStats } from './locust-stats.ts';
import type { PreparedRun } from './local-run-setup.ts';
import type { ProgressSnapshot } from './progress.ts';
import type { RunSummary } from './run-summary.ts';

/** Options of runLocally. */
export interface SessionOptions {
  readonly view: LiveView;
  /** Stream the master's output into the view. */
  readonly logs: boolean;
  readonly now: () => number;
  /** Statistics poll interval while the test runs; default 1000 ms. */
  readonly pollMs?: number;
}

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof stopSignals)[number];

function phaseOf(stats: LocustStats | undefined): Pick<ProgressSnapshot, 'phase' | 'detail'> {
  if (stats === undefined) return { phase: 'Pending', detail: 'starting' };
  switch (stats.state) {
    case 'ready':
      return { phase: 'Pending', detail: 'ready' };
    case 'spawning':
    case 'running':
      return { phase: 'Running', detail: stats.state };
    default:
      return { phase: 'Stopping', detail: stats.state };
  }
}

function snapshotOf(
  stats: LocustStats | undefined,
  expected: number,
  elapsedMs: number,
): ProgressSnapshot {
  const base = { elapsedMs, ...phaseOf(stats) };
  if (stats === undefined) return base;
  return {
    ...base,
    workers: { connected: stats.workers, expected },
    users: stats.users,
    rps: stats.aggregated.currentRps,
    requests: stats.aggregated.requests,
    failures: stats.aggregated.failures,
  };
}

/** The shell's convention: 128 + the signal's number. */
function signalExitCode(signal: string): number {
  const number = (osConstants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 0);
}

function describeExit(exit: ProcessExit): string {
  if (exit.error !== undefined) return `could not start: ${exit.error.message}`;
  if (exit.signal !== null) return `was ended by ${exit.signal}`;
  return `exited with code ${String(exit.code)}`;
}

// Splits a process's output into lines for the view; a partial last line waits for the rest.
function lineSplitter(emit: (name: string, line: string) => void) {
  const partial = new Map<string, string>();
  return (name: string, text: string) => {
    const lines = ((partial.get(name) ?? '') + text).split('\n');
    partial.set(name, lines.pop() ?? '');
    for (const line of lines) emit(name, line);
  };
}

/** What a session ends with: the summary, and the master's output for a post-mortem. */
export interface SessionResult {
  readonly summary: RunSummary;
  readonly masterOutput: string;
}

/** Runs `prepared` until the master ends or a stop signal arrives. */
export async function runLocally(
  prepared: PreparedRun,
  options: SessionOptions,
): Promise<SessionResult> {
  const { view, now } = options;
  const started = now();
  const guard = startOrphanGuard({ label: prepared.tempDir });
  guard.removeOnAbort(prepared.tempDir);
  const logLine = lineSplitter((name, line) => {
    view.message(`${name} | ${line}`, { type: 'log', process: name, line });
  });
  const group = startProcesses([prepared.plan.master, ...prepared.plan.workers], {
    ...(options.logs
      ? {
          onOutput: (name, text) => {
            if (name === 'master') logLine(name, text);
          },
        }
      : {}),
  });
  guard.watch(group.processes.flatMap((p) => (p.pid === undefined ? [] : [p.pid])));
  const [master, ...workers] = group.processes as [RunningProcess, ...RunningProcess[]];

  let stopSignal: StopSignal | undefined;
  let wake: () => void = () => undefined;
  const onSignal = (signal: StopSignal) => {
    if (stopSignal !== undefined) {
      // A second Ctrl-C: the user does not want to wait for a graceful stop.
      view.message(`locustctl: ${signal} again: killing Locust`, {
        type: 'notice',
        message: `${signal} again: killing`,
      });
      void group.stop(0);
      return;
    }
    stopSignal = signal;
    view.message(`locustctl: ${signal} received: stopping Locust (again to kill)`, {
      type: 'notice',
      message: `${signal} received: stopping`,
    });
    wake();
  };
  const handlers = stopSignals.map(
    (signal) =>
      [
        signal,
        () => {
          onSignal(signal);
        },
      ] as const,
  );
  for (const [signal, handler] of handlers) process.on(signal, handler);

  let stats: LocustStats | undefined;
  const reported = new Set<RunningProcess>();
  let stoppingMaster = false;
  let allWorkersEndedAt: number | undefined;
  try {
    for (;;) {
      if (master.exit() !== undefined || stopSignal !== undefined) break;
      stats = (await fetchStats(prepared.webPort)) ?? stats;
      view.progress(snapshotOf(stats, workers.length, now() - started));
      reportWorkerExits(workers, stats, reported, view, guard);
      const allEnded = workers.length > 0 && workers.every((w) => w.exit() !== undefined);
      allWorkersEndedAt ??= allEnded ? now() : undefined;
      if (
        !stoppingMaster &&
        allWorkersEndedAt !== undefined &&
        now() - allWorkersEndedAt > 15_000
      ) {
        // Locust's master would wait for its expected workers forever; nobody is coming back.
        // (Workers also end first when the master quits normally, hence the grace period.)
        stoppingMaster = true;
        view.message('locustctl: every worker has ended: stopping the master', {
          type: 'notice',
          message: 'every worker has ended: stopping the master',
        });
        master.signal('SIGTERM');
      }
      // Poll faster once the load has stopped: the master quits soon and the last read counts.
      const interval = stats?.state === 'running' ? (options.pollMs ?? 1000) : 500;
      await Promise.race([
        delay(interval, undefined, { ref: false }),
        master.exited,
        new Promise<void>((resolve) => {
          wake = resolve;
        }),
      ]);
    }
    if (stopSignal !== undefined) {
      // One last read while the master still answers, then it tells its workers to quit; then
      // whatever is left gets SIGTERM, then SIGKILL.
      stats = (await fetchStats(prepared.webPort)) ?? stats;
      master.signal('SIGTERM');
      await Promise.race([master.exited, delay(10_000, undefined, { ref: false })]);
    } else {
      await Promise.race([
        Promise.all(workers.map((worker) => worker.exited)),
        delay(10_000, undefined, { ref: false }),
      ]);
    }
    const [masterExit] = await group.stop(5000);
    await guard.release();
    return {
      summary: summarise(masterExit, stopSignal, stats, now() - started, view),
      masterOutput: master.output(),
    };
  } finally {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    await group.stop(0);
  }
}

// A group id can be reused once its last member is gone; until then the guard must keep it.
function isGroupEmpty(group: number): boolean {
  try {
    process.kill(-group, 0);
    return false;
  } catch {
    return true;
  }
}

// Tells about workers that end while the load is still on (or badly); those the master sends
// home when it quits end with 0 once the load has stopped, which is no news.
function reportWorkerExits(
  workers: readonly RunningProcess[],
  stats: LocustStats | undefined,
  reported: Set<RunningProcess>,
  view: LiveView,
  guard: OrphanGuard,
): void {
  const loadOn = stats === undefined || ['ready', 'spawning', 'running'].includes(stats.state);
  for (const worker of workers) {
    const exit = worker.exit();
    if (exit === undefined || reported.has(worker)) continue;
    reported.add(worker);
    if (worker.pid !== undefined && isGroupEmpty(worker.pid)) guard.forget(worker.pid);
    if (!loadOn && exit.code === 0) continue;
    view.message(`locustctl: ${worker.name} ${describeExit(exit)} while the master runs`, {
      type: 'notice',
      process: worker.name,
      message: describeExit(exit),
    });
  }
}

function summarise(
  masterExit: ProcessExit | undefined,
  stopSignal: StopSignal | undefined,
  stats: LocustStats | undefined,
  durationMs: number,
  view: LiveView,
): RunSummary {
  const master =
    masterExit === undefined ? undefined : { code: masterExit.code, signal: masterExit.signal };
  let exitCode: number;
  if (stopSignal !== undefined) exitCode = signalExitCode(stopSignal);
  else if (masterExit?.error !== undefined) exitCode = 2;
  else if (masterExit?.signal != null) exitCode = signalExitCode(masterExit.signal);
  else exitCode = masterExit?.code ?? 1;
  // A master that ends "successfully" without ever serving statistics ran no load test (a wrong
  // --locust, a locustfile that exits early): that is no pass.
  if (exitCode === 0 && stats === undefined && stopSignal === undefined) exitCode = 1;
  const outcome = stopSignal !== undefined ? 'interrupted' : exitCode === 0 ? 'passed' : 'failed';
  view.progress({
    elapsedMs: durationMs,
    phase: outcome === 'passed' ? 'Succeeded' : outcome === 'failed' ? 'Failed' : 'Interrupted',
    detail: masterExit === undefined ? 'master did not end' : `master ${describeExit(masterExit)}`,
    ...(stats === undefined
      ? {}
      : { requests: stats.aggregated.requests, failures: stats.aggregated.failures }),
  });
  view.finish();
  return { outcome, exitCode, master, durationMs, stats };
}
