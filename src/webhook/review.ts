/**
 * What the two review handlers share: narrowing the decoded JSON body to a review envelope, and
 * the outcome type the HTTP layer turns into a response. A body that is not a review the API
 * server could have sent is a 400; a review that can be answered is answered with a 200.
 */

/** A JSON object, as decoded. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The answer to one review request. */
export type ReviewOutcome =
  | { readonly kind: 'answer'; readonly body: JsonObject; readonly summary: JsonObject }
  | { readonly kind: 'bad-request'; readonly message: string };

/** A 400 outcome. */
export function badRequest(message: string): ReviewOutcome {
  return { kind: 'bad-request', message };
}

/** The parts of a review envelope the handlers need. */
export interface ReviewEnvelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly request: JsonObject;
  readonly uid: string;
}

const maxUidLength = 256;

/**
 * Narrows a decoded body to `{apiVersion, kind, request: {uid, ...}}` of the expected type, or
 * says why not. The uid is echoed into the response, so it must be a sensible string.
 */
export function readEnvelope(
  body: unknown,
  apiVersion: string,
  kind: string,
): ReviewEnvelope | string {
  if (!isJsonObject(body)) return `expected a ${kind} object`;
  if (body.apiVersion !== apiVersion || body.kind !== kind) {
    return `expected apiVersion ${apiVersion} and kind ${kind}, got ${describe(body.apiVersion)} and ${describe(body.kind)}`;
  }
  const request = body.request;
  if (!isJsonObject(request)) return `${kind} has no request`;
  const uid = request.uid;
  if (typeof uid !== 'string' || uid.length === 0 || uid.length > maxUidLength) {
    return `${kind} request.uid must be a non-empty string of at most ${String(maxUidLength)} characters`;
  }
  return { apiVersion, kind, request, uid };
}

/** A short, quoted rendering of an untrusted value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value === null ? 'null' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return typeof value;
  // Quoted as JSON so control characters and quotes from the body cannot forge log structure.
  return value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}...` : JSON.stringify(value);
}

/** `request[key]` when it is a string, else undefined. */
export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}
