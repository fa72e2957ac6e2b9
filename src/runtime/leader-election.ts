/**
 * Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics (leaderelection
 * package, LeaseLock, ReleaseOnCancel). Replicas agree through the API server's optimistic
 * concurrency only; no replica ever compares its clock with another's.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { abortable, startDeadline } from './abortable.ts';
import { systemClock, type Clock } from './clock.ts';
import { isApiError } from './errors.ts';
import {
  formatMicroTime,
  leaseRecordKey,
  withLeaseSpec,
  type Lease,
  type LeaseSpec,
  type LeaseStore,
} from './lease.ts';

export type { Lease, LeaseSpec, LeaseStore } from './lease.ts';

/** Options of {@link LeaderElector}. Durations are milliseconds. */
export interface LeaderElectionOptions {
  store: LeaseStore;
  namespace: string;
  /** The Lease name, e.g. `locust-k8s-operator.locust.io`. */
  name: string;
  /** Default: {@link defaultIdentity}(). Must be unique per replica and per process start. */
  identity?: string;
  /** How long followers wait after last seeing the Lease change. Default 15 000. */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failed renewal before it gives up. Default 10 000. */
  renewDeadlineMs?: number;
  /** Time between attempts. Default 2 000. */
  retryPeriodMs?: number;
  /** Candidates wait retryPeriod × (1 + random × jitterFactor) between attempts. Default 1.2. */
  jitterFactor?: number;
  /** Hand the Lease over at once on a graceful stop. Default true. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** Called once leadership is acquired; `signal` aborts when it is lost or the elector stops. */
  onStartedLeading?: (signal: AbortSignal) => void | Promise<void>;
  /** Called after leadership ended (lost, or released on stop); never if we never led. */
  onStoppedLeading?: () => void;
  /** Called when a different non-empty holder is first observed, including ourselves. */
  onNewLeader?: (identity: string) => void;
  /** Told about failed API calls and callback failures; expected Conflicts included. */
  onError?: (error: unknown, during: 'acquire' | 'renew' | 'release' | 'callback') => void;
}

/** `hostname_uuid`, as controller-runtime builds it, so restarts never reuse an identity. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/**
 * One candidate. `run(signal)` campaigns until it leads, then renews until leadership is lost or
 * the signal aborts; it resolves afterwards and does not campaign again (the operator exits when
 * leadership is lost). Abort only once the leader's work has drained, so that a successor never
 * overlaps with it.
 */
export class LeaderElector {
  /** This candidate's identity, as written to `holderIdentity`. */
  readonly identity: string;
  private readonly options: LeaderElectionOptions;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** The last Lease read or written: its resourceVersion makes our next write conditional. */
  private current: Lease | undefined;
  private observed: LeaseSpec | undefined;
  private observedKey = '';
  /** Local time at which `observed` last changed: the only base for judging expiry. */
  private observedAt = 0;
  private reportedLeader: string | undefined;
  private leading = false;

