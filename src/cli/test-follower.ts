/**
 * Follows a LocustTest in a cluster until it finishes, times out, is deleted or the user stops
 * following: polls its status and Events once a second (a CLI needs no informer), shows phase,
 * workers, condition changes and new Events in the live view, and optionally streams the
 * master pod's log.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { setTimeout as delay } from 'node:timers/promises';
import type { LocustTest } from '../api/index.ts';
import { isApiError } from '../runtime/errors.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';
import type { LiveView } from './live-view.ts';
import { describeLogError, hasLog, readPodLog, rolePods } from './pod-logs.ts';
import {
  finalPhases,
  formatCondition,
  formatEventLine,
  sortEvents,
  testEvent,
  testSnapshot,
} from './test-status.ts';

/** Options of followTest. */
export interface FollowOptions {
  readonly view: LiveView;
  readonly timeoutMs: number;
  readonly now: () => number;
  /** Aborted when the user stops following (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Stream the master pod's log into the view. */
  readonly logs: boolean;
  readonly pollMs?: number;
}

/** An operator writes a status within a second; half a minute without one means there is none. */
const noStatusHintMs = 30_000;

/** How following ended; `test` is the last state read. */
export type FollowResult =
  | { readonly kind: 'finished'; readonly test: LocustTest }
  | { readonly kind: 'timeout'; readonly test: LocustTest | undefined }
  | { readonly kind: 'interrupted'; readonly test: LocustTest | undefined }
  | { readonly kind: 'deleted' };

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

// Read through a call: TypeScript narrows `signal.aborted` across awaits as if it could not change.
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** The test's Events (core/v1, as the operator records them), oldest first. */
export async function listTestEvents(client: KubeClient, namespace: string, name: string) {
  const { items } = await client.list<CoreV1Event>(resourceTypes.events, {
    namespace,
    fieldSelector: `involvedObject.kind=LocustTest,involvedObject.name=${name}`,
  });
  return sortEvents(items.map(testEvent));
}

// Streams the master's log once its pod has started; a log that cannot be had is one notice.
function followMasterLog(
  client: KubeClient,
  namespace: string,
  name: string,
  view: LiveView,
): { stop: () => Promise<void> } {
  const controller = new AbortController();
  const { signal } = controller;
  const task = (async () => {
    for (;;) {
      if (signal.aborted) return;
      const pods = await rolePods(client, namespace, name, 'master', signal).catch(() => []);
      const pod = pods.at(-1);
      if (pod !== undefined && hasLog(pod)) {
        const podName = pod.metadata?.name ?? '';
        try {
          await readPodLog(
            client,
            namespace,
            pod,
            { testName: name, role: 'master', follow: true, signal },
            (line) => {
              view.message(`master | ${line}`, { type: 'log', pod: podName, line });
            },
          );
        } catch (error) {
          if (isAborted(signal)) return;
          const notice = describeLogError(podName, error);
          view.message(`locustctl: ${notice}`, { type: 'notice', message: notice });
        }
        return;
      }
      await pause(1000, signal);
    }
  })();
  return {
    stop: async () => {
      controller.abort();
      await task;
    },
  };
}

/** Follows `namespace/name` until it reaches Succeeded or Failed, or following ends otherwise. */
export async function followTest(
  client: KubeClient,
  namespace: string,
  name: string,
  options: FollowOptions,
): Promise<FollowResult> {
  const { view, now, signal } = options;
  const started = now();
  const seenEvents = new Set<string>();
  const conditions = new Map<string, string>();
  let test: LocustTest | undefined;
  let retrying = false;
  let hinted = false;
  const reportEvents = async () => {
    for (const event of await listTestEvents(client, namespace, name)) {
      if (seenEvents.has(event.key)) continue;
      seenEvents.add(event.key);
      view.message(formatEventLine(event), {
        type: 'event',
        eventType: event.type,
        reason: event.reason,
        message: event.message,
        count: event.count,
        time: event.time,
      });
    }
  };
  const log = options.logs ? followMasterLog(client, namespace, name, view) : undefined;
  try {
    for (;;) {
      try {
        test = await client.get<LocustTest>(resourceTypes.locustTests, namespace, name);
        await reportEvents();
        for (const condition of test.status?.conditions ?? []) {
          const state = `${condition.status}/${condition.reason}`;
          if (conditions.get(condition.type) === state) continue;
          conditions.set(condition.type, state);
          view.message(`condition ${formatCondition(condition)}`, {
            type: 'condition',
            condition: condition.type,
            status: condition.status,
            reason: condition.reason,
            message: condition.message,
          });
        }
        view.progress(testSnapshot(test, now() - started));
        retrying = false;
        if (test.status === undefined && !hinted && now() - started > noStatusHintMs) {
          hinted = true;
          const message = `no status after ${String(noStatusHintMs / 1000)}s: is the locust-operator running and watching namespace ${namespace}?`;
          view.message(`locustctl: ${message}`, { type: 'notice', message });
        }
      } catch (error) {
        if (isApiError(error, 'NotFound')) return { kind: 'deleted' };
        if (!isApiError(error, 'Transient')) throw error;
        // A blip of the API server (or the network) should not fail a long CI run.
        if (!retrying)
          view.message(`locustctl: ${error.message}; retrying`, {
            type: 'notice',
            message: error.message,
          });
        retrying = true;
      }
      if (test !== undefined && finalPhases.includes(test.status?.phase ?? '')) {
        // The operator records its TestCompleted/TestFailed Event just after the status write.
        await pause(1000, signal);
        await reportEvents().catch(() => undefined);
        return { kind: 'finished', test };
      }
      const remaining = options.timeoutMs - (now() - started);
      if (remaining <= 0) return { kind: 'timeout', test };
      if (signal.aborted) return { kind: 'interrupted', test };
      await pause(Math.min(options.pollMs ?? 1000, remaining), signal);
      if (isAborted(signal)) return { kind: 'interrupted', test };
    }
  } finally {
    await log?.stop();
  }
}
