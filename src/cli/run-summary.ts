/**
 * The end of `locustctl run --local`: the verdict (the master's exit code) and the numbers of the
 * last statistics read while the test ran, as a table for people and an object for machines.
 * Pure.
 */
import { formatDuration } from './duration.ts';
import type { EndpointStats, LocustStats } from './locust-stats.ts';
import { formatTable } from './table.ts';

/** How the run ended. */
export type RunOutcome = 'passed' | 'failed' | 'interrupted';

/** Everything the summary reports. */
export interface RunSummary {
  readonly outcome: RunOutcome;
  /** The exit code locustctl returns. */
  readonly exitCode: number;
  /** How the master process ended, when it did. */
  readonly master: { readonly code: number | null; readonly signal: string | null } | undefined;
  readonly durationMs: number;
  /** The last statistics read; undefined if the master never answered. */
  readonly stats: LocustStats | undefined;
}

// Locust reports 0 ms percentiles before the first request; that is no measurement.
function milliseconds(value: number | null, requests: number): string {
  return value === null || requests === 0 ? '-' : `${String(Math.round(value))} ms`;
}

function failures(row: EndpointStats): string {
  const ratio = row.requests === 0 ? 0 : (100 * row.failures) / row.requests;
  return `${String(row.failures)} (${ratio.toFixed(1)}%)`;
}

/** The statistics table: one row per endpoint and the aggregated row, Locust's columns. */
export function formatStatsTable(stats: LocustStats): string[] {
  const rows = [...stats.endpoints, stats.aggregated].map((row) => [
    row.method,
    row.name,
    String(row.requests),
    failures(row),
    row.rps.toFixed(1),
    milliseconds(row.medianMs, row.requests),
    milliseconds(row.p95Ms, row.requests),
    milliseconds(row.p99Ms, row.requests),
  ]);
  return formatTable(
    ['TYPE', 'NAME', 'REQUESTS', 'FAILURES', 'RPS', 'MEDIAN', 'P95', 'P99'],
    rows,
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

function masterEnding(summary: RunSummary): string {
  const { master } = summary;
  if (master === undefined) return 'the master did not end';
  if (master.signal !== null) return `the master was ended by ${master.signal}`;
  return `the master exited with code ${String(master.code)}`;
}

/** The first line of the summary, e.g. `PASSED: the master exited with code 0 after 14s`. */
export function verdictLine(summary: RunSummary): string {
  const when = `after ${formatDuration(summary.durationMs)}`;
  switch (summary.outcome) {
    case 'passed':
      return `PASSED: ${masterEnding(summary)} ${when}`;
    case 'failed':
      return `FAILED: ${masterEnding(summary)} ${when}`;
    case 'interrupted':
      return `INTERRUPTED ${when}: ${masterEnding(summary)}`;
  }
}

/** The summary as text lines: the verdict, the table (or why there is none), the top errors. */
export function formatRunSummary(summary: RunSummary, maxErrors = 5): string[] {
  const lines = [verdictLine(summary)];
  const { stats } = summary;
  if (stats === undefined) {
    lines.push('No statistics: the master never answered on its web port.');
    return lines;
  }
  if (stats.state !== 'stopped') {
    lines.push(`Statistics as last read while the test was ${stats.state}:`);
  }
  lines.push(...formatStatsTable(stats));
  const errors = [...stats.errors].sort((a, b) => b.occurrences - a.occurrences);
  if (errors.length > 0) {
    lines.push('Errors:');
    for (const error of errors.slice(0, maxErrors)) {
      lines.push(`  ${String(error.occurrences)}× ${error.method} ${error.name}: ${error.error}`);
    }
    if (errors.length > maxErrors) {
      lines.push(`  ... and ${String(errors.length - maxErrors)} more`);
    }
  }
  return lines;
}

function endpointJson(row: EndpointStats): Record<string, unknown> {
  return {
    method: row.method,
    name: row.name,
    requests: row.requests,
    failures: row.failures,
    rps: row.rps,
    medianMs: row.medianMs,
    p95Ms: row.p95Ms,
    p99Ms: row.p99Ms,
    avgMs: row.avgMs,
    maxMs: row.maxMs,
  };
}

/** The summary as one JSON-ready object (`type: "summary"`), for `--output json`. */
export function runSummaryJson(summary: RunSummary): Record<string, unknown> {
  const { stats } = summary;
  return {
    type: 'summary',
    outcome: summary.outcome,
    exitCode: summary.exitCode,
    master: summary.master ?? null,
    durationSeconds: Math.round(summary.durationMs / 100) / 10,
    state: stats?.state ?? null,
    endpoints: stats?.endpoints.map(endpointJson) ?? [],
    aggregated: stats === undefined ? null : endpointJson(stats.aggregated),
    errors: stats?.errors ?? [],
  };
}
