/**
 * The LocustTest reconciler: observe (from caches only) → plan (pure, src/status) → act (create
 * the owned objects, write status through the status subresource, record Events).
 */
import type { V1Job, V1Pod, V1Service } from '@kubernetes/client-node';
import { constants, nodeName, type LocustTest, type LocustTestStatus } from '../api/index.ts';
import { findManagedFlagOverrides, render, type OperatorConfig } from '../resources/index.ts';
import {
  planCreationFailure,
  planReconcile,
  type ObservedState,
  type StatusPlan,
} from '../status/plan.ts';
import { ApiError, isApiError } from '../runtime/errors.ts';
import type { Informer } from '../runtime/informer.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';
import type { HandlerResult } from '../runtime/workers.ts';
import type { EventRecorder } from './event-recorder.ts';
import type { Logger } from './logger.ts';
import { OwnWrites } from './own-writes.ts';

export interface ReconcilerDeps {
  client: KubeClient;
  tests: Informer<LocustTest>;
  jobs: Informer<V1Job>;
  services: Informer<V1Service>;
  /** Pods of the test with this key (from the Pod cache, indexed). */
  podsOf: (testKey: string) => V1Pod[];
  config: OperatorConfig;
  podGracePeriodMs: number;
  events: EventRecorder;
  log: Logger;
  now: () => number;
}

const statusWriteAttempts = 4;

function sameStatus(a: LocustTestStatus | undefined, b: LocustTestStatus): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b);
}

export class LocustTestReconciler {
  private readonly ownWrites = new OwnWrites<LocustTest>();

  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(key: string, reconcileId: string): Promise<HandlerResult | undefined> {
    const cached = this.deps.tests.get(key);
    if (!cached) {
      this.ownWrites.forget(key);
      return undefined;
    }
    const test = this.ownWrites.freshest(key, cached);
    const namespace = test.metadata.namespace ?? 'default';
    const name = test.metadata.name ?? '';
    const log = this.deps.log.child({ controller: 'locusttest', namespace, name, reconcileId });
    if (test.metadata.deletionTimestamp) {
      await this.releaseLegacyFinalizer(test, log);
      return undefined;
    }
    const observed: ObservedState = {
      test,
      serviceExists:
        this.deps.services.get(`${namespace}/${nodeName(name, 'master')}`) !== undefined,
      masterJob: this.deps.jobs.get(`${namespace}/${nodeName(name, 'master')}`),
      workerJob: this.deps.jobs.get(`${namespace}/${nodeName(name, 'worker')}`),
      pods: this.deps.podsOf(key),
    };
    const options = {
      now: this.deps.now(),
      podGracePeriodMs: this.deps.podGracePeriodMs,
      jobTtlSecondsAfterFinished: this.deps.config.jobTtlSecondsAfterFinished,
    };
    const plan = planReconcile(observed, options);
    if (plan.statusAfterCreate) return this.createAndStart(test, observed, plan, log);
    await this.apply(test, plan.status, plan, log);
    return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
  }

