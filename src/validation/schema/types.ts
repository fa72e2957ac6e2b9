/**
 * A Kubernetes structural OpenAPI v3 schema (the dialect of a CRD's `openAPIV3Schema`), reduced to
 * the keywords the API server validates and defaults with. Patterns are compiled once, when the
 * schema is parsed.
 */

/** The `type` values a structural schema may use. */
export const schemaTypes = ['object', 'array', 'string', 'integer', 'number', 'boolean'] as const;
/** One of schemaTypes. */
export type SchemaType = (typeof schemaTypes)[number];

/** The `x-kubernetes-list-type` values. */
export const listTypes = ['atomic', 'set', 'map'] as const;
/** One of listTypes. */
export type ListType = (typeof listTypes)[number];

/** One schema node; absent keywords impose nothing. */
export interface StructuralSchema {
  readonly type?: SchemaType;
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  /** A schema for the values of a map, or `true` to accept any extra property. */
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly items?: StructuralSchema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  /** Present only when the schema declares a default (which may itself be `null`). */
  readonly default?: { readonly value: unknown };
  readonly nullable?: boolean;
  readonly format?: string;
  readonly pattern?: { readonly source: string; readonly regExp: RegExp };
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly allOf?: readonly StructuralSchema[];
  readonly anyOf?: readonly StructuralSchema[];
  readonly oneOf?: readonly StructuralSchema[];
  readonly not?: StructuralSchema;
  readonly intOrString?: boolean;
  readonly preserveUnknownFields?: boolean;
  readonly embeddedResource?: boolean;
  readonly listType?: ListType;
  readonly listMapKeys?: readonly string[];
}
