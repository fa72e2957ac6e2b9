/**
 * Watches one benchmark namespace (LocustTests, Services, Jobs, Pods) through informers, i.e. one
 * list and one watch per kind, never a poll per test, and records WHEN each test first had its
 * objects, was Running, and had all workers connected and its pods reported healthy.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Job, V1Pod, V1Service } from '@kubernetes/client-node';
import { constants, nodeName, type LocustTest } from '../../src/api/index.ts';
import { Informer, type ObjectWithMeta } from '../../src/runtime/informer.ts';
import type { KubeClient } from '../../src/runtime/kube-client.ts';
import { resourceTypes, type ResourceType } from '../../src/runtime/resources.ts';

export interface TestTimes {
  /** Client clock just before the POST was sent. */
  sentAt?: number;
  /** Client clock when the API server answered 201: the test exists from here on. */
  createdAt?: number;
  /** First moment the Service and both Jobs were all seen. */
  objectsAt?: number;
  runningAt?: number;
  /** connectedWorkers reached the spec's replicas and PodsHealthy is True/PodsHealthy. */
  settledAt?: number;
  failedAt?: number;
}

export class NamespaceTracker {
  readonly times = new Map<string, TestTimes>();
  readonly tests: Informer<LocustTest>;
  readonly services: Informer<V1Service>;
  readonly jobs: Informer<V1Job>;
  readonly pods: Informer<V1Pod>;
  private readonly stop = new AbortController();
  private readonly done: Promise<void>;

  constructor(
    client: KubeClient,
    readonly namespace: string,
    private readonly workers: number,
    log: (message: string) => void,
  ) {
    const informer = <T extends ObjectWithMeta>(type: ResourceType): Informer<T> =>
      new Informer<T>(client.listWatch<T>(type, { namespace }), {
        name: `bench-${type.plural}`,
        log: (level, message, fields) => {
          if (level !== 'info') log(`bench informer: ${message} ${JSON.stringify(fields ?? {})}`);
        },
      });
    this.tests = informer<LocustTest>(resourceTypes.locustTests);
    this.services = informer<V1Service>(resourceTypes.services);
    this.jobs = informer<V1Job>(resourceTypes.jobs);
    this.pods = informer<V1Pod>(resourceTypes.pods);
    this.tests.addHandlers({
      onAdd: (test) => {
        this.observeTest(test);
      },
      onUpdate: (_, test) => {
        this.observeTest(test);
      },
    });
    const owned = {
      onAdd: (object: ObjectWithMeta) => {
        this.observeOwned(object);
      },
    };
    this.services.addHandlers(owned);
    this.jobs.addHandlers(owned);
    this.done = Promise.all(
      [this.tests, this.services, this.jobs, this.pods].map((i) => i.run(this.stop.signal)),
    ).then(() => undefined);
  }

  /** Resolves once every informer has listed. */
  async synced(signal: AbortSignal): Promise<void> {
    const informers = [this.tests, this.services, this.jobs, this.pods];
    const deadline = Date.now() + 60_000;
    while (!informers.every((informer) => informer.hasSynced())) {
      if (Date.now() > deadline) throw new Error(`bench informers in ${this.namespace}: no sync`);
      await sleep(50, undefined, { signal });
    }
  }

  entry(name: string): TestTimes {
    let times = this.times.get(name);
    if (!times) {
      times = {};
      this.times.set(name, times);
    }
    return times;
  }

  private observeTest(test: LocustTest): void {
    const now = Date.now();
    const times = this.entry(test.metadata.name ?? '');
    const status = test.status;
    if (status?.phase === 'Running') times.runningAt ??= now;
    if (status?.phase === 'Failed') times.failedAt ??= now;
    const healthy = status?.conditions?.find(
      (c) => c.type === constants.conditionTypes.podsHealthy,
    );
    if (
      times.settledAt === undefined &&
      status?.phase === 'Running' &&
      (status.connectedWorkers ?? 0) >= this.workers &&
      healthy?.status === 'True' &&
      healthy.reason === 'PodsHealthy'
    ) {
      times.settledAt = now;
    }
  }

  private observeOwned(object: ObjectWithMeta): void {
    const name = object.metadata?.name ?? '';
    const test = name.replace(/-(master|worker)$/, '');
    if (test === name) return;
    const times = this.entry(test);
    if (times.objectsAt !== undefined) return;
    const key = (n: string): string => `${this.namespace}/${n}`;
    if (
      this.services.get(key(nodeName(test, 'master'))) &&
      this.jobs.get(key(nodeName(test, 'master'))) &&
      this.jobs.get(key(nodeName(test, 'worker')))
    ) {
      times.objectsAt = Date.now();
    }
  }

  /** How many tests have the time `field` recorded. */
  count(field: keyof TestTimes): number {
    let n = 0;
    for (const times of this.times.values()) if (times[field] !== undefined) n++;
    return n;
  }

  /** Latest value of `field` over all tests (when the last one got there). */
  last(field: keyof TestTimes): number | undefined {
    let latest: number | undefined;
    for (const times of this.times.values()) {
      const value = times[field];
      if (value !== undefined && (latest === undefined || value > latest)) latest = value;
    }
    return latest;
  }

  /** Owned objects still present: the deletion phase waits for all three to reach zero. */
  remaining(): { services: number; jobs: number; pods: number } {
    return { services: this.services.size(), jobs: this.jobs.size(), pods: this.pods.size() };
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.done;
  }
}

/**
 * Polls an in-memory condition (no API calls) every 100 ms until it holds; false at the deadline.
 * `progress` is called every 10 s so a long wait shows it is alive.
 */
export async function waitUntil(
  condition: () => boolean,
  deadline: number,
  signal: AbortSignal,
  progress?: () => void,
): Promise<boolean> {
  let nextProgress = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    if (progress && Date.now() > nextProgress) {
      progress();
      nextProgress = Date.now() + 10_000;
    }
    await sleep(100, undefined, { signal });
  }
  return true;
}