  private async createAndStart(
    test: LocustTest,
    observed: ObservedState,
    plan: StatusPlan,
    log: Logger,
  ): Promise<undefined> {
    const namespace = test.metadata.namespace ?? 'default';
    // Later writes start from what this one stored, so they neither conflict nor misreport the phase.
    if (!test.status?.phase) test = await this.apply(test, plan.status, { events: [] }, log);
    if (plan.create) {
      const rendered = render(test, this.deps.config);
      for (const role of ['master', 'worker'] as const) {
        const overrides = findManagedFlagOverrides(test.spec[role].extraArgs);
        if (overrides.length > 0) {
          log.info(
            { role, overrides },
            'extraArgs repeat operator-managed flags; the user value takes precedence',
          );
        }
      }
      const wanted = [
        {
          exists: observed.serviceExists,
          type: resourceTypes.services,
          object: rendered.masterService,
          what: 'Service',
        },
        {
          exists: observed.masterJob !== undefined,
          type: resourceTypes.jobs,
          object: rendered.masterJob,
          what: 'Job',
        },
        {
          exists: observed.workerJob !== undefined,
          type: resourceTypes.jobs,
          object: rendered.workerJob,
          what: 'Job',
        },
      ];
      for (const { exists, type, object, what } of wanted) {
        if (exists) continue;
        const objectName = object.metadata?.name ?? '';
        try {
          await this.deps.client.create(type, namespace, object);
          log.info({ object: `${what}/${objectName}` }, 'created');
          this.deps.events.record(test, {
            type: 'Normal',
            reason: 'Created',
            message: `Created ${what} ${objectName}`,
          });
        } catch (error) {
          if (isApiError(error, 'AlreadyExists')) continue;
          if (isApiError(error, 'Invalid')) {
            const failure = planCreationFailure(
              test,
              `${what} ${objectName}: ${error.message}`,
              this.deps.now(),
            );
            log.warn(
              { object: `${what}/${objectName}`, err: error.message },
              'the API server refused an owned object',
            );
            await this.apply(test, failure.status, failure, log);
            return undefined;
          }
          throw error;
        }
      }
    }
    if (plan.statusAfterCreate)
      await this.apply(
        test,
        plan.statusAfterCreate,
        { ...plan, events: plan.eventsAfterCreate ?? [] },
        log,
      );
    return undefined;
  }

  /** Writes status if it changed, then records the plan's events; returns the stored object. */
  private async apply(
    test: LocustTest,
    status: LocustTestStatus,
    plan: Pick<StatusPlan, 'events'>,
    log: Logger,
  ): Promise<LocustTest> {
    let stored = test;
    if (!sameStatus(test.status, status)) {
      stored = await this.writeStatus(test, status, log);
      if (test.status?.phase !== status.phase)
        log.info({ from: test.status?.phase ?? '', to: status.phase }, 'phase changed');
    }
    for (const event of plan.events) this.deps.events.record(stored, event);
    return stored;
  }

  /** PUT status on the cached object; on Conflict re-read and re-apply, a few times. */
  private async writeStatus(
    test: LocustTest,
    status: LocustTestStatus,
    log: Logger,
  ): Promise<LocustTest> {
    const namespace = test.metadata.namespace ?? 'default';
    const name = test.metadata.name ?? '';
    let base = test;
    const replaced = [test.metadata.resourceVersion];
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await this.deps.client.updateStatus<LocustTest>(
          resourceTypes.locustTests,
          namespace,
          name,
          { ...base, status },
        );
        this.ownWrites.wrote(`${namespace}/${name}`, replaced, stored);
        return stored;
      } catch (error) {
        if (!isApiError(error, 'Conflict') || attempt >= statusWriteAttempts) throw error;
        log.debug({ attempt }, 'status conflict, re-reading');
        base = await this.deps.client.get<LocustTest>(resourceTypes.locustTests, namespace, name);
        replaced.push(base.metadata.resourceVersion);
      }
    }
  }

  /** Removes the Go operator's finalizer so tests it created can be deleted. */
  private async releaseLegacyFinalizer(test: LocustTest, log: Logger): Promise<void> {
    if (!test.metadata.finalizers?.includes(constants.legacyFinalizer)) return;
    const namespace = test.metadata.namespace ?? 'default';
    const name = test.metadata.name ?? '';
    const finalizers = test.metadata.finalizers.filter((f) => f !== constants.legacyFinalizer);
    try {
      await this.deps.client.mergePatch(resourceTypes.locustTests, namespace, name, {
        metadata: { finalizers, resourceVersion: test.metadata.resourceVersion },
      });
    } catch (error) {
      if (isApiError(error, 'NotFound')) return;
      throw error instanceof ApiError ? error : new Error(String(error));
    }
    log.info('removed the legacy finalizer');
    this.deps.events.record(test, {
      type: 'Normal',
      reason: 'Deleting',
      message: 'LocustTest and owned resources being cleaned up',
    });
  }
}
