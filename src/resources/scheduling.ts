/** Pod placement fields (spec §2.5, §2.10): affinity, tolerations, nodeSelector, runtime class. */
import type { V1PodSpec } from '@kubernetes/client-node';
import type { LocustTest } from '../api/index.ts';
import type { OperatorConfig } from './operator-config.ts';
import { nonEmpty, nonEmptyMap, nonEmptyString, present, verbatim } from './object.ts';

/**
 * The runtime class of the pods: the test's `scheduling.runtimeClassName` when non-empty; none
 * when it is `""` (an explicit opt-out of the default); the operator's default when absent.
 */
export function resolveRuntimeClassName(
  test: LocustTest,
  config: OperatorConfig,
): string | undefined {
  const own = test.spec.scheduling?.runtimeClassName;
  if (own !== undefined) return own === '' ? undefined : own;
  return nonEmptyString(config.defaultRuntimeClassName);
}

/** The scheduling part of the pod spec, in the key order the pod template uses. */
export type SchedulingFields = Pick<
  V1PodSpec,
  'runtimeClassName' | 'nodeSelector' | 'affinity' | 'tolerations'
>;

/**
 * The pod's scheduling fields: runtimeClassName (see resolveRuntimeClassName), nodeSelector when
 * non-empty (never gated), affinity only with affinity injection on, tolerations only with
 * tolerations injection on; each omitted when empty.
 */
export function buildScheduling(test: LocustTest, config: OperatorConfig): SchedulingFields {
  const scheduling = test.spec.scheduling;
  const ownAffinity = scheduling?.affinity;
  const affinity =
    config.affinityInjection && ownAffinity !== undefined && Object.keys(ownAffinity).length > 0
      ? ownAffinity
      : undefined;
  const tolerations = config.tolerationsInjection ? nonEmpty(scheduling?.tolerations) : undefined;
  return {
    ...present('runtimeClassName', resolveRuntimeClassName(test, config)),
    ...present('nodeSelector', nonEmptyMap(scheduling?.nodeSelector)),
    ...present('affinity', verbatim(affinity)),
    ...present('tolerations', verbatim(tolerations)),
  };
}
