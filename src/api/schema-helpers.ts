/**
 * Small TypeBox helpers that emit exactly the structural-schema shapes Kubernetes wants (a plain
 * `enum` on a string, `additionalProperties` maps) and mark embedded Kubernetes types, whose
 * schemas the CRD generator fills in from the API server's OpenAPI document.
 */
import Type, { type TSchema, type TUnsafe } from 'typebox';

/** Marker key: the schema is the named Kubernetes OpenAPI component, resolved by the generator. */
export const k8sRefKey = 'x-locust-operator-k8s-ref';

/** A string restricted to the given values (`type: string` + `enum`). */
export function stringEnum<const Values extends readonly string[]>(
  values: Values,
  options: { default?: Values[number]; description?: string } = {},
): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ type: 'string', enum: [...values], ...options });
}

/** A map of string to string (`type: object`, `additionalProperties: {type: string}`). */
export function stringMap(description?: string): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    ...(description === undefined ? {} : { description }),
  });
}

/**
 * An embedded Kubernetes type, by its OpenAPI component name (for example
 * `io.k8s.api.core.v1.Affinity`). Extra properties, when given, are merged into the component's
 * properties (used for TargetedVolumeMount = VolumeMount + target).
 */
export function k8sType<T>(
  component: string,
  options: {
    description?: string;
    extraProperties?: Record<string, TSchema>;
    extraRequired?: string[];
  } = {},
): TUnsafe<T> {
  return Type.Unsafe<T>({
    [k8sRefKey]: component,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.extraProperties === undefined ? {} : { properties: options.extraProperties }),
  });
}
