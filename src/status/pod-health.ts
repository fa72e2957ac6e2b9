/**
 * Pod health of a test (spec §4): after a grace period from the oldest pod's creation, pods that
 * cannot schedule, pull their image, find their configuration or keep crashing make the test
 * unhealthy, with a message naming the failure, the pods and what to do.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { constants } from '../api/index.ts';
import type { ConditionInput } from './conditions.ts';

export const failureTypes = [
  'ConfigurationError',
  'ImagePullError',
  'SchedulingError',
  'CrashLoopBackOff',
  'InitializationError',
] as const;
export type FailureType = (typeof failureTypes)[number];

export interface PodHealth {
  healthy: boolean;
  condition: ConditionInput;
  /** Set while the grace period runs: when to look again. */
  requeueAfterMs?: number;
}

interface PodFailure {
  type: FailureType;
  detail: string;
}

function time(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

function condition(status: 'True' | 'False', reason: string, message: string): ConditionInput {
  return { type: constants.conditionTypes.podsHealthy, status, reason, message };
}

const configMapPattern = /[Cc]onfig[Mm]ap\s+"([^"]+)"/;

/** Spec §4.5: name the ConfigMap the test expects when the kubelet says one is missing. */
export function explainConfigError(message: string, expectedConfigMap: string | undefined): string {
  const match = configMapPattern.exec(message);
  if (expectedConfigMap === undefined) return message;
  if (match && match[1] !== expectedConfigMap) return message;
  return `ConfigMap not found (expected: ${expectedConfigMap}). ${message}`;
}

function containerFailure(
  status: V1ContainerStatus,
  isInit: boolean,
  isSidecar: boolean,
  expectedConfigMap: string | undefined,
): PodFailure | undefined {
  const waiting = status.state?.waiting;
  const reason = waiting?.reason ?? '';
  const message = waiting?.message ?? '';
  if (reason === 'CreateContainerConfigError') {
    return { type: 'ConfigurationError', detail: explainConfigError(message, expectedConfigMap) };
  }
  if (reason.includes('ImagePull')) return { type: 'ImagePullError', detail: message };
  if (reason === 'CrashLoopBackOff') return { type: 'CrashLoopBackOff', detail: message };
  const terminated = status.state?.terminated;
  // Native sidecars are stopped by the kubelet at pod end; their exit codes mean nothing.
  if (!isSidecar && terminated && terminated.exitCode !== 0) {
    return {
      type: isInit ? 'InitializationError' : 'CrashLoopBackOff',
      detail: `Container ${status.name} exited with code ${String(terminated.exitCode)}: ${terminated.reason ?? ''}`,
    };
  }
  return undefined;
}

/** The first failure of a pod (spec §4.3), if any. */
export function podFailure(
  pod: V1Pod,
  expectedConfigMap: string | undefined,
): PodFailure | undefined {
  const unscheduled = pod.status?.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (unscheduled)
    return { type: 'SchedulingError', detail: unscheduled.message ?? unscheduled.reason ?? '' };
  const sidecars = new Set(
    (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  );
  for (const status of pod.status?.initContainerStatuses ?? []) {
    const failure = containerFailure(status, true, sidecars.has(status.name), expectedConfigMap);
    if (failure) return failure;
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const failure = containerFailure(status, false, false, expectedConfigMap);
    if (failure) return failure;
  }
  return undefined;
}

/**
 * Health of the given pods (all pods of one test) at `now`. Pods that have not been created yet
 * are healthy; within the grace period everything is healthy and a requeue is due when it ends.
 */
export function analysePodHealth(
  pods: readonly V1Pod[],
  expectedConfigMap: string | undefined,
  now: number,
  gracePeriodMs: number,
): PodHealth {
  if (pods.length === 0) {
    return {
      healthy: true,
      condition: condition('True', 'PodsStarting', 'Waiting for pods to be created'),
    };
  }
  const created = pods
    .map((pod) => time(pod.metadata?.creationTimestamp))
    .filter((t) => t !== undefined);
  const oldest = created.length > 0 ? Math.min(...created) : now;
  const remaining = oldest + gracePeriodMs - now;
  if (remaining > 0) {
    return {
      healthy: true,
      condition: condition('True', 'PodsStarting', 'Pods are starting up'),
      requeueAfterMs: remaining,
    };
  }
  const byType = new Map<FailureType, { pods: string[]; detail: string }>();
  for (const pod of pods) {
    const failure = podFailure(pod, expectedConfigMap);
    if (!failure) continue;
    const entry = byType.get(failure.type) ?? { pods: [], detail: failure.detail };
    entry.pods.push(pod.metadata?.name ?? '');
    byType.set(failure.type, entry);
  }
  const worst = failureTypes.find((type) => byType.has(type));
  const entry = worst === undefined ? undefined : byType.get(worst);
  if (worst === undefined || entry === undefined) {
    return { healthy: true, condition: condition('True', 'PodsHealthy', 'All pods are healthy') };
  }
  const names = [...entry.pods].sort();
  let message = `${worst}: ${String(names.length)} pod(s) affected [${names.join(', ')}]: ${entry.detail}`;
  if (worst === 'ConfigurationError')
    message += '. Create the ConfigMap and the pods will restart automatically.';
  return { healthy: false, condition: condition('False', worst, message) };
}
