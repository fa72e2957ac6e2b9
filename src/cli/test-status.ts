/**
 * A LocustTest in a cluster as locustctl shows it: its phase and workers as a progress snapshot,
 * conditions and Events as tables and lines, which conditions explain a failure, and the JSON of
 * `status -o json`. Pure: time is a parameter.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Condition, LocustTest } from '../api/index.ts';
import { constants } from '../api/index.ts';
import type { ProgressSnapshot } from './progress.ts';
import { formatTable } from './table.ts';

/** An Event as locustctl shows it (the API's fields, timestamps as strings). */
export interface TestEvent {
  readonly key: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  /** When it last happened, ISO 8601, or '' when the Event does not say. */
  readonly time: string;
}

/** Phases after which nothing changes any more. */
export const finalPhases: readonly string[] = ['Succeeded', 'Failed'];

function timeText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value instanceof Date ? value.toISOString() : '';
}

/** The Event as shown; `key` changes when the Event recurs (its count grows). */
export function testEvent(event: CoreV1Event): TestEvent {
  const time =
    timeText(event.lastTimestamp) ||
    timeText(event.eventTime) ||
    timeText(event.metadata.creationTimestamp);
  const count = event.count ?? 1;
  return {
    key: `${event.metadata.uid ?? event.metadata.name ?? ''}#${String(count)}`,
    type: event.type ?? '',
    reason: event.reason ?? '',
    message: event.message ?? '',
    count,
    time,
  };
}

/** Events oldest first (the API lists them in no promised order). */
export function sortEvents(events: readonly TestEvent[]): TestEvent[] {
  return [...events].sort((a, b) => a.time.localeCompare(b.time));
}

/** A condition that says the test is unwell or has failed; healthy and neutral ones are not. */
export function isFailingCondition(condition: Condition): boolean {
  const { conditionTypes } = constants;
  switch (condition.type) {
    case conditionTypes.testCompleted:
      return condition.status === 'True' && condition.reason !== 'TestSucceeded';
    case conditionTypes.specDrifted:
      return false;
    default:
      return condition.status === 'False';
  }
}

/** `Type=Status Reason: message`, the one-line form of a condition. */
export function formatCondition(condition: Condition): string {
  return `${condition.type}=${condition.status} ${condition.reason}: ${condition.message}`;
}

/** Conditions as a table. */
export function formatConditions(conditions: readonly Condition[]): string[] {
  return formatTable(
    ['TYPE', 'STATUS', 'REASON', 'MESSAGE'],
    conditions.map((c) => [c.type, c.status, c.reason, c.message]),
  );
}

/** A short age like kubectl's: 45s, 12m, 3h, 2d. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${String(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${String(minutes)}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${String(hours)}h` : `${String(Math.floor(hours / 24))}d`;
}

/** Events as a table with their age at `now`. */
export function formatEvents(events: readonly TestEvent[], now: number): string[] {
  return formatTable(
    ['AGE', 'TYPE', 'REASON', 'MESSAGE'],
    events.map((e) => [
      e.time === '' ? '?' : formatAge(now - Date.parse(e.time)),
      e.type,
      e.count > 1 ? `${e.reason} (x${String(e.count)})` : e.reason,
      e.message,
    ]),
    ['right'],
  );
}

/** The one-line form of an Event, for live output. */
export function formatEventLine(event: TestEvent): string {
  return `event ${event.type} ${event.reason}: ${event.message}`;
}

/** The test's state as a progress snapshot: phase and workers. */
export function testSnapshot(test: LocustTest, elapsedMs: number): ProgressSnapshot {
  const status = test.status;
  const expected = status?.expectedWorkers;
  return {
    elapsedMs,
    phase: status?.phase ?? 'Pending',
    ...(status === undefined
      ? {}
      : { workers: { connected: status.connectedWorkers ?? 0, expected } }),
  };
}

/** `status -o json`: the test's status and its Events, for scripts. */
export function statusJson(
  test: LocustTest,
  events: readonly TestEvent[],
): Record<string, unknown> {
  const status = test.status ?? {};
  return {
    name: test.metadata.name ?? '',
    namespace: test.metadata.namespace ?? '',
    phase: status.phase ?? 'Pending',
    expectedWorkers: status.expectedWorkers ?? null,
    connectedWorkers: status.connectedWorkers ?? null,
    startTime: status.startTime ?? null,
    completionTime: status.completionTime ?? null,
    conditions: status.conditions ?? [],
    events: events.map(({ type, reason, message, count, time }) => ({
      type,
      reason,
      message,
      count,
      time,
    })),
  };
}
