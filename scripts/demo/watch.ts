/**
 * Following a LocustTest by polling (simple, and robust against watch hiccups): phase and
 * condition transitions as they are seen, and whether the phases told the expected story.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kubectl } from './kubectl.ts';
import type { ConditionView } from './output.ts';

/** A phase as first seen by a poll; `at` is the local time of that poll. */
export interface PhaseObservation {
  phase: string;
  at: number;
}

export interface WatchResult {
  observed: PhaseObservation[];
  /** The last phase seen, if any. */
  final: string | undefined;
  conditions: ConditionView[];
  timedOut: boolean;
}

export interface WatchOptions {
  namespace: string;
  name: string;
  intervalMs: number;
  /** Epoch milliseconds after which the watch gives up. */
  deadline: number;
  signal: AbortSignal;
  onPhase: (observation: PhaseObservation, first: boolean) => void;
  onCondition: (condition: ConditionView, at: number) => void;
  onPollError: (error: Error) => void;
}

const terminalPhases = new Set(['Succeeded', 'Failed']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Phase and conditions of a LocustTest as returned by `kubectl get -o json`. */
export function statusOf(test: unknown): { phase: string; conditions: ConditionView[] } {
  const status = record(record(test).status);
  const conditions = Array.isArray(status.conditions) ? (status.conditions as unknown[]) : [];
  return {
    phase: text(status.phase),
    conditions: conditions.map((item) => {
      const c = record(item);
      return {
        type: text(c.type),
        status: text(c.status),
        reason: text(c.reason),
        message: text(c.message),
      };
    }),
  };
}

/** Polls the test until it reaches Succeeded or Failed, the deadline passes, or the signal aborts. */
export async function watchTest(kubectl: Kubectl, options: WatchOptions): Promise<WatchResult> {
  const observed: PhaseObservation[] = [];
  const seenConditions = new Map<string, string>();
  let conditions: ConditionView[] = [];
  for (;;) {
    const at = Date.now();
    try {
      const json = await kubectl([
        'get',
        'locusttest',
        options.name,
        '-n',
        options.namespace,
        '-o',
        'json',
      ]);
      // A poll that returns after Ctrl-C must not print progress below the clean-up notice.
      options.signal.throwIfAborted();
      const status = statusOf(JSON.parse(json));
      conditions = status.conditions;
      const last = observed.at(-1);
      if (status.phase !== '' && status.phase !== last?.phase) {
        const observation = { phase: status.phase, at };
        observed.push(observation);
        options.onPhase(observation, last === undefined);
      }
      for (const condition of status.conditions) {
        const key = `${condition.status}/${condition.reason}/${condition.message}`;
        if (seenConditions.get(condition.type) === key) continue;
        seenConditions.set(condition.type, key);
        options.onCondition(condition, at);
      }
      if (terminalPhases.has(status.phase)) {
        return { observed, final: status.phase, conditions, timedOut: false };
      }
    } catch (error) {
      options.signal.throwIfAborted();
      options.onPollError(error instanceof Error ? error : new Error(String(error)));
    }
    if (Date.now() + options.intervalMs > options.deadline) {
      return { observed, final: observed.at(-1)?.phase, conditions, timedOut: true };
    }
    await sleep(options.intervalMs, undefined, { signal: options.signal });
  }
}

/** Whether the observed phases tell the expected story, and a sentence saying exactly what was seen. */
export function judgeSequence(observed: PhaseObservation[]): { ok: boolean; summary: string } {
  const phases = observed.map((o) => o.phase);
  const story = phases.length === 0 ? '(no phase at all)' : phases.join(' → ');
  const first = observed[0];
  const succeeded = observed.at(-1);
  const took = first && succeeded ? ` in ${((succeeded.at - first.at) / 1000).toFixed(1)}s` : '';
  if (story === 'Pending → Running → Succeeded') {
    return { ok: true, summary: `observed Pending → Running → Succeeded${took}` };
  }
  if (story === 'Running → Succeeded') {
    return {
      ok: true,
      summary: `observed Running → Succeeded${took}; Pending was not seen (it lasted less than one poll)`,
    };
  }
  return { ok: false, summary: `expected Pending → Running → Succeeded, observed ${story}` };
}
