import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { LocustTest, LocustTestStatus } from '../../../src/api/index.ts';
import type { ObservedState } from '../../../src/status/plan.ts';

export const t0 = Date.parse('2026-01-15T10:00:00Z');

export function testWith(status?: LocustTestStatus, generation = 1): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'demo', namespace: 'load', uid: 'uid-1', generation },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: { command: '--locustfile /lotest/src/t.py' },
      worker: { command: '--locustfile /lotest/src/t.py', replicas: 2 },
      testFiles: { configMapRef: 'demo-scripts' },
    },
    ...(status ? { status } : {}),
  };
}

export function job(
  conditions: { type: string; status: string }[] = [],
  status: Partial<NonNullable<V1Job['status']>> = {},
): V1Job {
  return { metadata: { name: 'x' }, status: { conditions: conditions, ...status } };
}

export function pod(
  name: string,
  createdAt: number,
  status: V1Pod['status'] = { phase: 'Running' },
): V1Pod {
  return { metadata: { name, creationTimestamp: new Date(createdAt) }, status };
}

export function observed(test: LocustTest, overrides: Partial<ObservedState> = {}): ObservedState {
  return { test, serviceExists: true, masterJob: job(), workerJob: job(), pods: [], ...overrides };
}
