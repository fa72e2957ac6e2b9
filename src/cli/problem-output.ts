/**
 * How validation problems are printed: one line per problem, `file:line: field: message` for
 * errors and `file:line: warning: field: message` for warnings (the format editors and CI log
 * parsers link to), or JSON for tools.
 */
import type { FieldProblem, ValidationResult } from '../validation/field-problem.ts';
import type { LocustTestSource } from './locust-test-documents.ts';

/** Errors fail the command; warnings do not. */
export type Severity = 'error' | 'warning';

/** One printed problem, located in a file. */
export interface LocatedProblem {
  readonly file: string;
  readonly line: number;
  readonly severity: Severity;
  readonly field: string;
  readonly message: string;
}

/** The problems of one LocustTest, located by their field paths; errors first. */
export function locate(
  file: string,
  source: LocustTestSource,
  result: ValidationResult,
): LocatedProblem[] {
  const at =
    (severity: Severity) =>
    (problem: FieldProblem): LocatedProblem => ({
      file,
      line: problem.field === '' ? source.line : source.lineOf(problem.field),
      severity,
      field: problem.field,
      message: problem.message,
    });
  return [...result.errors.map(at('error')), ...result.warnings.map(at('warning'))];
}

/** `file:line: [warning: ]field: message`. */
export function formatProblem(problem: LocatedProblem): string {
  const severity = problem.severity === 'warning' ? 'warning: ' : '';
  const field = problem.field === '' ? '' : `${problem.field}: `;
  return `${problem.file}:${String(problem.line)}: ${severity}${field}${problem.message}`;
}
