/**
 * `locustctl validate FILE...`: checks every LocustTest in the files exactly as the admission
 * webhook would, offline. Exit 0 when there are no errors, 1 on any error, 2 when a file cannot
 * be read or parsed.
 */
import { apiGroup } from '../../api/constants.ts';
import { describeValue, type ValidationResult } from '../../validation/field-problem.ts';
import { validate, validateV1 } from '../../validation/validate.ts';
import { displayName, readLocustTests } from '../input.ts';
import { exitCodes, type CliIo, type ExitCode } from '../io.ts';
import type { LocustTestSource } from '../locust-test-documents.ts';
import { formatProblem, locate, type LocatedProblem } from '../problem-output.ts';

/** `--output` values: one line per problem, or a JSON array. */
export const outputFormats = ['text', 'json'] as const;
/** One of outputFormats. */
export type OutputFormat = (typeof outputFormats)[number];

/** The command-line options of `validate`. */
export interface ValidateOptions {
  readonly output: OutputFormat;
}

/** Validates one LocustTest according to the apiVersion it is written in. */
export function checkSource(source: LocustTestSource): ValidationResult {
  switch (source.version) {
    case 'v2':
      return validate(source.value);
    case 'v1':
      return validateV1(source.value);
    case undefined: {
      const supported = `supported values: "${apiGroup}/v2", "${apiGroup}/v1"`;
      const message =
        source.apiVersion === undefined
          ? `Required value: ${supported}`
          : `Unsupported value: ${describeValue(source.apiVersion)}: ${supported}`;
      return { errors: [{ field: 'apiVersion', message }], warnings: [] };
    }
  }
}

function plural(count: number, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** Runs the command; returns the process exit code. */
export async function validateCommand(
  files: readonly string[],
  options: ValidateOptions,
  io: CliIo,
): Promise<ExitCode> {
  let unusable = false;
  let checked = 0;
  const problems: LocatedProblem[] = [];
  for (const path of files) {
    const tests = await readLocustTests(path, io);
    if (tests === undefined) {
      unusable = true;
      continue;
    }
    for (const source of tests) {
      checked += 1;
      problems.push(...locate(displayName(path), source, checkSource(source)));
    }
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (options.output === 'json') {
    io.stdout(`${JSON.stringify(problems, null, 2)}\n`);
  } else if (checked > 0 || !unusable) {
    for (const problem of problems) io.stdout(`${formatProblem(problem)}\n`);
    const warnings = problems.length - errors;
    io.stderr(
      checked === 0
        ? `locustctl: no LocustTest found in ${files.map(displayName).join(', ')}\n`
        : `locustctl: ${plural(checked, 'LocustTest')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
    );
  }
  if (unusable) return exitCodes.usage;
  return errors > 0 ? exitCodes.invalid : exitCodes.ok;
}
