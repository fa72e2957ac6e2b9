/**
 * Condition reasons/messages and event reasons/messages, as the Go operator writes them (spec §3.4
 * and §3.10), plus the few this operator adds (marked). One place for every user-visible string.
 */
import { constants } from '../api/index.ts';
import type { ConditionInput } from './conditions.ts';

const { ready, workersConnected, testCompleted, podsHealthy, specDrifted } =
  constants.conditionTypes;

export const conditions = {
  creating: {
    type: ready,
    status: 'False',
    reason: 'ResourcesCreating',
    message: 'Creating resources',
  },
  created: {
    type: ready,
    status: 'True',
    reason: 'ResourcesCreated',
    message: 'All resources created',
  },
  recreating: {
    type: ready,
    status: 'False',
    reason: 'ResourcesCreating',
    message: 'Recreating externally deleted resources',
  },
  readyFailed: { type: ready, status: 'False', reason: 'ResourcesFailed', message: 'Test failed' },
  waitingForWorkers: {
    type: workersConnected,
    status: 'False',
    reason: 'WaitingForWorkers',
    message: 'Waiting for workers to connect',
  },
  notStarted: {
    type: testCompleted,
    status: 'False',
    reason: 'TestInProgress',
    message: 'Test has not started',
  },
  succeeded: {
    type: testCompleted,
    status: 'True',
    reason: 'TestSucceeded',
    message: 'Test completed successfully',
  },
  failed: { type: testCompleted, status: 'True', reason: 'TestFailed', message: 'Test failed' },
  podsStarting: {
    type: podsHealthy,
    status: 'True',
    reason: 'PodsStarting',
    message: 'Waiting for pods to start',
  },
  specDrifted: {
    type: specDrifted,
    status: 'True',
    reason: 'SpecChangeIgnored',
    message:
      'Spec changes after creation are ignored. Delete and recreate the CR to apply changes.',
  },
} as const satisfies Record<string, ConditionInput>;

/** Added by this operator: resources could not be created because the API server refused them. */
export function creationFailed(detail: string): ConditionInput {
  return {
    type: ready,
    status: 'False',
    reason: 'CreationFailed',
    message: `Failed to create resources: ${detail}`,
  };
}

export function workersCondition(connected: number, expected: number): ConditionInput {
  const message = `${String(connected)}/${String(expected)} workers connected`;
  return connected >= expected
    ? { type: workersConnected, status: 'True', reason: 'AllWorkersConnected', message }
    : { type: workersConnected, status: 'False', reason: 'WorkersMissing', message };
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export const events = {
  testStarted: { type: 'Normal', reason: 'TestStarted', message: 'Load test execution started' },
  testSucceeded: {
    type: 'Normal',
    reason: 'TestCompleted',
    message: 'Load test completed successfully',
  },
  testFailed: { type: 'Warning', reason: 'TestFailed', message: 'Load test execution failed' },
  specDrifted: {
    type: 'Warning',
    reason: 'SpecDrifted',
    message:
      'Spec changes after creation are ignored. Delete and recreate the LocustTest to apply them.',
  },
} as const satisfies Record<string, PlannedEvent>;

export function resourceDeletedEvent(what: string, name: string): PlannedEvent {
  return {
    type: 'Warning',
    reason: 'ResourceDeleted',
    message: `${what} ${name} was deleted externally, will attempt recreation`,
  };
}

export function creationFailedEvent(detail: string): PlannedEvent {
  return {
    type: 'Warning',
    reason: 'CreationFailed',
    message: `Failed to create resources: ${detail}`,
  };
}

export function podFailureEvent(message: string): PlannedEvent {
  return { type: 'Warning', reason: 'PodFailure', message };
}