  constructor(options: LeaderElectionOptions) {
    this.options = options;
    this.identity = options.identity ?? defaultIdentity();
    this.clock = options.clock ?? systemClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.identity === '') throw new RangeError('leader election identity must not be empty');
    if (this.retryPeriodMs <= 0) throw new RangeError('retryPeriod must be positive');
    // client-go's own checks: a leader must give up before followers may take over.
    if (this.leaseDurationMs <= this.renewDeadlineMs) {
      throw new RangeError('leaseDuration must be greater than renewDeadline');
    }
    if (this.renewDeadlineMs <= 1.2 * this.retryPeriodMs) {
      throw new RangeError('renewDeadline must be greater than retryPeriod × 1.2');
    }
  }

  /** True from onStartedLeading until leadership is lost or released. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder in the last Lease record we observed; undefined when none or released. */
  leader(): string | undefined {
    return this.reportedLeader;
  }

  /** Campaigns, leads, and resolves when leadership ends or the signal aborts first. */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leadership = new AbortController();
    this.leading = true;
    this.invoke(() => this.options.onStartedLeading?.(leadership.signal));
    const outcome = await this.renew(signal);
    this.leading = false;
    leadership.abort(new Error(outcome === 'lost' ? 'leadership lost' : 'leader election stopped'));
    // Unlike client-go, a lost Lease is not released: the lease duration still has to pass, which
    // gives this replica's aborted workers time to stop before a successor starts.
    if (outcome === 'stopped' && (this.options.releaseOnCancel ?? true)) await this.release();
    this.invoke(() => this.options.onStoppedLeading?.());
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    const jitter = this.options.jitterFactor ?? 1.2;
    const random = this.options.random ?? Math.random;
    while (!signal.aborted) {
      const acquired = await this.tryAcquireOrRenew(signal, 'acquire');
      this.reportLeader();
      if (acquired) return true;
      const waitMs = this.retryPeriodMs * (1 + random() * jitter);
      if (!(await this.sleep(waitMs, signal))) return false;
    }
    return false;
  }

  /** Renews every retry period until a renewal fails for renewDeadline, or the signal aborts. */
  private async renew(signal: AbortSignal): Promise<'lost' | 'stopped'> {
    for (;;) {
      if (!(await this.sleep(this.retryPeriodMs, signal))) return 'stopped';
      const renewed = await this.renewWithinDeadline(signal);
      if (signal.aborted) return 'stopped';
      if (!renewed) return 'lost';
    }
  }

  private async renewWithinDeadline(signal: AbortSignal): Promise<boolean> {
    const deadline = startDeadline(this.clock, this.renewDeadlineMs, 'renew', signal);
    try {
      for (;;) {
        const renewed = await this.tryAcquireOrRenew(deadline.signal, 'renew');
        this.reportLeader();
        if (renewed) return true;
        // Someone else holds a Lease we thought ours: waiting out the deadline cannot help.
        if (this.observed?.holderIdentity && !this.holdsRecord()) return false;
        if (!(await this.sleep(this.retryPeriodMs, deadline.signal))) return false;
      }
    } finally {
      deadline.dispose();
    }
  }

  /** client-go's tryAcquireOrRenew: one attempt to become or stay the holder. */
  private async tryAcquireOrRenew(
    signal: AbortSignal,
    during: 'acquire' | 'renew',
  ): Promise<boolean> {
    const { namespace, name } = this.options;
    const now = this.clock.now();
    const stamp = formatMicroTime(now);
    const record: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: 0,
    };
    // Fast path: renew on top of our own last write, without reading first.
    if (this.current && this.holdsRecord() && this.leaseValid(now)) {
      const spec = { ...record, ...this.keptFromObserved() };
      if (await this.write('update', withLeaseSpec(this.current, spec), signal, during))
        return true;
    }
    let existing: Lease | undefined;
    try {
      existing = await abortable(this.options.store.get(namespace, name, signal), signal);
    } catch (error) {
      this.options.onError?.(error, during);
      return false;
    }
    if (!existing) {
      const lease: Lease = {
        metadata: { name, namespace },
        spec: record,
      };
      return this.write('create', lease, signal, during);
    }
    this.observe(existing);
    if (this.observed?.holderIdentity && this.leaseValid(now) && !this.holdsRecord()) return false;
    const spec: LeaseSpec = this.holdsRecord()
      ? { ...record, ...this.keptFromObserved() }
      : { ...record, leaseTransitions: (this.observed?.leaseTransitions ?? 0) + 1 };
    return this.write('update', withLeaseSpec(existing, spec), signal, during);
  }

  /** Hands the Lease over: no holder, one-second duration, so others acquire at their next try. */
  private async release(): Promise<void> {
    const deadline = startDeadline(this.clock, this.renewDeadlineMs, 'release');
    try {
      const existing = await abortable(
        this.options.store.get(this.options.namespace, this.options.name, deadline.signal),
        deadline.signal,
      );
      if (!existing) return;
      this.observe(existing);
      if (!this.holdsRecord()) return;
      const stamp = formatMicroTime(this.clock.now());
      const spec: LeaseSpec = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: stamp,
        renewTime: stamp,
        leaseTransitions: this.observed?.leaseTransitions ?? 0,
      };
      await this.write('update', withLeaseSpec(existing, spec), deadline.signal, 'release');
    } catch (error) {
      this.options.onError?.(error, 'release');
    } finally {
      deadline.dispose();
      this.reportLeader();
    }
  }

  /** Writes a record; on success it becomes what we observe, as of now. */
  private async write(
    verb: 'create' | 'update',
    lease: Lease,
    signal: AbortSignal,
    during: 'acquire' | 'renew' | 'release',
  ): Promise<boolean> {
    const { store } = this.options;
    try {
      const request = verb === 'create' ? store.create(lease, signal) : store.update(lease, signal);
      const saved = await abortable(request, signal);
      this.current = saved;
      this.setObserved(saved.spec);
      return true;
    } catch (error) {
      // A conflicting write means another replica wrote first: re-read on the next attempt.
      if (isApiError(error, 'Conflict') || isApiError(error, 'AlreadyExists')) {
        this.current = undefined;
      }
      this.options.onError?.(error, during);
      return false;
    }
  }

  private observe(lease: Lease): void {
    this.current = lease;
    if (leaseRecordKey(lease.spec) !== this.observedKey) this.setObserved(lease.spec);
  }

  private setObserved(spec: LeaseSpec): void {
    this.observed = { ...spec };
    this.observedKey = leaseRecordKey(spec);
    this.observedAt = this.clock.now();
  }

  private keptFromObserved(): LeaseSpec {
    const kept: LeaseSpec = { leaseTransitions: this.observed?.leaseTransitions ?? 0 };
    if (this.observed?.acquireTime !== undefined) kept.acquireTime = this.observed.acquireTime;
    return kept;
  }

  private holdsRecord(): boolean {
    return this.observed?.holderIdentity === this.identity;
  }

  private leaseValid(now: number): boolean {
    return this.observedAt + (this.observed?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private reportLeader(): void {
    const holder = this.observed?.holderIdentity || undefined;
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (holder !== undefined) this.invoke(() => this.options.onNewLeader?.(holder));
  }

  /** Runs a callback so that its failure, sync or async, never breaks the election loop. */
  private invoke(callback: () => void | Promise<void>): void {
    try {
      const result = callback();
      if (result instanceof Promise) {
        result.catch((error: unknown) => this.options.onError?.(error, 'callback'));
      }
    } catch (error) {
      this.options.onError?.(error, 'callback');
    }
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}
