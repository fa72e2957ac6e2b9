/**
 * The heart of the reconciler, pure: from what the caches show (the test, its Service, Jobs and
 * Pods) and the time, decide whether to create the owned objects, the status to write and the
 * events to emit. Phase moves only along the seed's state machine:
 * Pending → Running → Succeeded | Failed; Pending → Failed (creation refused);
 * Running | Failed → Pending (owned objects deleted externally; recovery).
 */
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { nodeName, type LocustTest, type LocustTestStatus, type Phase } from '../api/index.ts';
import { findCondition, setConditions, type ConditionInput } from './conditions.ts';
import { analysePodHealth } from './pod-health.ts';
import {
  conditions as known,
  creationFailed,
  creationFailedEvent,
  events as knownEvents,
  podFailureEvent,
  resourceDeletedEvent,
  workersCondition,
  type PlannedEvent,
} from './reasons.ts';

export interface ObservedState {
  test: LocustTest;
  serviceExists: boolean;
  masterJob: V1Job | undefined;
  workerJob: V1Job | undefined;
  /** Pods of this test (label performance-test-name). */
  pods: readonly V1Pod[];
}

export interface PlanOptions {
  now: number;
  podGracePeriodMs: number;
  /** The operator's Job TTL; Jobs of finished tests disappearing after it is no external deletion. */
  jobTtlSecondsAfterFinished?: number | undefined;
}

