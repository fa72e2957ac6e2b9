/**
 * The validating admission handler: an AdmissionReview (admission.k8s.io/v1) for a LocustTest in,
 * the verdict of the shared `validate()` out. Pure: no I/O, so it is tested without a server.
 */
import { apiGroup, kind as locustTestKind } from '../api/constants.ts';
import type { FieldProblem, ValidationResult } from '../validation/field-problem.ts';
import {
  badRequest,
  isJsonObject,
  readEnvelope,
  stringField,
  type JsonObject,
  type ReviewOutcome,
} from './review.ts';

/** `validate(test, oldTest?)` as src/validation exports it; injectable for tests. */
export type Validator = (test: unknown, oldTest?: unknown) => ValidationResult;

/** The validators per served version of LocustTest. */
export interface Validators {
  readonly v2: Validator;
  /** Only reached if a registration lists v1 itself (as upstream's chart did). */
  readonly v1: Validator;
}

const admissionApiVersion = 'admission.k8s.io/v1';
const admissionKind = 'AdmissionReview';

/**
 * 422 Unprocessable Entity with reason Invalid: what the API server answers for a schema
 * violation, so clients that test `IsInvalid()` (reason Invalid, or code 422) treat a webhook
 * rejection the same way. controller-runtime's `Denied()` would send 403 Forbidden, which is
 * wrong for "your object is malformed" and would make reason and code disagree.
 */
export const invalidStatusCode = 422;

/** Kubernetes keeps warnings readable: it truncates each past 256 and all past 4 KiB. */
const maxWarningLength = 256;
const maxWarningsLength = 4096;
/** Bounds on a rejection, so an object with thousands of problems gives a usable message. */
const maxListedProblems = 50;

function line(problem: FieldProblem): string {
  return problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** Warnings as Kubernetes shows them, each short, all within the API server's total budget. */
export function formatWarnings(problems: readonly FieldProblem[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (const [index, problem] of problems.entries()) {
    const text = truncate(line(problem), maxWarningLength);
    if (total + text.length > maxWarningsLength - 64) {
      out.push(`${String(problems.length - index)} more warnings omitted`);
      break;
    }
    out.push(text);
    total += text.length;
  }
  return out;
}

/**
 * The rejection's Status, in the API server's own wording for invalid objects:
 * `LocustTest.locust.io "<name>" is invalid: <field>: <message>; <field>: <message>`, with each
 * problem also as a structured cause.
 */
export function invalidStatus(name: string, errors: readonly FieldProblem[]): JsonObject {
  const listed = errors.slice(0, maxListedProblems);
  const more = errors.length - listed.length;
  const problems = listed.map(line).join('; ') + (more > 0 ? `; and ${String(more)} more` : '');
  return {
    status: 'Failure',
    code: invalidStatusCode,
    reason: 'Invalid',
    message: `${locustTestKind}.${apiGroup} ${JSON.stringify(name)} is invalid: ${problems}`,
    details: {
      name,
      group: apiGroup,
      kind: locustTestKind,
      causes: listed.map((p) => ({
        reason: 'FieldValueInvalid',
        message: p.message,
        field: p.field,
      })),
    },
  };
}

function answer(uid: string, response: JsonObject, summary: JsonObject): ReviewOutcome {
  return {
    kind: 'answer',
    body: { apiVersion: admissionApiVersion, kind: admissionKind, response: { uid, ...response } },
    summary,
  };
}

function refuse(uid: string, code: number, message: string, summary: JsonObject): ReviewOutcome {
  const status = { status: 'Failure', code, reason: 'BadRequest', message };
  return answer(uid, { allowed: false, status }, { ...summary, allowed: false, message });
}

/** The object's name, cut to the longest valid one so a fuzzed name cannot bloat messages. */
function objectName(request: JsonObject, object: unknown): string {
  const metadata = isJsonObject(object) ? object.metadata : undefined;
  const fromObject = isJsonObject(metadata) ? metadata.name : undefined;
  const name = typeof fromObject === 'string' ? fromObject : (stringField(request, 'name') ?? '');
  return truncate(name, 253);
}

/** The served version of LocustTest a request is for, or undefined for anything else. */
function locustTestVersion(requestKind: unknown): 'v1' | 'v2' | undefined {
  if (!isJsonObject(requestKind)) return undefined;
  if (requestKind.group !== apiGroup || requestKind.kind !== locustTestKind) return undefined;
  return requestKind.version === 'v1' || requestKind.version === 'v2'
    ? requestKind.version
    : undefined;
}

/**
 * Answers one AdmissionReview body. CREATE validates the object, UPDATE the object against the
 * old one (ratcheting: see validate()); DELETE, CONNECT and subresources (status) are allowed
 * unchecked, as upstream does. Errors deny with a 422 Invalid status naming every field; warnings
 * are returned either way. A body that is not an AdmissionReview v1 with a request uid is a 400.
 */
export function reviewAdmission(body: unknown, validators: Validators): ReviewOutcome {
  const envelope = readEnvelope(body, admissionApiVersion, admissionKind);
  if (typeof envelope === 'string') return badRequest(envelope);
  const { request, uid } = envelope;
  const operation = stringField(request, 'operation');
  const name = objectName(request, request.object);
  const summary: JsonObject = {
    uid,
    operation: operation ?? null,
    namespace: stringField(request, 'namespace') ?? null,
    name,
  };
  if (operation === undefined) return badRequest('AdmissionReview request.operation is missing');

  if (operation === 'DELETE' || operation === 'CONNECT') {
    return answer(uid, { allowed: true }, { ...summary, allowed: true });
  }
  if (operation !== 'CREATE' && operation !== 'UPDATE') {
    return refuse(uid, 400, `unknown operation ${JSON.stringify(operation)}`, summary);
  }
  if ((stringField(request, 'subResource') ?? '') !== '') {
    return answer(uid, { allowed: true }, { ...summary, allowed: true });
  }
  const version = locustTestVersion(request.kind);
  if (version === undefined) {
    return refuse(uid, 400, `this webhook validates ${apiGroup} ${locustTestKind} only`, summary);
  }
  if (!isJsonObject(request.object)) {
    return refuse(uid, 400, 'AdmissionReview request.object is missing', summary);
  }
  const validator = validators[version];
  const result =
    operation === 'UPDATE'
      ? validator(request.object, request.oldObject)
      : validator(request.object);
  const warnings = formatWarnings(result.warnings);
  const withWarnings = warnings.length > 0 ? { warnings } : {};
  if (result.errors.length === 0) {
    return answer(uid, { allowed: true, ...withWarnings }, { ...summary, allowed: true });
  }
  const status = invalidStatus(name, result.errors);
  return answer(
    uid,
    { allowed: false, status, ...withWarnings },
    { ...summary, allowed: false, message: status.message },
  );
}
