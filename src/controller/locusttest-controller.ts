/**
 * Wires the LocustTest controller: informers for LocustTests, Jobs, Services and our Pods, event
 * handlers that map every change to its test's key, a work queue, and N workers running the
 * reconciler. Level-based: handlers never look at what changed, only at which test it concerns.
 */
import { randomBytes } from 'node:crypto';
import type { V1Job, V1Pod, V1Service } from '@kubernetes/client-node';
import { constants, type LocustTest } from '../api/index.ts';
import type { OperatorConfig } from '../resources/index.ts';
import { systemClock, type Clock } from '../runtime/clock.ts';
import { Informer, objectKey, waitForCacheSync } from '../runtime/informer.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';
import { WorkQueue, type WorkQueueMetrics } from '../runtime/work-queue.ts';
import { runWorkers } from '../runtime/workers.ts';
import { EventRecorder } from './event-recorder.ts';
import type { Logger } from './logger.ts';
import { controllingTestKey, testKeyOfPod } from './owned-objects.ts';
import { PodIndex } from './pod-index.ts';
import { LocustTestReconciler } from './reconciler.ts';

export interface ControllerOptions {
  client: KubeClient;
  config: OperatorConfig;
  log: Logger;
  concurrency: number;
  podGracePeriodMs: number;
  /** Watch only this namespace (namespaced installs, tests); undefined: all namespaces. */
  namespace?: string | undefined;
  /** Identity written as the Events' reportingInstance. */
  instance: string;
  clock?: Clock;
  queueMetrics?: WorkQueueMetrics;
  /** Called after every reconcile with its outcome and duration. */
  onReconcile?: (result: 'success' | 'error' | 'requeue_after', seconds: number) => void;
  onActiveWorkers?: (delta: number) => void;
  /**
   * How long a change to an owned Job, Service or Pod waits before its test is reconciled, so
   * that a test's pods starting one by one cost one status write, not one each. Default 1000.
   */
  ownedChangeBatchMs?: number;
}

/** Selector of the Pods (and Jobs) this operator manages; other Pods are never cached. */
export const managedSelector = `${constants.labelKeys.managedBy}=${constants.managedByValue}`;

export class LocustTestController {
  readonly tests: Informer<LocustTest>;
  readonly jobs: Informer<V1Job>;
  readonly services: Informer<V1Service>;
  readonly pods: Informer<V1Pod>;
  readonly queue: WorkQueue;
  private readonly reconciler: LocustTestReconciler;
  private readonly events: EventRecorder;
  private readonly clock: Clock;

