/**
 * The logs of a test's Locust pods (`GET pods/<pod>/log`), found by the label every pod of a role
 * carries (`performance-test-pod-name: <test>-<role>`), read line by line.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { constants, nodeName, type Role } from '../api/index.ts';
import { isApiError } from '../runtime/errors.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';

/** The pods of one role of a test, oldest first. */
export async function rolePods(
  client: KubeClient,
  namespace: string,
  testName: string,
  role: Role,
  signal?: AbortSignal,
): Promise<V1Pod[]> {
  const { items } = await client.list<V1Pod>(
    resourceTypes.pods,
    { namespace, labelSelector: `${constants.labelKeys.podName}=${nodeName(testName, role)}` },
    signal,
  );
  const created = (pod: V1Pod) => String(pod.metadata?.creationTimestamp ?? '');
  return items.sort((a, b) => created(a).localeCompare(created(b)));
}

/** Whether a pod has started a container, so the kubelet has a log to serve. */
export function hasLog(pod: V1Pod): boolean {
  return ['Running', 'Succeeded', 'Failed'].includes(pod.status?.phase ?? '');
}

/**
 * Calls `onLine` with each line of the Locust container's log of `pod` (`follow`: until the
 * container ends or `signal` aborts). The Locust container is named like its Job,
 * `<test>-<role>`; the pod also has the metrics exporter. Rejects with the ApiError when the log
 * cannot be had (on KWOK's fake nodes there is no kubelet to serve it).
 */
export async function readPodLog(
  client: KubeClient,
  namespace: string,
  pod: V1Pod,
  options: { testName: string; role: Role; follow: boolean; signal?: AbortSignal },
  onLine: (line: string) => void,
): Promise<void> {
  const stream = await client.streamText(
    resourceTypes.pods,
    namespace,
    pod.metadata?.name ?? '',
    'log',
    { follow: options.follow, container: nodeName(options.testName, options.role) },
    options.signal,
  );
  let partial = '';
  for await (const chunk of stream) {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  }
  if (partial !== '') onLine(partial);
}

/**
 * Why a pod's log could not be read, for a one-line notice. The API server answers NotFound for
 * the log of a pod that exists when no kubelet serves its node (KWOK's fake nodes, for one).
 */
export function describeLogError(podName: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const hint = isApiError(error, 'NotFound') ? ' (no kubelet serves logs for its node?)' : '';
  return `the log of pod ${podName} is unavailable: ${reason}${hint}`;
}
