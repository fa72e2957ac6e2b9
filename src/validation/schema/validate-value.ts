/**
 * Validates a JSON value against a structural schema the way the API server validates a custom
 * resource: types, required properties, value validations, list-type uniqueness and the
 * anyOf/allOf/oneOf/not combinators. Fields the schema does not declare are warnings ("unknown
 * field"), as kubectl's server-side field validation reports them, because the API server prunes
 * rather than rejects them.
 */
import { childPath, indexPath, keyPath } from '../field-path.ts';
import { describeValue, type FieldProblem, type ValidationResult } from '../field-problem.ts';
import type { StructuralSchema } from './types.ts';
import { checkValue } from './value-checks.ts';

/** How to read the value being validated. */
export interface StructuralCheckOptions {
  /**
   * The value is a Kubernetes object (a CRD's root schema): `apiVersion`, `kind` and `metadata`
   * are implicitly allowed and `metadata`'s own fields are left to the API server's ObjectMeta
   * validation. Nodes marked x-kubernetes-embedded-resource are treated the same way.
   */
  readonly resource?: boolean;
  /** Warn about undeclared fields (default true). */
  readonly reportUnknownFields?: boolean;
}

interface Collector {
  readonly errors: FieldProblem[];
  readonly warnings: FieldProblem[];
  readonly reportUnknownFields: boolean;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const resourceFields = new Set(['apiVersion', 'kind', 'metadata']);

function expectedType(schema: StructuralSchema): string | undefined {
  return schema.intOrString === true ? 'integer or string' : schema.type;
}

function hasExpectedType(schema: StructuralSchema, value: unknown): boolean {
  if (schema.intOrString === true) {
    return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  }
  const type = schema.type;
  if (type === undefined) return true;
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return type satisfies never;
  }
}

function errorCount(schema: StructuralSchema, value: unknown, path: string): number {
  const branch: Collector = { errors: [], warnings: [], reportUnknownFields: false };
  visit(schema, value, path, branch, false);
  return branch.errors.length;
}

function checkCombinators(schema: StructuralSchema, value: unknown, path: string, out: Collector) {
  for (const branch of schema.allOf ?? []) {
    visit(branch, value, path, { ...out, reportUnknownFields: false }, false);
  }
  const shown = describeValue(value);
  if (schema.anyOf !== undefined && schema.anyOf.every((b) => errorCount(b, value, path) > 0)) {
    out.errors.push({
      field: path,
      message: `Invalid value: ${shown}: must match at least one schema in anyOf`,
    });
  }
  if (schema.oneOf !== undefined) {
    const matching = schema.oneOf.filter((b) => errorCount(b, value, path) === 0).length;
    if (matching !== 1) {
      out.errors.push({
        field: path,
        message: `Invalid value: ${shown}: must match exactly one schema in oneOf (matches ${String(matching)})`,
      });
    }
  }
  if (schema.not !== undefined && errorCount(schema.not, value, path) === 0) {
    out.errors.push({
      field: path,
      message: `Invalid value: ${shown}: must not match the schema in not`,
    });
  }
}

function listItemKey(schema: StructuralSchema, item: unknown): string | undefined {
  if (schema.listType === 'set') return JSON.stringify(item);
  if (schema.listType !== 'map' || !isObject(item)) return undefined;
  const keys = schema.listMapKeys ?? [];
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, item[key] ?? null])));
}

function visitArray(
  schema: StructuralSchema,
  value: readonly unknown[],
  path: string,
  out: Collector,
) {
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const itemPath = indexPath(path, index);
    if (schema.items !== undefined) {
      visit(schema.items, item, itemPath, out, schema.items.embeddedResource === true);
    }
    const key = listItemKey(schema, item);
    if (key === undefined) return;
    if (seen.has(key)) out.errors.push({ field: itemPath, message: `Duplicate value: ${key}` });
    seen.add(key);
  });
}

function visitObject(
  schema: StructuralSchema,
  value: JsonObject,
  path: string,
  out: Collector,
  resource: boolean,
) {
  for (const name of schema.required ?? []) {
    if (value[name] === undefined) {
      out.errors.push({ field: childPath(path, name), message: 'Required value' });
    }
  }
  const { additionalProperties } = schema;
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const declared = schema.properties?.[name];
    if (declared !== undefined) {
      const isMetadata = resource && name === 'metadata';
      visit(
        declared,
        child,
        childPath(path, name),
        isMetadata ? { ...out, reportUnknownFields: false } : out,
        declared.embeddedResource === true,
      );
    } else if (typeof additionalProperties === 'object') {
      visit(
        additionalProperties,
        child,
        keyPath(path, name),
        out,
        additionalProperties.embeddedResource === true,
      );
    } else if (
      additionalProperties !== true &&
      schema.preserveUnknownFields !== true &&
      !(resource && resourceFields.has(name)) &&
      out.reportUnknownFields
    ) {
      const field = childPath(path, name);
      out.warnings.push({ field, message: `unknown field "${field}"` });
    }
  }
}

function visit(
  schema: StructuralSchema,
  value: unknown,
  path: string,
  out: Collector,
  resource: boolean,
) {
  const expected = expectedType(schema);
  if (value === null) {
    if (schema.nullable !== true && expected !== undefined) {
      out.errors.push({ field: path, message: `Invalid value: null: must be of type ${expected}` });
    }
    return;
  }
  if (!hasExpectedType(schema, value)) {
    out.errors.push({
      field: path,
      message: `Invalid value: ${describeValue(value)}: must be of type ${String(expected)}`,
    });
    return;
  }
  out.errors.push(...checkValue(schema, path, value));
  checkCombinators(schema, value, path, out);
  if (Array.isArray(value)) visitArray(schema, value, path, out);
  else if (isObject(value))
    visitObject(schema, value, path, out, resource || schema.embeddedResource === true);
}

/**
 * Validates `value` against `schema`. Errors are what the API server would reject; warnings are
 * undeclared fields, which it would drop. Paths use the API server's notation.
 */
export function validateStructural(
  schema: StructuralSchema,
  value: unknown,
  options: StructuralCheckOptions = {},
): ValidationResult {
  const out: Collector = {
    errors: [],
    warnings: [],
    reportUnknownFields: options.reportUnknownFields ?? true,
  };
  visit(schema, value, '', out, options.resource === true);
  return { errors: out.errors, warnings: out.warnings };
}
