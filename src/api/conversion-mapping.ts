/**
 * The field mapping between locust.io/v1 and locust.io/v2 LocustTest specs, as the Go operator's
 * conversion did it (spec §1.7), without the annotation that makes v2 → v1 → v2 lossless (see
 * conversion.ts). Two deliberate differences from upstream: affinity expressions come out in sorted
 * key order (upstream followed Go's random map order), and tolerations v1 cannot state (operator
 * Lt/Gt, or no effect, meaning "all effects") are left out of the v1 view instead of being copied
 * into values the v1 schema rejects; an absent operator is shown as its meaning, `Equal`.
 */
import type {
  V1Affinity,
  V1NodeSelector,
  V1NodeSelectorRequirement,
  V1Toleration,
} from '@kubernetes/client-node';
import type { LocustTestV1Spec } from './v1/schema.ts';
import type { LocustTestSpec } from './v2/schema.ts';
import { compact, nonEmptyMap, nonEmptyObject, nonEmptyString } from './conversion-json.ts';

/** A v1 toleration: key, operator and effect are required and enumerated. */
export type TolerationV1 = NonNullable<LocustTestV1Spec['tolerations']>[number];
type AffinityMapV1 = Record<string, string>;

const v1Operators: readonly TolerationV1['operator'][] = ['Exists', 'Equal'];
const v1Effects: readonly TolerationV1['effect'][] = [
  'NoSchedule',
  'PreferNoSchedule',
  'NoExecute',
];

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Code-unit order, independent of the locale (unlike localeCompare), as Go's sort.Strings. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The v2 required node affinity for a v1 affinity map: one term with one `In` expression per entry,
 * in sorted key order; `undefined` for an absent or empty map.
 */
export function nodeSelectorFromV1(map: AffinityMapV1 | undefined): V1NodeSelector | undefined {
  if (map === undefined) return undefined;
  const matchExpressions: V1NodeSelectorRequirement[] = Object.entries(map)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  return matchExpressions.length === 0 ? undefined : { nodeSelectorTerms: [{ matchExpressions }] };
}

/**
 * The v1 affinity map for a v2 affinity: every `In` expression with at least one value in the
 * required node selector terms, across all terms (so OR-ed terms become one AND), key → first
 * value, a later expression winning; `undefined` when nothing survives.
 */
export function flattenAffinity(affinity: V1Affinity | undefined): AffinityMapV1 | undefined {
  const terms =
    affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const flattened = new Map<string, string>();
  for (const term of terms) {
    for (const expression of term.matchExpressions ?? []) {
      const first: unknown = expression.values?.[0];
      const key: unknown = expression.key;
      // Malformed input (not from the API server) may hold anything; only strings make a v1 map.
      if (expression.operator === 'In' && typeof key === 'string' && typeof first === 'string') {
        flattened.set(key, first);
      }
    }
  }
  // fromEntries defines own properties, so any key (even `__proto__`) stays plain data.
  return flattened.size === 0 ? undefined : Object.fromEntries(flattened);
}

/** The v2 toleration for a v1 one: key, operator, value and effect copied. */
export function tolerationFromV1(toleration: TolerationV1): V1Toleration {
  return compact({
    key: toleration.key,
    operator: toleration.operator,
    value: toleration.value,
    effect: toleration.effect,
  });
}

/**
 * The v1 view of a v2 toleration without tolerationSeconds, or `undefined` when v1 cannot state it
 * (operator Lt/Gt, or no effect); an absent operator means `Equal` and an absent key matches all
 * keys, as the empty string does.
 */
export function tolerationToV1(toleration: V1Toleration): TolerationV1 | undefined {
  const operator = toleration.operator ?? 'Equal';
  const effect = toleration.effect ?? '';
  if (!isOneOf(v1Operators, operator) || !isOneOf(v1Effects, effect)) return undefined;
  return compact({ key: toleration.key ?? '', operator, value: toleration.value, effect });
}

/** The v1 `{master, worker}` block, present only when either map is non-empty. */
function roleMapsToV1(
  master: Record<string, string> | undefined,
  worker: Record<string, string> | undefined,
): { master?: Record<string, string>; worker?: Record<string, string> } | undefined {
  return nonEmptyObject(compact({ master: nonEmptyMap(master), worker: nonEmptyMap(worker) }));
}

/**
 * A v2 spec from a v1 spec, exactly as upstream's ConvertTo: autostart on and autoquit after 60 s
 * always; testFiles only when a ConfigMap is named; scheduling only with affinity or tolerations;
 * empty strings, lists and maps left out (Go's omitempty).
 */
export function v2SpecFromV1(spec: LocustTestV1Spec): LocustTestSpec {
  const testFiles = compact({
    configMapRef: nonEmptyString(spec.configMap),
    libConfigMapRef: nonEmptyString(spec.libConfigMap),
  });
  const required = nodeSelectorFromV1(
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  const tolerations = spec.tolerations?.map(tolerationFromV1) ?? [];
  const scheduling = compact({
    affinity: required && {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required },
    },
    tolerations: tolerations.length === 0 ? undefined : tolerations,
  });
  const pullSecrets = spec.imagePullSecrets ?? [];
  return compact({
    image: spec.image,
    imagePullPolicy: nonEmptyString(spec.imagePullPolicy),
    imagePullSecrets: pullSecrets.length === 0 ? undefined : pullSecrets.map((name) => ({ name })),
    master: compact({
      command: spec.masterCommandSeed,
      autostart: true,
      autoquit: { enabled: true, timeout: 60 },
      labels: nonEmptyMap(spec.labels?.master),
      annotations: nonEmptyMap(spec.annotations?.master),
    }),
    worker: compact({
      command: spec.workerCommandSeed,
      replicas: spec.workerReplicas,
      labels: nonEmptyMap(spec.labels?.worker),
      annotations: nonEmptyMap(spec.annotations?.worker),
    }),
    testFiles: nonEmptyObject(testFiles),
    scheduling: nonEmptyObject(scheduling),
  });
}

/**
 * The v1 view of a v2 spec, as upstream's ConvertFrom: what v1 cannot express is left out (the
 * caller keeps it in an annotation); labels/annotations blocks only when a map is non-empty.
 */
export function v1SpecFromV2(spec: LocustTestSpec): LocustTestV1Spec {
  const affinity = flattenAffinity(spec.scheduling?.affinity);
  const tolerations = (spec.scheduling?.tolerations ?? []).flatMap((toleration) => {
    const v1 = tolerationToV1(toleration);
    return v1 === undefined ? [] : [v1];
  });
  const pullSecrets = spec.imagePullSecrets ?? [];
  return compact({
    masterCommandSeed: spec.master.command,
    workerCommandSeed: spec.worker.command,
    workerReplicas: spec.worker.replicas,
    image: spec.image,
    imagePullPolicy: nonEmptyString(spec.imagePullPolicy),
    imagePullSecrets:
      pullSecrets.length === 0 ? undefined : pullSecrets.map((secret) => secret.name ?? ''),
    configMap: nonEmptyString(spec.testFiles?.configMapRef),
    libConfigMap: nonEmptyString(spec.testFiles?.libConfigMapRef),
    labels: roleMapsToV1(spec.master.labels, spec.worker.labels),
    annotations: roleMapsToV1(spec.master.annotations, spec.worker.annotations),
    affinity: affinity && {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinity },
    },
    tolerations: tolerations.length === 0 ? undefined : tolerations,
  });
}
