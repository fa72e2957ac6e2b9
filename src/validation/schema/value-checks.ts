/**
 * The value validations of one schema node on a value already known to have the node's type:
 * enum, format, numeric bounds, string length and pattern, list and map sizes. Messages follow
 * the API server's (`Invalid value: 0: should be greater than or equal to 1`), always naming the
 * offending value and what is allowed.
 */
import { describeValue, type FieldProblem } from '../field-problem.ts';
import type { StructuralSchema } from './types.ts';

// RFC 3339 as Kubernetes accepts it for format date-time.
const dateTimePattern = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function invalid(field: string, value: unknown, what: string): FieldProblem {
  return { field, message: `Invalid value: ${describeValue(value)}: ${what}` };
}

function checkEnum(schema: StructuralSchema, field: string, value: unknown): FieldProblem[] {
  if (schema.enum === undefined) return [];
  const json = JSON.stringify(value);
  if (schema.enum.some((allowed) => JSON.stringify(allowed) === json)) return [];
  const allowed = schema.enum.map((v) => describeValue(v)).join(', ');
  return [
    { field, message: `Unsupported value: ${describeValue(value)}: supported values: ${allowed}` },
  ];
}

/** The int32/int64 formats bound the value to what the Go types can hold. */
function integerFormatProblem(format: string | undefined, value: number): string | undefined {
  if (format === 'int32' && (value < -(2 ** 31) || value > 2 ** 31 - 1)) {
    return 'must be of format int32 (between -2147483648 and 2147483647)';
  }
  if (format === 'int64' && (value < -(2 ** 63) || value >= 2 ** 63)) {
    return 'must be of format int64 (between -9223372036854775808 and 9223372036854775807)';
  }
  return undefined;
}

function checkNumber(schema: StructuralSchema, field: string, value: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { minimum, maximum } = schema;
  if (minimum !== undefined) {
    if (schema.exclusiveMinimum === true && value <= minimum) {
      problems.push(invalid(field, value, `should be greater than ${String(minimum)}`));
    } else if (value < minimum) {
      problems.push(invalid(field, value, `should be greater than or equal to ${String(minimum)}`));
    }
  }
  if (maximum !== undefined) {
    if (schema.exclusiveMaximum === true && value >= maximum) {
      problems.push(invalid(field, value, `should be less than ${String(maximum)}`));
    } else if (value > maximum) {
      problems.push(invalid(field, value, `should be less than or equal to ${String(maximum)}`));
    }
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const quotient = value / schema.multipleOf;
    if (!Number.isInteger(Number(quotient.toPrecision(12)))) {
      problems.push(invalid(field, value, `should be a multiple of ${String(schema.multipleOf)}`));
    }
  }
  const rangeProblem = integerFormatProblem(schema.format, value);
  if (rangeProblem !== undefined) problems.push(invalid(field, value, rangeProblem));
  return problems;
}

const surrogatePair = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

function codePointLength(value: string): number {
  return value.length - (value.match(surrogatePair)?.length ?? 0);
}

function checkString(schema: StructuralSchema, field: string, value: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // The API server counts characters (code points), not UTF-16 units or bytes.
  const length = codePointLength(value);
  if (schema.minLength !== undefined && length < schema.minLength) {
    problems.push(
      invalid(field, value, `should be at least ${String(schema.minLength)} chars long`),
    );
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    problems.push(
      invalid(
        field,
        value,
        `should be at most ${String(schema.maxLength)} chars long (got ${String(length)})`,
      ),
    );
  }
  if (schema.pattern !== undefined && !schema.pattern.regExp.test(value)) {
    problems.push(invalid(field, value, `should match '${schema.pattern.source}'`));
  }
  if (schema.format === 'date-time' && !dateTimePattern.test(value)) {
    problems.push(invalid(field, value, 'must be of format date-time (RFC 3339)'));
  }
  return problems;
}

function checkCount(
  field: string,
  count: number,
  min: number | undefined,
  max: number | undefined,
  noun: string,
): FieldProblem[] {
  if (max !== undefined && count > max) {
    return [
      { field, message: `Too many: ${String(count)}: must have at most ${String(max)} ${noun}` },
    ];
  }
  if (min !== undefined && count < min) {
    return [
      {
        field,
        message: `Invalid value: ${String(count)} ${noun}: should have at least ${String(min)} ${noun}`,
      },
    ];
  }
  return [];
}

/** Value validations of `schema` on `value`, which has already passed the type check. */
export function checkValue(
  schema: StructuralSchema,
  field: string,
  value: unknown,
): FieldProblem[] {
  const problems = checkEnum(schema, field, value);
  if (typeof value === 'number') problems.push(...checkNumber(schema, field, value));
  else if (typeof value === 'string') problems.push(...checkString(schema, field, value));
  else if (Array.isArray(value)) {
    problems.push(...checkCount(field, value.length, schema.minItems, schema.maxItems, 'items'));
  } else if (typeof value === 'object' && value !== null) {
    const count = Object.keys(value).length;
    problems.push(
      ...checkCount(field, count, schema.minProperties, schema.maxProperties, 'properties'),
    );
  }
  return problems;
}
