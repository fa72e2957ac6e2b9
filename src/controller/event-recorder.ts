/**
 * Kubernetes Events (core/v1) for user-visible transitions, reported by `locusttest-controller`.
 * Best effort: a failed Event is logged, never fails a reconcile.
 */
import { randomBytes } from 'node:crypto';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { LocustTest } from '../api/index.ts';
import type { PlannedEvent } from '../status/reasons.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';
import type { Logger } from './logger.ts';

export const reportingComponent = 'locusttest-controller';

export class EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly instance: string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  async record(test: LocustTest, event: PlannedEvent): Promise<void> {
    const namespace = test.metadata.namespace ?? 'default';
    const name = test.metadata.name ?? '';
    const time = new Date(this.now()).toISOString();
    const body: CoreV1Event = {
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
    try {
      await this.client.create(resourceTypes.events, namespace, body);
    } catch (error) {
      this.log.warn(
        { namespace, name, reason: event.reason, err: String(error) },
        'could not record event',
      );
    }
  }
}
