/**
 * Kubernetes Events (core/v1) for user-visible transitions, reported by `locusttest-controller`.
 * Best effort and off the reconcile's critical path (as client-go's broadcaster): `record`
 * queues the Event and returns; a couple of senders create them in the background. A failed
 * Event is logged, never fails a reconcile; when the API server is slow the queue is bounded and
 * new Normal Events are dropped (counted and logged) rather than growing memory without end.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { LocustTest } from '../api/index.ts';
import type { PlannedEvent } from '../status/reasons.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';
import type { Logger } from './logger.ts';

export const reportingComponent = 'locusttest-controller';

export interface EventRecorderOptions {
  /** Events waiting to be sent; more are dropped. */
  maxPending?: number;
  /** Events sent at once. */
  senders?: number;
}

export class EventRecorder {
  private readonly pending: CoreV1Event[] = [];
  private readonly maxPending: number;
  private readonly senders: number;
  private sending = 0;
  private idleWaiters: (() => void)[] = [];
  /** Events dropped because the queue was full, since start. */
  dropped = 0;

  constructor(
    private readonly client: Pick<KubeClient, 'create'>,
    private readonly instance: string,
    private readonly log: Logger,
    private readonly now: () => number,
    options: EventRecorderOptions = {},
  ) {
    // 4 Events per test: 1,000 tests created at once fit, at about 1 KiB each.
    this.maxPending = options.maxPending ?? 5000;
    this.senders = options.senders ?? 2;
  }

  /** Queues the Event; it is created in the background. */
  record(test: LocustTest, event: PlannedEvent): void {
    if (this.pending.length >= this.maxPending) {
      // A Warning (a failure the user must see) takes the place of the oldest Normal one.
      const normal =
        event.type === 'Warning' ? this.pending.findIndex((e) => e.type === 'Normal') : -1;
      this.drop(normal >= 0 ? (this.pending[normal]?.reason ?? '') : event.reason);
      if (normal < 0) return;
      this.pending.splice(normal, 1);
    }
    this.pending.push(this.eventFor(test, event));
    this.startSenders();
  }

  private drop(reason: string): void {
    this.dropped += 1;
    // Powers of two: a slow API server shows in the log without flooding it.
    if ((this.dropped & (this.dropped - 1)) === 0)
      this.log.warn({ dropped: this.dropped, reason }, 'event queue full: dropping events');
  }

  /** Resolves once every queued Event was sent (or given up), or after deadlineMs. */
  async flush(deadlineMs = 10_000): Promise<void> {
    if (this.pending.length === 0 && this.sending === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deadlineMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private startSenders(): void {
    while (this.sending < this.senders && this.pending.length > 0) {
      this.sending += 1;
      void this.send().finally(() => {
        this.sending -= 1;
        if (this.sending === 0 && this.pending.length === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const wake of waiters) wake();
        }
      });
    }
  }

  private async send(): Promise<void> {
    for (let body = this.pending.shift(); body !== undefined; body = this.pending.shift()) {
      const namespace = body.metadata.namespace ?? 'default';
      try {
        await this.client.create(resourceTypes.events, namespace, body);
      } catch (error) {
        this.log.warn(
          { namespace, name: body.involvedObject.name, reason: body.reason, err: String(error) },
          'could not record event',
        );
      }
    }
  }

  private eventFor(test: LocustTest, event: PlannedEvent): CoreV1Event {
    const namespace = test.metadata.namespace ?? 'default';
    const name = test.metadata.name ?? '';
    const time = new Date(this.now()).toISOString();
    return {
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: 'locust.io/v2',
        kind: 'LocustTest',
        name,
        namespace,
        ...(test.metadata.uid === undefined ? {} : { uid: test.metadata.uid }),
        ...(test.metadata.resourceVersion === undefined
          ? {}
          : { resourceVersion: test.metadata.resourceVersion }),
      },
      type: event.type,
      reason: event.reason,
      message: event.message,
      source: { component: reportingComponent },
      reportingComponent,
      reportingInstance: this.instance,
      firstTimestamp: time as unknown as Date,
      lastTimestamp: time as unknown as Date,
      count: 1,
    };
  }
}
