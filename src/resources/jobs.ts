/** The master and worker Jobs (spec §2.4). */
import type { V1Job } from '@kubernetes/client-node';
import { nodeName, type LocustTest, type Role } from '../api/index.ts';
import { buildPodLabels } from './labels.ts';
import { buildObjectMeta, testName } from './metadata.ts';
import { present } from './object.ts';
import type { OperatorConfig } from './operator-config.ts';
import { buildPodTemplate } from './pod-template.ts';

function buildJob(
  test: LocustTest,
  role: Role,
  config: OperatorConfig,
  parallelism: number,
): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    // The Job's own labels are the pod labels: the API server would default them so anyway,
    // and users select Jobs by performance-test-pod-name.
    metadata: buildObjectMeta(test, nodeName(testName(test), role), buildPodLabels(test, role)),
    spec: {
      parallelism,
      backoffLimit: 0,
      ...present('ttlSecondsAfterFinished', config.jobTtlSecondsAfterFinished),
      template: buildPodTemplate(test, role, config),
    },
  };
}

/**
 * The master Job `<test>-master`: one pod (parallelism 1), no retries (backoffLimit 0), the
 * operator's TTL when configured, completions unset; its pod's exit decides the test's outcome.
 */
export function buildMasterJob(test: LocustTest, config: OperatorConfig): V1Job {
  return buildJob(test, 'master', config, 1);
}

/** The worker Job `<test>-worker`: `spec.worker.replicas` pods in parallel, otherwise as the master. */
export function buildWorkerJob(test: LocustTest, config: OperatorConfig): V1Job {
  return buildJob(test, 'worker', config, test.spec.worker.replicas);
}
