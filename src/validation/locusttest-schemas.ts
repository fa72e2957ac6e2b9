/**
 * The CRD's structural schemas, generated from src/api by `npm run gen:crd` with the embedded
 * Kubernetes types resolved, parsed once at import. A broken generated file fails here, loudly.
 */
import v1SchemaJson from '../api/generated/locusttest.v1.schema.json' with { type: 'json' };
import v2SchemaJson from '../api/generated/locusttest.v2.schema.json' with { type: 'json' };
import { parseStructuralSchema, type StructuralSchema } from './structural-schema.ts';

/** The locust.io/v2 LocustTest openAPIV3Schema (the whole object: apiVersion, kind, metadata, spec, status). */
export const locustTestV2Schema: StructuralSchema = parseStructuralSchema(v2SchemaJson);

/** The deprecated locust.io/v1 LocustTest openAPIV3Schema. */
export const locustTestV1Schema: StructuralSchema = parseStructuralSchema(v1SchemaJson);
