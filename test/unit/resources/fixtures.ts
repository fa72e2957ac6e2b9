/** Builders for the LocustTests the resources tests render. */
import type { V1Container, V1Job, V1PodSpec } from '@kubernetes/client-node';
import type { LocustTest, LocustTestSpec, ObjectMeta } from '../../../src/api/index.ts';
import {
  defaultOperatorConfig,
  render,
  type OperatorConfig,
} from '../../../src/resources/index.ts';

export const demoUid = '11111111-2222-3333-4444-555555555555';

/**
 * The §2.11 worked example (`load/demo`), with `spec` fields replaced by `overrides` and
 * metadata by `metadata`. Nothing is defaulted, like a manifest read from a file.
 */
export function demoTest(
  overrides: Partial<LocustTestSpec> = {},
  metadata: Partial<ObjectMeta> = {},
): LocustTest {
  return {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    metadata: { name: 'demo', namespace: 'load', uid: demoUid, ...metadata },
    spec: {
      image: 'locustio/locust:2.43.3',
      master: { command: '--locustfile /lotest/src/locustfile.py --host https://t' },
      worker: { command: '--locustfile /lotest/src/locustfile.py', replicas: 2 },
      testFiles: { configMapRef: 'demo-scripts' },
      ...overrides,
    },
  };
}

/** The binary defaults with some settings replaced. */
export function configWith(overrides: Partial<OperatorConfig>): OperatorConfig {
  return { ...defaultOperatorConfig, ...overrides };
}

/** OpenTelemetry settings that turn it on. */
export const otelOn: Pick<LocustTestSpec, 'observability'> = {
  observability: {
    openTelemetry: { enabled: true, endpoint: 'http://collector:4317' },
  },
};

/** The pod spec of a rendered Job; fails the test when the Job has none. */
export function podSpecOf(job: V1Job): V1PodSpec {
  const spec = job.spec?.template.spec;
  if (spec === undefined) throw new Error(`Job ${job.metadata?.name ?? '?'} has no pod spec`);
  return spec;
}

/** The Locust container (the only regular container) of a rendered Job. */
export function locustContainerOf(job: V1Job): V1Container {
  const container = podSpecOf(job).containers[0];
  if (container === undefined) throw new Error(`Job ${job.metadata?.name ?? '?'} has no container`);
  return container;
}

/** Renders `test` and returns the master and worker Jobs. */
export function renderJobs(
  test: LocustTest,
  config: OperatorConfig = defaultOperatorConfig,
): { master: V1Job; worker: V1Job } {
  const { masterJob, workerJob } = render(test, config);
  return { master: masterJob, worker: workerJob };
}
