/**
 * A validator for Kubernetes structural OpenAPI v3 schemas (a CRD's `openAPIV3Schema`): parse the
 * schema once, then validate values against it and apply its defaults as the API server would.
 */
/** The parsed schema node and its type vocabularies. */
export type { StructuralSchema, SchemaType, ListType } from './schema/types.ts';
/** Narrows a JSON schema document to a StructuralSchema; throws on a malformed one. */
export { parseStructuralSchema } from './schema/parse.ts';
/** Validates a value against a schema: errors as the API server rejects, unknown fields as warnings. */
export { validateStructural, type StructuralCheckOptions } from './schema/validate-value.ts';
/** A defaulted copy of a value, defaults applied as the API server applies them. */
export { applyDefaults } from './schema/defaults.ts';
