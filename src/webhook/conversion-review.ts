/**
 * The CRD conversion handler: a ConversionReview (apiextensions.k8s.io/v1) in, every object
 * converted to the desired version out, in order. Pure: no I/O.
 */
import {
  ConversionError,
  convertLocustTest,
  locustTestApiVersions,
  type LocustTestApiVersion,
} from '../api/conversion.ts';
import {
  badRequest,
  describe,
  isJsonObject,
  readEnvelope,
  stringField,
  type ReviewOutcome,
} from './review.ts';

export type { LocustTestApiVersion } from '../api/conversion.ts';

/** `convertLocustTest` as src/api exports it; injectable for tests. */
export type Converter = (object: unknown, desiredApiVersion: LocustTestApiVersion) => unknown;

/** The real converter. */
export const defaultConverter: Converter = convertLocustTest;

const conversionApiVersion = 'apiextensions.k8s.io/v1';
const conversionKind = 'ConversionReview';
const maxObjects = 10_000;

/** Bound on a failure message: it ends up in the API server's error to the user. */
const maxMessageLength = 1024;

function isApiVersion(value: unknown): value is LocustTestApiVersion {
  return locustTestApiVersions.some((known) => known === value);
}

function identify(object: unknown, index: number): string {
  const metadata = isJsonObject(object) ? object.metadata : undefined;
  if (!isJsonObject(metadata)) return `objects[${String(index)}]`;
  const name = stringField(metadata, 'name')?.slice(0, 253) ?? '';
  const namespace = stringField(metadata, 'namespace')?.slice(0, 63);
  return `objects[${String(index)}] (${namespace === undefined ? name : `${namespace}/${name}`})`;
}

/**
 * Answers one ConversionReview body. A ConversionError (an object that cannot be expressed in the
 * desired version, or is not a LocustTest) fails the whole review with `result.status: Failure`
 * and a message naming the object and field, and no objects, as the API server requires. Any
 * other exception is a bug and propagates (the HTTP layer answers 500). A body that is not a
 * ConversionReview v1 with a request uid and an objects array is a 400.
 */
export function reviewConversion(body: unknown, convert: Converter): ReviewOutcome {
  const envelope = readEnvelope(body, conversionApiVersion, conversionKind);
  if (typeof envelope === 'string') return badRequest(envelope);
  const { request, uid } = envelope;
  const objects = request.objects;
  if (!Array.isArray(objects)) return badRequest('ConversionReview request.objects is missing');
  if (objects.length > maxObjects) return badRequest('ConversionReview has too many objects');
  const desired: unknown = request.desiredAPIVersion;
  const summary = { uid, desiredAPIVersion: stringField(request, 'desiredAPIVersion') ?? null };

  const failure = (message: string): ReviewOutcome => ({
    kind: 'answer',
    body: {
      apiVersion: conversionApiVersion,
      kind: conversionKind,
      response: { uid, result: { status: 'Failure', message } },
    },
    summary: { ...summary, objects: objects.length, result: 'Failure', message },
  });

  if (!isApiVersion(desired)) {
    return failure(
      `cannot convert LocustTest to ${describe(desired)}: ` +
        `the served versions are ${locustTestApiVersions.join(' and ')}`,
    );
  }
  const converted: unknown[] = [];
  for (const [index, object] of (objects as unknown[]).entries()) {
    try {
      converted.push(convert(object, desired));
    } catch (error) {
      if (!(error instanceof ConversionError)) throw error;
      const message = `converting ${identify(object, index)} to ${desired}: ${error.message}`;
      return failure(
        message.length > maxMessageLength ? `${message.slice(0, maxMessageLength)}...` : message,
      );
    }
  }
  return {
    kind: 'answer',
    body: {
      apiVersion: conversionApiVersion,
      kind: conversionKind,
      response: { uid, convertedObjects: converted, result: { status: 'Success' } },
    },
    summary: { ...summary, objects: objects.length, result: 'Success' },
  };
}