  constructor(private readonly options: ControllerOptions) {
    const { client, log } = options;
    this.clock = options.clock ?? systemClock;
    const scope = options.namespace === undefined ? {} : { namespace: options.namespace };
    const informerLog = (
      level: 'info' | 'warn' | 'error',
      message: string,
      fields?: Record<string, unknown>,
    ): void => {
      log[level](fields ?? {}, message);
    };
    const informer = <
      T extends { metadata?: { name?: string; namespace?: string; resourceVersion?: string } },
    >(
      name: string,
      source: ReturnType<KubeClient['listWatch']>,
    ): Informer<T> =>
      new Informer<T>(source as never, { name, clock: this.clock, log: informerLog });
    this.tests = informer<LocustTest>(
      'locusttests',
      client.listWatch(resourceTypes.locustTests, scope),
    );
    this.jobs = informer<V1Job>(
      'jobs',
      client.listWatch(resourceTypes.jobs, { ...scope, labelSelector: managedSelector }),
    );
    this.services = informer<V1Service>(
      'services',
      client.listWatch(resourceTypes.services, scope),
    );
    this.pods = informer<V1Pod>(
      'pods',
      client.listWatch(resourceTypes.pods, { ...scope, labelSelector: managedSelector }),
    );
    this.queue = new WorkQueue({
      clock: this.clock,
      ...(options.queueMetrics ? { metrics: options.queueMetrics } : {}),
    });
    const podKey = (pod: V1Pod): string | undefined =>
      testKeyOfPod(pod, (key) => this.jobs.get(key));
    const podIndex = new PodIndex(podKey);
    this.events = new EventRecorder(client, options.instance, log, () => this.clock.now());
    this.reconciler = new LocustTestReconciler({
      client,
      tests: this.tests,
      jobs: this.jobs,
      services: this.services,
      podsOf: (key) => podIndex.podsOf(key),
      config: options.config,
      podGracePeriodMs: options.podGracePeriodMs,
      events: this.events,
      log,
      now: () => this.clock.now(),
    });
    const enqueue = (key: string | undefined): void => {
      if (key !== undefined) this.queue.add(key);
    };
    const batchMs = options.ownedChangeBatchMs ?? 1000;
    const enqueueOwner = (key: string | undefined): void => {
      if (key !== undefined) this.queue.addBatched(key, batchMs);
    };
    this.tests.addHandlers({
      onAdd: (test) => {
        enqueue(objectKey(test));
      },
      onUpdate: (_, test) => {
        enqueue(objectKey(test));
      },
      onDelete: (test) => {
        enqueue(objectKey(test));
      },
    });
    for (const owned of [this.jobs, this.services] as Informer<V1Job | V1Service>[]) {
      owned.addHandlers({
        onAdd: (object) => {
          enqueueOwner(controllingTestKey(object));
        },
        onUpdate: (_, object) => {
          enqueueOwner(controllingTestKey(object));
        },
        onDelete: (object) => {
          enqueueOwner(controllingTestKey(object));
        },
      });
    }
    this.pods.addHandlers({
      onAdd: (pod) => {
        enqueueOwner(podIndex.upsert(pod));
      },
      onUpdate: (_, pod) => {
        enqueueOwner(podIndex.upsert(pod));
      },
      onDelete: (pod) => {
        enqueueOwner(podIndex.remove(pod) ?? podKey(pod));
      },
    });
  }

  informers(): Informer<never>[] {
    return [this.tests, this.jobs, this.services, this.pods] as unknown as Informer<never>[];
  }

  /** True once every informer has listed. */
  hasSynced(): boolean {
    return this.informers().every((informer) => informer.hasSynced());
  }

  /** Starts the informers (call on every replica, so a new leader starts with warm caches). */
  async startInformers(signal: AbortSignal): Promise<void> {
    await Promise.all(this.informers().map((informer) => informer.run(signal)));
  }

  /** Runs the workers until the signal aborts; then drains in-flight reconciles. */
  async run(signal: AbortSignal): Promise<void> {
    await waitForCacheSync(this.informers(), signal, this.clock);
    for (const test of this.tests.list()) this.queue.add(objectKey(test));
    const { log, concurrency } = this.options;
    log.info({ controller: 'locusttest', workers: concurrency }, 'starting workers');
    await runWorkers(
      this.queue,
      concurrency,
      async (key) => {
        const started = this.clock.now();
        const reconcileId = randomBytes(6).toString('hex');
        this.options.onActiveWorkers?.(1);
        try {
          const result = await this.reconciler.reconcile(key, reconcileId);
          this.options.onReconcile?.(
            result?.requeueAfterMs === undefined ? 'success' : 'requeue_after',
            (this.clock.now() - started) / 1000,
          );
          return result;
        } catch (error) {
          this.options.onReconcile?.('error', (this.clock.now() - started) / 1000);
          const [namespace, name] = key.split('/');
          log.error(
            {
              controller: 'locusttest',
              namespace,
              name,
              reconcileId,
              err: error instanceof Error ? error.message : String(error),
            },
            'reconcile failed',
          );
          throw error;
        } finally {
          this.options.onActiveWorkers?.(-1);
        }
      },
      signal,
    );
  }

  /** Stops taking new work and waits (up to deadlineMs) for in-flight reconciles and Events. */
  async drain(deadlineMs: number): Promise<void> {
    const deadline = this.clock.now() + deadlineMs;
    await this.queue.shutDownWithDrain(deadlineMs);
    await this.events.flush(Math.max(0, deadline - this.clock.now()));
  }
}
