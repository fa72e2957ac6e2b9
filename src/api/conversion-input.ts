/**
 * The minimal checks a LocustTest needs before it can be converted: its identity, and that every
 * object or list the conversion walks through has that shape, so malformed input fails with a
 * `ConversionError` naming the field instead of a TypeError. Scalars are not checked: the API
 * server validated the object against its version's schema, and conversion should not make a
 * stored object unreadable.
 */
import { isJsonObject, type JsonObject } from './conversion-json.ts';

/** A LocustTest that cannot be converted; `field` is its path, e.g. `spec.master`. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
  /** The offending field, in API-server notation (`spec.scheduling.tolerations[1]`). */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/** The API versions the conversion speaks. */
export const locustTestApiVersions = ['locust.io/v1', 'locust.io/v2'] as const;
/** One of {@link locustTestApiVersions}. */
export type LocustTestApiVersion = (typeof locustTestApiVersions)[number];

type Shape = 'object' | 'array' | 'string';
/** A path below the spec (`[]` = every item of a list) and the shape it must have when present. */
type ShapeRule = readonly [path: string, shape: Shape];

const nodeTerms = `scheduling.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;

/** What conversion walks through in a v2 spec; `master` and `worker` must be present. */
const v2SpecShape: readonly ShapeRule[] = [
  ['master', 'object'],
  ['worker', 'object'],
  ['imagePullSecrets', 'array'],
  ['imagePullSecrets[]', 'object'],
  ['master.labels', 'object'],
  ['master.annotations', 'object'],
  ['worker.labels', 'object'],
  ['worker.annotations', 'object'],
  ['testFiles', 'object'],
  ['scheduling', 'object'],
  ['scheduling.affinity', 'object'],
  ['scheduling.affinity.nodeAffinity', 'object'],
  [nodeTerms, 'object'],
  [`${nodeTerms}.nodeSelectorTerms`, 'array'],
  [`${nodeTerms}.nodeSelectorTerms[]`, 'object'],
  [`${nodeTerms}.nodeSelectorTerms[].matchExpressions`, 'array'],
  [`${nodeTerms}.nodeSelectorTerms[].matchExpressions[]`, 'object'],
  [`${nodeTerms}.nodeSelectorTerms[].matchExpressions[].values`, 'array'],
  ['scheduling.tolerations', 'array'],
  ['scheduling.tolerations[]', 'object'],
];
const v2RequiredPaths: readonly string[] = ['master', 'worker'];

/** What conversion walks through in a v1 spec. */
const v1SpecShape: readonly ShapeRule[] = [
  ['imagePullSecrets', 'array'],
  ['imagePullSecrets[]', 'string'],
  ['labels', 'object'],
  ['labels.master', 'object'],
  ['labels.worker', 'object'],
  ['annotations', 'object'],
  ['annotations.master', 'object'],
  ['annotations.worker', 'object'],
  ['affinity', 'object'],
  ['affinity.nodeAffinity', 'object'],
  ['affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution', 'object'],
  ['tolerations', 'array'],
  ['tolerations[]', 'object'],
];

function hasShape(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'object':
      return isJsonObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
  }
}

/**
 * Checks one rule below `value` (at `path`). Absent members pass; a wrong-shaped ancestor is
 * skipped here because its own, earlier rule reports it.
 */
function checkRule(value: unknown, segments: readonly string[], shape: Shape, path: string): void {
  if (value === undefined) return;
  const [head, ...rest] = segments;
  if (head === undefined) {
    if (!hasShape(value, shape)) throw new ConversionError(path, `must be ${article(shape)}`);
    return;
  }
  if (head === '[]') {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        checkRule(item, rest, shape, `${path}[${String(index)}]`);
      });
    }
    return;
  }
  if (isJsonObject(value)) checkRule(value[head], rest, shape, `${path}.${head}`);
}

function article(shape: Shape): string {
  return shape === 'array' ? 'an array' : shape === 'object' ? 'an object' : 'a string';
}

/** A value for an error message; JSON.stringify gives `undefined` for an absent one. */
function describe(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

function splitPath(path: string): string[] {
  return path
    .split('.')
    .flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'] : part));
}

/**
 * Checks that `spec` (found at `path`) is an object with the shapes conversion relies on; throws
 * a ConversionError naming the first offending field.
 */
export function checkSpecShape(spec: unknown, path: string, version: LocustTestApiVersion): void {
  if (!isJsonObject(spec)) throw new ConversionError(path, 'must be an object');
  const v2 = version === 'locust.io/v2';
  if (v2) {
    for (const member of v2RequiredPaths) {
      if (spec[member] === undefined) throw new ConversionError(`${path}.${member}`, 'is required');
    }
  }
  for (const [rulePath, shape] of v2 ? v2SpecShape : v1SpecShape) {
    checkRule(spec, splitPath(rulePath), shape, path);
  }
}

/** A LocustTest whose identity and shape were checked. */
export interface CheckedInput {
  apiVersion: LocustTestApiVersion;
  object: JsonObject;
}

/**
 * Checks `object` is a LocustTest of a version conversion speaks, with object metadata and a
 * convertible spec; throws a ConversionError naming the first offending field.
 */
export function checkConversionInput(object: unknown, annotationKey: string): CheckedInput {
  if (!isJsonObject(object)) throw new ConversionError('object', 'must be a JSON object');
  const { apiVersion, kind, metadata } = object;
  if (kind !== 'LocustTest') {
    throw new ConversionError('kind', `must be LocustTest, not ${describe(kind)}`);
  }
  const version = locustTestApiVersions.find((known) => known === apiVersion);
  if (version === undefined) {
    throw new ConversionError(
      'apiVersion',
      `must be ${locustTestApiVersions.join(' or ')}, not ${describe(apiVersion)}`,
    );
  }
  if (metadata !== undefined) {
    if (!isJsonObject(metadata)) throw new ConversionError('metadata', 'must be an object');
    const { annotations } = metadata;
    if (annotations !== undefined) {
      if (!isJsonObject(annotations)) {
        throw new ConversionError('metadata.annotations', 'must be an object');
      }
      if (
        annotations[annotationKey] !== undefined &&
        typeof annotations[annotationKey] !== 'string'
      ) {
        throw new ConversionError(`metadata.annotations[${annotationKey}]`, 'must be a string');
      }
    }
  }
  checkSpecShape(object.spec, 'spec', version);
  return { apiVersion: version, object };
}
