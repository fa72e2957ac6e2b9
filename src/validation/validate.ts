/**
 * Admission validation of a LocustTest: the CRD schema first (on a copy defaulted as the API
 * server would), then the Go webhook's rules in their order, then the checks for what the Go
 * webhook missed. Every failing rule is reported, not only the first. Pure: the webhook, the
 * operator and `locustctl validate` all call this.
 */
import { apiGroup, kind, v1DeprecationWarning } from '../api/constants.ts';
import type { LocustTest } from '../api/v2/schema.ts';
import { checkArguments } from './argument-rules.ts';
import type { FieldProblem, ValidationResult } from './field-problem.ts';
import { locustTestV1Schema, locustTestV2Schema } from './locusttest-schemas.ts';
import { checkMounts } from './mount-rules.ts';
import { checkName } from './name-rules.ts';
import { ratchet } from './ratchet.ts';
import { readRuleView, type RuleView } from './rule-view.ts';
import { applyDefaults, validateStructural, type StructuralSchema } from './structural-schema.ts';
import { nameLengthRule, webhookRules } from './webhook-rules.ts';

/** The result types, re-exported for callers of validate(). */
export type { FieldProblem, ValidationResult } from './field-problem.ts';

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Status is the operator's to write: the API server ignores it on the main resource. */
function withoutStatus(test: unknown): unknown {
  if (!isObject(test) || !('status' in test)) return test;
  return Object.fromEntries(Object.entries(test).filter(([key]) => key !== 'status'));
}

function checkSchema(schema: StructuralSchema, test: unknown): ValidationResult {
  return validateStructural(schema, withoutStatus(applyDefaults(schema, test)), { resource: true });
}

function merge(results: readonly ValidationResult[]): ValidationResult {
  return {
    errors: results.flatMap((r) => r.errors),
    warnings: results.flatMap((r) => r.warnings),
  };
}

function checkRules(view: RuleView): ValidationResult {
  return merge([
    { errors: webhookRules.flatMap((rule) => rule(view)), warnings: [] },
    checkName(view),
    checkMounts(view),
    checkArguments(view),
  ]);
}

function checkV2(test: unknown): ValidationResult {
  const view = readRuleView(applyDefaults(locustTestV2Schema, test));
  return merge([checkSchema(locustTestV2Schema, test), checkRules(view)]);
}

function statusWarning(test: unknown): FieldProblem[] {
  return isObject(test) && test.status !== undefined
    ? [
        {
          field: 'status',
          message:
            'ignored: the API server drops status sent with a new object; only the operator writes it',
        },
      ]
    : [];
}

/**
 * Validates a locust.io/v2 LocustTest for CREATE (no `oldTest`) or UPDATE. `errors` must block
 * admission; `warnings` are for the user. On UPDATE, immutability is not enforced (the operator
 * reports drift instead), and problems the old object already had are downgraded to warnings, so
 * an object that became invalid under newer rules can still get and lose finalizers and metadata.
 */
export function validate(test: unknown, oldTest?: unknown): ValidationResult {
  const current = checkV2(test);
  if (oldTest === undefined) {
    return { errors: current.errors, warnings: [...current.warnings, ...statusWarning(test)] };
  }
  return ratchet(current, checkV2(oldTest));
}

/**
 * Validates a deprecated locust.io/v1 LocustTest: its schema and the name rules (the name is the
 * same in both versions); always warns that v1 is deprecated. The v2 rules apply after conversion.
 */
export function validateV1(test: unknown, oldTest?: unknown): ValidationResult {
  const check = (value: unknown): ValidationResult => {
    const view = readRuleView(value);
    return merge([
      checkSchema(locustTestV1Schema, value),
      { errors: nameLengthRule(view), warnings: [] },
      checkName(view),
    ]);
  };
  const current = check(test);
  const result = oldTest === undefined ? current : ratchet(current, check(oldTest));
  return {
    errors: result.errors,
    warnings: [{ field: 'apiVersion', message: v1DeprecationWarning }, ...result.warnings],
  };
}

/** A manifest checked for use as a LocustTest: typed and defaulted when valid. */
export type CheckedLocustTest =
  | { readonly valid: true; readonly test: LocustTest; readonly warnings: FieldProblem[] }
  | { readonly valid: false; readonly errors: FieldProblem[]; readonly warnings: FieldProblem[] };

/**
 * Validates `value` as a new locust.io/v2 LocustTest and, when it has no errors, returns it with
 * the schema defaults applied, as the API server would store it and the operator would read it.
 */
export function checkLocustTest(value: unknown): CheckedLocustTest {
  const { errors, warnings } = validate(value);
  const defaulted = applyDefaults(locustTestV2Schema, value);
  const identityOk =
    isObject(defaulted) && defaulted.apiVersion === `${apiGroup}/v2` && defaulted.kind === kind;
  if (!identityOk) {
    errors.push({
      field: 'apiVersion',
      message: `Unsupported value: must be ${apiGroup}/v2 ${kind}`,
    });
  }
  if (errors.length > 0 || !identityOk) return { valid: false, errors, warnings };
  // The schema check above is what makes this cast sound: it is the CRD the API server enforces.
  return { valid: true, test: defaulted as unknown as LocustTest, warnings };
}
