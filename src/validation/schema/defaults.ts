/**
 * Schema defaulting as the API server does it when it decodes a custom resource: a property's
 * `default` is set only where its parent object exists, defaults are applied again inside the
 * values they set, and `null` in a non-nullable field is dropped (then defaulted, if a default
 * exists).
 */
import type { StructuralSchema } from './types.ts';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTyped(schema: StructuralSchema): boolean {
  return schema.type !== undefined || schema.intOrString === true;
}

function childSchema(schema: StructuralSchema, name: string): StructuralSchema | undefined {
  const declared = schema.properties?.[name];
  if (declared !== undefined) return declared;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function defaultInPlace(schema: StructuralSchema, value: unknown): void {
  if (Array.isArray(value)) {
    const { items } = schema;
    if (items !== undefined) for (const item of value) defaultInPlace(items, item);
    return;
  }
  if (!isObject(value)) return;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.default === undefined) continue;
    const current = value[name];
    if (current === undefined || (current === null && property.nullable !== true)) {
      value[name] = structuredClone(property.default.value);
    }
  }
  for (const [name, child] of Object.entries(value)) {
    const property = childSchema(schema, name);
    if (property === undefined) continue;
    if (child === null && property.nullable !== true && isTyped(property)) {
      // The API server prunes such nulls rather than rejecting them.
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete
      delete value[name];
    } else {
      defaultInPlace(property, child);
    }
  }
}

/**
 * A copy of `value` with the schema's defaults applied; `value` itself is not changed. Values
 * that do not match the schema's shape are left as they are for validation to report.
 */
export function applyDefaults(schema: StructuralSchema, value: unknown): unknown {
  const copy = structuredClone(value);
  defaultInPlace(schema, copy);
  return copy;
}
