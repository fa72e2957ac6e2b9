/**
 * Small helpers for building rendered objects that carry only the fields that are set, in a fixed
 * key order (so goldens and diffs are stable).
 */

/** `{ [key]: value }`, or `{}` when value is undefined; spread it into an object literal. */
export function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  // A computed key widens to `string` in TypeScript; the cast restores the literal key.
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The array, or undefined when it is absent or empty (empty lists are omitted, not emitted). */
export function nonEmpty<T>(array: readonly T[] | undefined): T[] | undefined {
  return array === undefined || array.length === 0 ? undefined : [...array];
}

/** The string, or undefined when it is absent or empty (the Go operator's "unset"). */
export function nonEmptyString(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The map, or undefined when it is absent or has no keys. */
export function nonEmptyMap<V>(
  map: Readonly<Record<string, V>> | undefined,
): Record<string, V> | undefined {
  return map === undefined || Object.keys(map).length === 0 ? undefined : { ...map };
}

/**
 * A deep copy of a user-supplied value copied verbatim into a rendered object, so callers that
 * mutate the output (defaulting, patch building) never reach back into the LocustTest. Undefined
 * stays undefined.
 */
export function verbatim<T>(value: T): T {
  return structuredClone(value);
}
