/**
 * Kubernetes-convention conditions: one per type, lastTransitionTime moves only when the status
 * flips, reason and message are updated in place, observedGeneration records the generation seen.
 */
import type { Condition } from '../api/index.ts';

export interface ConditionInput {
  type: string;
  status: Condition['status'];
  reason: string;
  message: string;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

/** Returns a new list with the condition set; other conditions keep their order and values. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: string,
  generation: number,
): Condition[] {
  const existing = findCondition(conditions, input.type);
  const next: Condition = {
    type: input.type,
    status: input.status,
    observedGeneration: generation,
    lastTransitionTime:
      existing && existing.status === input.status ? existing.lastTransitionTime : now,
    reason: input.reason,
    message: input.message,
  };
  if (!existing) return [...(conditions ?? []), next];
  return (conditions ?? []).map((condition) => (condition.type === input.type ? next : condition));
}

/** Sets several conditions in order. */
export function setConditions(
  conditions: readonly Condition[] | undefined,
  inputs: readonly ConditionInput[],
  now: string,
  generation: number,
): Condition[] {
  return inputs.reduce<Condition[]>(
    (list, input) => setCondition(list, input, now, generation),
    [...(conditions ?? [])],
  );
}
