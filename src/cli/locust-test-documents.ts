/**
 * Picks the LocustTests out of parsed YAML documents, as kubectl would apply them: top-level
 * objects and the items of `List` objects; anything else (ConfigMaps, comments-only documents)
 * is not ours to check.
 */
import { apiGroup, kind as locustTestKind } from '../api/constants.ts';
import type { PathSegment } from '../validation/field-path.ts';
import type { SourceDocument } from './yaml-documents.ts';

/** The API versions a LocustTest can be written in. */
export type LocustTestVersion = 'v1' | 'v2';

/** One LocustTest found in a file. */
export interface LocustTestSource {
  /** `undefined` when apiVersion is not one this operator serves. */
  readonly version: LocustTestVersion | undefined;
  readonly apiVersion: unknown;
  readonly value: unknown;
  /** 1-based line where the object starts. */
  readonly line: number;
  /** The line of a field of this object (API path notation). */
  lineOf(field: string): number;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function versionOf(apiVersion: unknown): LocustTestVersion | undefined {
  if (apiVersion === `${apiGroup}/v2`) return 'v2';
  if (apiVersion === `${apiGroup}/v1`) return 'v1';
  return undefined;
}

function source(
  document: SourceDocument,
  value: JsonObject,
  base: readonly PathSegment[],
): LocustTestSource {
  const line = base.length === 0 ? document.line : document.lineOf('', base);
  return {
    version: versionOf(value.apiVersion),
    apiVersion: value.apiVersion,
    value,
    line,
    lineOf: (field) => document.lineOf(field, base),
  };
}

/** The LocustTests in `documents`, in order; List items are searched one level deep. */
export function findLocustTests(documents: readonly SourceDocument[]): LocustTestSource[] {
  return documents.flatMap((document) => {
    const { value } = document;
    if (!isObject(value)) return [];
    if (value.kind === locustTestKind) return [source(document, value, [])];
    if (
      typeof value.kind !== 'string' ||
      !value.kind.endsWith('List') ||
      !Array.isArray(value.items)
    ) {
      return [];
    }
    return value.items.flatMap((item: unknown, index) =>
      isObject(item) && item.kind === locustTestKind
        ? [source(document, item, ['items', index])]
        : [],
    );
  });
}
