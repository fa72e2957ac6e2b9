/**
 * Update ratcheting: an UPDATE may not introduce problems, but may keep the ones the stored
 * object already had. This is what lets the operator add or remove its finalizer, and a user edit
 * labels, on an object created while the webhook was off or under older rules (weak spot 14), in
 * the spirit of the API server's CRD validation ratcheting.
 */
import type { FieldProblem, ValidationResult } from './field-problem.ts';

function key(problem: FieldProblem): string {
  return `${problem.field}\u0000${problem.message}`;
}

/**
 * `current`'s errors that `previous` did not have stay errors; the rest become warnings saying
 * the object was already invalid. Warnings are passed through once each.
 */
export function ratchet(current: ValidationResult, previous: ValidationResult): ValidationResult {
  const known = new Set(previous.errors.map(key));
  const errors = current.errors.filter((p) => !known.has(key(p)));
  const kept = current.errors
    .filter((p) => known.has(key(p)))
    .map((p) => ({
      field: p.field,
      message: `${p.message} (already invalid before this update; not blocking it)`,
    }));
  return { errors, warnings: [...current.warnings, ...kept] };
}
