/**
 * Conversion between locust.io/v1 and locust.io/v2 LocustTests (hub = v2), for the ConversionReview
 * handler. Pure: no I/O, no clock, no environment.
 *
 * The field mapping is upstream's (spec §1.7, conversion-mapping.ts). Unlike upstream, a v2 → v1
 * conversion that would lose something stores the complete v2 spec as JSON in the
 * {@link v2SpecAnnotation} annotation of the v1 object, and a v1 → v2 conversion that finds it
 * starts from that spec and applies only what the v1 object changed (conversion-overlay.ts), then
 * drops the annotation. So a read-modify-write through v1 (kubectl edit, merge patch) erases no
 * v2-only field, while an edit of a v1 field still wins. The restored spec is not checked against
 * the v1 schema; the v2 validating webhook (matchPolicy Equivalent) sees the converted object.
 */
import type { LocustTestV1 } from './v1/schema.ts';
import type { LocustTest, LocustTestSpec, ObjectMeta } from './v2/schema.ts';
import {
  ConversionError,
  checkConversionInput,
  checkSpecShape,
  type LocustTestApiVersion,
} from './conversion-input.ts';
import { jsonEqual } from './conversion-json.ts';
import { v1SpecFromV2, v2SpecFromV1 } from './conversion-mapping.ts';
import { overlayV1Spec } from './conversion-overlay.ts';

export { ConversionError, locustTestApiVersions } from './conversion-input.ts';
export type { LocustTestApiVersion } from './conversion-input.ts';

/**
 * Annotation on a converted v1 object holding the JSON of the v2 spec it came from. Present only
 * when v1 cannot express that spec; reserved: the v2 → v1 conversion replaces or removes any value
 * a v2 object carries, and the v1 → v2 conversion always removes it.
 */
export const v2SpecAnnotation = 'locust-operator.dev/v2-spec';

const annotationField = `metadata.annotations[${v2SpecAnnotation}]`;

/**
 * A copy of `metadata` without the v2-spec annotation, and that annotation's value. An
 * `annotations` map left empty by the removal goes too, as the API server would not store it.
 */
function takeAnnotation(metadata: ObjectMeta): { metadata: ObjectMeta; stored?: string } {
  const copy = structuredClone(metadata);
  const stored = copy.annotations?.[v2SpecAnnotation];
  if (copy.annotations === undefined || stored === undefined) return { metadata: copy };
  const rest = Object.fromEntries(
    Object.entries(copy.annotations).filter(([key]) => key !== v2SpecAnnotation),
  );
  if (Object.keys(rest).length === 0) delete copy.annotations;
  else copy.annotations = rest;
  return { metadata: copy, stored };
}

function parseStoredSpec(json: string): LocustTestSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConversionError(annotationField, `is not valid JSON: ${reason}`);
  }
  checkSpecShape(parsed, annotationField, 'locust.io/v2');
  // Shape-checked above; the v2 validating webhook checks the rest of the restored spec.
  return parsed as LocustTestSpec;
}

/**
 * The locust.io/v2 form of a v1 LocustTest: metadata copied (minus the v2-spec annotation), status
 * not converted. Without the annotation the spec is upstream's mapping (autostart on, autoquit
 * after 60 s, affinity expressions in sorted key order); with it, the stored v2 spec with every
 * v1 field the object changed applied. Throws ConversionError when the annotation is malformed.
 */
export function convertV1ToV2(v1: LocustTestV1): LocustTest {
  const { metadata, stored } = takeAnnotation(v1.metadata);
  const spec =
    stored === undefined ? v2SpecFromV1(v1.spec) : overlayV1Spec(parseStoredSpec(stored), v1.spec);
  return { apiVersion: 'locust.io/v2', kind: 'LocustTest', metadata, spec };
}

/**
 * The locust.io/v1 form of a v2 LocustTest: metadata copied, status not converted (v1 has none),
 * the spec mapped as upstream's ConvertFrom. When converting that v1 spec back would not give
 * this spec, the v2 spec is stored as JSON in the {@link v2SpecAnnotation} annotation.
 */
export function convertV2ToV1(v2: LocustTest): LocustTestV1 {
  const { metadata } = takeAnnotation(v2.metadata);
  const spec = v1SpecFromV2(v2.spec);
  if (!jsonEqual(v2SpecFromV1(spec), v2.spec)) {
    metadata.annotations = { ...metadata.annotations, [v2SpecAnnotation]: JSON.stringify(v2.spec) };
  }
  return { apiVersion: 'locust.io/v1', kind: 'LocustTest', metadata, spec };
}

/**
 * Converts a LocustTest of either version to `desiredApiVersion`, for the ConversionReview
 * handler. A copy is returned unchanged when it is already at that version. Throws a
 * ConversionError, whose message starts with the offending field, when `object` is not a
 * LocustTest of a known version with object metadata and a convertible spec.
 */
export function convertLocustTest(
  object: unknown,
  desiredApiVersion: LocustTestApiVersion,
): LocustTest | LocustTestV1 {
  const { apiVersion, object: checked } = checkConversionInput(object, v2SpecAnnotation);
  const copy = structuredClone(checked);
  // checkConversionInput checked what the typed conversions walk through; the API server's schema
  // validation covers the scalars.
  if (apiVersion === desiredApiVersion) return copy as unknown as LocustTest | LocustTestV1;
  // ConversionReview objects always carry metadata; a bare document converts as if it were empty.
  const input = { ...copy, metadata: copy.metadata ?? {} };
  return apiVersion === 'locust.io/v1'
    ? convertV1ToV2(input as unknown as LocustTestV1)
    : convertV2ToV1(input as unknown as LocustTest);
}
