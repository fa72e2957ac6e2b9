/**
 * The benchmark's own API calls, through the operator's KubeClient (one HTTP stack, typed errors):
 * namespaces, the LocustTests it creates, unrelated Pods, and a bounded-concurrency helper.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import type { LocustTest } from '../../src/api/index.ts';
import { isApiError } from '../../src/runtime/errors.ts';
import type { KubeClient } from '../../src/runtime/kube-client.ts';
import { resourceTypes, type ResourceType } from '../../src/runtime/resources.ts';

/** Label on every namespace the benchmark creates, so a later run can remove leftovers. */
export const benchLabel = 'locust-operator.dev/bench';

export const namespaces: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};

const serviceAccounts: ResourceType = {
  group: '',
  version: 'v1',
  plural: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
};

const customResourceDefinitions: ResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

/** Polls until the CRD is Established (right after creation it has no conditions at all). */
export async function waitForEstablished(
  client: KubeClient,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const crd = await client
      .get<{ status?: { conditions?: { type?: string; status?: string }[] } }>(
        customResourceDefinitions,
        '',
        name,
      )
      .catch(() => undefined);
    const conditions = crd?.status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established within 60s`);
    await sleep(200, undefined, { signal });
  }
}

/** ConfigMap every benchmark test names as its test files (KWOK never reads it). */
export const scriptsConfigMap = 'bench-locustfile';

/** Runs `fn` over the items with at most `limit` calls in flight. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Retries transient failures (the API server of a busy 2-core machine can time out or answer
 * 429/5xx); AlreadyExists after a retry means an earlier attempt did land.
 */
export async function createWithRetry(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  body: unknown,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.create(type, namespace, body);
      return;
    } catch (error) {
      if (attempt > 1 && isApiError(error, 'AlreadyExists')) return;
      if (attempt >= 5 || !isApiError(error, 'Transient')) throw error;
      await sleep(200 * 2 ** attempt);
    }
  }
}

/** A fresh namespace `<prefix>-<random>`, usable once its default ServiceAccount exists. */
export async function createNamespace(
  client: KubeClient,
  prefix: string,
  signal: AbortSignal,
): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.create(namespaces, '', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [benchLabel]: 'true' } },
  });
  // Pods are refused until the controller manager has made the default ServiceAccount.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.get(serviceAccounts, name, 'default');
      return name;
    } catch (error) {
      if (!isApiError(error, 'NotFound') || Date.now() > deadline) throw error;
    }
    await sleep(200, undefined, { signal });
  }
}

/** Deletes a namespace and waits until it is gone; false if it is still there at the deadline. */
export async function deleteNamespace(
  client: KubeClient,
  name: string,
  timeoutMs: number,
): Promise<boolean> {
  try {
    await client.delete(namespaces, '', name);
  } catch (error) {
    if (isApiError(error, 'NotFound')) return true;
    throw error;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await client.get(namespaces, '', name);
    } catch (error) {
      if (isApiError(error, 'NotFound')) return true;
      throw error;
    }
    await sleep(500);
  }
  return false;
}

/** Names of namespaces an earlier (killed) run left behind. */
export async function leftoverNamespaces(client: KubeClient): Promise<string[]> {
  const { items } = await client.list<{ metadata?: { name?: string } }>(namespaces, {
    labelSelector: `${benchLabel}=true`,
  });
  return items.map((item) => item.metadata?.name ?? '').filter((name) => name !== '');
}

export async function createScriptsConfigMap(client: KubeClient, namespace: string): Promise<void> {
  await createWithRetry(client, resourceTypes.configMaps, namespace, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: scriptsConfigMap },
    data: { 'locustfile.py': 'from locust import HttpUser\n' },
  });
}

/** A LocustTest whose pods KWOK runs forever: 1 master and `workers` workers. */
export function benchTest(name: string, namespace: string, workers: number): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name, namespace },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: { command: '--locustfile /lotest/src/locustfile.py --host http://127.0.0.1:8080' },
      worker: { command: '--locustfile /lotest/src/locustfile.py', replicas: workers },
      testFiles: { configMapRef: scriptsConfigMap },
    },
  };
}

/** Label of the unrelated pods; deliberately not the operator's managed-by label. */
export const noiseLabel = { app: 'bench-unrelated' };

export function noisePod(index: number): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `unrelated-${String(index).padStart(5, '0')}`, labels: noiseLabel },
    spec: {
      containers: [{ name: 'app', image: 'registry.invalid/unrelated:1' }],
      // No grace period: KWOK removes them at once when the namespace goes.
      terminationGracePeriodSeconds: 0,
    },
  };
}
