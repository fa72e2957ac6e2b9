/**
 * Small JSON helpers for the v1 ⇄ v2 conversion: equality with JSON semantics, building objects
 * without `undefined` members (the types use exactOptionalPropertyTypes, and the API server never
 * stores an absent field as null), and setting or removing an optional member.
 */

/** A JSON object, as it arrives from the API server. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep equality as JSON sees it: a member whose value is `undefined` counts as absent, key order
 * does not matter, array order does.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => jsonEqual(item, b[index]))
    );
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
  return keysA.length === keysB.length && keysA.every((key) => jsonEqual(a[key], b[key]));
}

/** `T` with every member that may be `undefined` made optional and never `undefined`. */
export type Compact<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** A shallow copy of `value` without its `undefined` members. */
export function compact<T extends object>(value: T): Compact<T> {
  // Object.fromEntries defines own properties, so a key like `__proto__` stays plain data.
  return Object.fromEntries(
    Object.entries(value).filter(([, member]) => member !== undefined),
  ) as Compact<T>;
}

/** Sets `target[key]` to `value`, or removes the member when `value` is `undefined`. */
export function setOptional<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value === undefined) Reflect.deleteProperty(target, key);
  else target[key] = value;
}

/** `value`, or `undefined` when it is an object without members (so the parent drops it). */
export function nonEmptyObject<T extends object>(value: T): T | undefined {
  return Object.values(value).some((member) => member !== undefined) ? value : undefined;
}

/** `value`, or `undefined` when it is absent or the empty string (Go's `omitempty`). */
export function nonEmptyString<S extends string>(value: S | undefined): S | undefined {
  // A null (or any non-string) from a hand-written object counts as absent, as the API server
  // drops nulls of non-nullable fields; it must never make the conversion throw a TypeError.
  const raw: unknown = value;
  return typeof raw !== 'string' || raw.length === 0 ? undefined : value;
}

/** A copy of `map`, or `undefined` when it is absent or empty (Go's `omitempty`). */
export function nonEmptyMap(
  map: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  return map === undefined || Object.keys(map).length === 0 ? undefined : { ...map };
}