export interface StatusPlan {
  /** Create the missing owned objects, then write `statusAfterCreate`. */
  create: boolean;
  status: LocustTestStatus;
  /** The status once creation succeeded (only with create). */
  statusAfterCreate?: LocustTestStatus;
  events: PlannedEvent[];
  eventsAfterCreate?: PlannedEvent[];
  requeueAfterMs?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function jobConditionTrue(job: V1Job | undefined, type: string): boolean {
  return job?.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

function missingObjects(observed: ObservedState): { what: string; name: string }[] {
  const name = observed.test.metadata.name ?? '';
  const missing: { what: string; name: string }[] = [];
  if (!observed.serviceExists)
    missing.push({ what: 'Master Service', name: nodeName(name, 'master') });
  if (!observed.masterJob) missing.push({ what: 'Master Job', name: nodeName(name, 'master') });
  if (!observed.workerJob) missing.push({ what: 'Worker Job', name: nodeName(name, 'worker') });
  return missing;
}

/** The status a test starts with (spec §3.2 step 4). */
export function initialStatus(test: LocustTest, now: number): LocustTestStatus {
  const generation = test.metadata.generation ?? 1;
  return {
    phase: 'Pending',
    observedGeneration: generation,
    expectedWorkers: test.spec.worker.replicas,
    connectedWorkers: 0,
    conditions: setConditions(
      [],
      [known.creating, known.waitingForWorkers, known.notStarted, known.podsStarting],
      iso(now),
      generation,
    ),
  };
}

class StatusBuilder {
  readonly events: PlannedEvent[] = [];
  constructor(
    public status: LocustTestStatus,
    private readonly generation: number,
    private readonly now: number,
  ) {
    this.status = { ...status, observedGeneration: generation };
  }
  set(...inputs: ConditionInput[]): this {
    this.status = {
      ...this.status,
      conditions: setConditions(this.status.conditions, inputs, iso(this.now), this.generation),
    };
    return this;
  }
  phase(phase: Phase): this {
    this.status = { ...this.status, phase };
    return this;
  }
  patch(fields: Partial<LocustTestStatus>): this {
    this.status = { ...this.status, ...fields };
    return this;
  }
  emit(event: PlannedEvent): this {
    this.events.push(event);
    return this;
  }
}

function driftChecked(builder: StatusBuilder, test: LocustTest): StatusBuilder {
  if ((test.metadata.generation ?? 1) <= 1) return builder;
  const before = findCondition(builder.status.conditions, known.specDrifted.type);
  if (before?.status !== 'True') builder.emit(knownEvents.specDrifted);
  return builder.set(known.specDrifted);
}

function recoverable(status: LocustTestStatus, options: PlanOptions): boolean {
  if (status.phase === 'Running') return true;
  if (status.phase !== 'Failed') return false;
  // A test whose creation was refused has nothing to recover; retrying would loop.
  if (findCondition(status.conditions, known.creating.type)?.reason === 'CreationFailed')
    return false;
  const ttl = options.jobTtlSecondsAfterFinished;
  const completed =
    status.completionTime === undefined ? undefined : Date.parse(status.completionTime);
  // Jobs removed by their TTL after the test finished are expected, not an accident to heal.
  return !(ttl !== undefined && completed !== undefined && options.now >= completed + ttl * 1000);
}

/** Decides what one reconcile does for an existing (not deleted) test. */
export function planReconcile(observed: ObservedState, options: PlanOptions): StatusPlan {
  const { test } = observed;
  const generation = test.metadata.generation ?? 1;
  const current = test.status?.phase ? test.status : initialStatus(test, options.now);
  const builder = new StatusBuilder(current, generation, options.now);
  const missing = missingObjects(observed);

  if (current.phase === 'Pending') {
    const after = new StatusBuilder(builder.status, generation, options.now)
      .phase('Running')
      .patch({ startTime: current.startTime ?? iso(options.now) })
      .set(known.created)
      .emit(knownEvents.testStarted);
    return {
      create: missing.length > 0,
      status: builder.status,
      statusAfterCreate: after.status,
      events: [],
      eventsAfterCreate: after.events,
    };
  }

  if (missing.length > 0 && recoverable(current, options)) {
    for (const object of missing) builder.emit(resourceDeletedEvent(object.what, object.name));
    builder.phase('Pending').set(known.recreating);
    if (current.phase === 'Failed') {
      const status = { ...builder.status };
      delete status.completionTime;
      builder.status = status;
      builder.set(known.notStarted, known.podsStarting);
    }
    // Pending is written first so users see the recovery; the next pass recreates.
    return { create: false, status: builder.status, events: builder.events, requeueAfterMs: 1000 };
  }

  if (current.phase !== 'Running') {
    return { create: false, status: driftChecked(builder, test).status, events: builder.events };
  }

  const health = analysePodHealth(
    observed.pods,
    test.spec.testFiles?.configMapRef ?? test.spec.testFiles?.libConfigMapRef,
    options.now,
    options.podGracePeriodMs,
  );
  const expected = current.expectedWorkers ?? test.spec.worker.replicas;
  const connected = observed.workerJob?.status?.ready ?? 0;
  const wasHealthy = findCondition(current.conditions, health.condition.type);
  builder
    .patch({ connectedWorkers: connected })
    .set(workersCondition(connected, expected), health.condition);
  if (
    !health.healthy &&
    (wasHealthy?.status !== 'False' || wasHealthy.message !== health.condition.message)
  ) {
    builder.emit(podFailureEvent(health.condition.message));
  }
  driftChecked(builder, test);

  let next: Phase = 'Running';
  if (jobConditionTrue(observed.masterJob, 'Complete')) next = 'Succeeded';
  else if (jobConditionTrue(observed.masterJob, 'Failed') || !health.healthy) next = 'Failed';
  if (next === 'Succeeded') {
    builder
      .phase(next)
      .patch({ completionTime: iso(options.now) })
      .set(known.succeeded)
      .emit(knownEvents.testSucceeded);
  } else if (next === 'Failed') {
    builder
      .phase(next)
      .patch({ completionTime: iso(options.now) })
      .set(known.failed, known.readyFailed)
      .emit(knownEvents.testFailed);
  }
  return {
    create: false,
    status: builder.status,
    events: builder.events,
    ...(next === 'Running' && health.requeueAfterMs !== undefined
      ? { requeueAfterMs: health.requeueAfterMs }
      : {}),
  };
}

/** Pending → Failed when the API server refuses to create the owned objects (a user error). */
export function planCreationFailure(test: LocustTest, detail: string, now: number): StatusPlan {
  const generation = test.metadata.generation ?? 1;
  const current = test.status?.phase ? test.status : initialStatus(test, now);
  const builder = new StatusBuilder(current, generation, now)
    .phase('Failed')
    .patch({ completionTime: iso(now) })
    .set(creationFailed(detail), known.failed)
    .emit(creationFailedEvent(detail))
    .emit(knownEvents.testFailed);
  return { create: false, status: builder.status, events: builder.events };
}
