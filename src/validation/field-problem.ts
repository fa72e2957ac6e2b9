/**
 * The shape every validator in this layer reports: a problem at a field path, in the API server's
 * path notation (`spec.volumes[0].name`, `spec.master.labels[app]`).
 */

/** One problem with one field; `field` is empty for the object as a whole. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** Errors block admission; warnings are shown to the user and do not. */
export interface ValidationResult {
  readonly errors: FieldProblem[];
  readonly warnings: FieldProblem[];
}

const maxShownStringLength = 80;

/**
 * A value as the API server quotes it in messages: strings and scalars as JSON, long strings cut
 * (so a 100 KiB value does not flood a terminal), objects and arrays as compact JSON, also cut.
 */
export function describeValue(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return String(value);
  if (json.length <= maxShownStringLength) return json;
  return `${json.slice(0, maxShownStringLength)}...`;
}

/** The JSON type name of a value, as used in "must be of type" messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
