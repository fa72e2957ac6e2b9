/**
 * Narrows a JSON schema document (`unknown`, e.g. a JSON import of a generated CRD schema) to a
 * StructuralSchema, failing loudly on a keyword of the wrong shape so a broken schema file is
 * found at startup rather than misread at admission time. Keywords the validator does not use
 * (description, example, x-kubernetes-validations, ...) are dropped.
 */
import {
  listTypes,
  schemaTypes,
  type ListType,
  type SchemaType,
  type StructuralSchema,
} from './types.ts';

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, message: string): never {
  throw new Error(`invalid structural schema at ${path === '' ? '<root>' : path}: ${message}`);
}

function optionalNumber(json: Json, key: string, path: string): number | undefined {
  const value = json[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `${key} must be a number`);
  return value;
}

function optionalBoolean(json: Json, key: string, path: string): boolean | undefined {
  const value = json[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(path, `${key} must be a boolean`);
  return value;
}

function optionalString(json: Json, key: string, path: string): string | undefined {
  const value = json[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(path, `${key} must be a string`);
  return value;
}

function stringList(json: Json, key: string, path: string): readonly string[] | undefined {
  const value = json[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(path, `${key} must be a list of strings`);
  const strings = value.filter((item): item is string => typeof item === 'string');
  if (strings.length !== value.length) fail(path, `${key} must be a list of strings`);
  return strings;
}

function schemaList(json: Json, key: string, path: string): StructuralSchema[] | undefined {
  const value = json[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(path, `${key} must be a list of schemas`);
  return value.map((item: unknown, index) =>
    parseStructuralSchema(item, `${path}.${key}[${String(index)}]`),
  );
}

function oneOfValues<T extends string>(
  json: Json,
  key: string,
  allowed: readonly T[],
  path: string,
): T | undefined {
  const value = optionalString(json, key, path);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) fail(path, `unsupported ${key} "${value}"`);
  return value as T;
}

function parseEnum(json: Json, path: string): readonly unknown[] | undefined {
  const value = json.enum;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(path, 'enum must be a list');
  return [...(value as unknown[])];
}

function compilePattern(source: string, path: string): { source: string; regExp: RegExp } {
  try {
    return { source, regExp: new RegExp(source, 'u') };
  } catch {
    // Some RE2 patterns are not valid with the `u` flag (e.g. escapes of ordinary characters).
    try {
      return { source, regExp: new RegExp(source) };
    } catch (error) {
      return fail(path, `pattern does not compile: ${error instanceof Error ? error.message : ''}`);
    }
  }
}

function parseProperties(json: Json, path: string): Record<string, StructuralSchema> | undefined {
  const value = json.properties;
  if (value === undefined) return undefined;
  if (!isRecord(value)) fail(path, 'properties must be an object');
  return Object.fromEntries(
    Object.entries(value).map(([name, schema]) => [
      name,
      parseStructuralSchema(schema, `${path}.properties.${name}`),
    ]),
  );
}

function parseAdditionalProperties(
  json: Json,
  path: string,
): StructuralSchema | boolean | undefined {
  const value = json.additionalProperties;
  if (value === undefined || typeof value === 'boolean') return value;
  return parseStructuralSchema(value, `${path}.additionalProperties`);
}

/** Every key of T present, possibly undefined: what a parser fills in before compacting. */
type Filled<T> = { [K in keyof T]-?: T[K] | undefined };

/** Drops the keys whose value is undefined, as exactOptionalPropertyTypes wants. */
function compact<T extends object>(value: Filled<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Parses one schema node and everything below it. `path` names the node in error messages.
 * Throws an Error naming the node and keyword when the document is not a structural schema.
 */
export function parseStructuralSchema(json: unknown, path = ''): StructuralSchema {
  if (!isRecord(json)) return fail(path, 'a schema must be an object');
  const pattern = optionalString(json, 'pattern', path);
  const items =
    json.items === undefined ? undefined : parseStructuralSchema(json.items, `${path}.items`);
  const not = json.not === undefined ? undefined : parseStructuralSchema(json.not, `${path}.not`);
  const schema: Filled<StructuralSchema> = {
    type: oneOfValues<SchemaType>(json, 'type', schemaTypes, path),
    properties: parseProperties(json, path),
    additionalProperties: parseAdditionalProperties(json, path),
    items,
    required: stringList(json, 'required', path),
    enum: parseEnum(json, path),
    default: 'default' in json ? { value: json.default } : undefined,
    nullable: optionalBoolean(json, 'nullable', path),
    format: optionalString(json, 'format', path),
    pattern: pattern === undefined ? undefined : compilePattern(pattern, path),
    minimum: optionalNumber(json, 'minimum', path),
    maximum: optionalNumber(json, 'maximum', path),
    exclusiveMinimum: optionalBoolean(json, 'exclusiveMinimum', path),
    exclusiveMaximum: optionalBoolean(json, 'exclusiveMaximum', path),
    multipleOf: optionalNumber(json, 'multipleOf', path),
    minLength: optionalNumber(json, 'minLength', path),
    maxLength: optionalNumber(json, 'maxLength', path),
    minItems: optionalNumber(json, 'minItems', path),
    maxItems: optionalNumber(json, 'maxItems', path),
    minProperties: optionalNumber(json, 'minProperties', path),
    maxProperties: optionalNumber(json, 'maxProperties', path),
    allOf: schemaList(json, 'allOf', path),
    anyOf: schemaList(json, 'anyOf', path),
    oneOf: schemaList(json, 'oneOf', path),
    not,
    intOrString: optionalBoolean(json, 'x-kubernetes-int-or-string', path),
    preserveUnknownFields: optionalBoolean(json, 'x-kubernetes-preserve-unknown-fields', path),
    embeddedResource: optionalBoolean(json, 'x-kubernetes-embedded-resource', path),
    listType: oneOfValues<ListType>(json, 'x-kubernetes-list-type', listTypes, path),
    listMapKeys: stringList(json, 'x-kubernetes-list-map-keys', path),
  };
  return compact<StructuralSchema>(schema);
}
