/**
 * Warnings for Locust flags the operator manages (spec §2.6.1). The Go operator only logged them;
 * here the user sees them at apply time. Nothing is rejected: argparse keeps the last occurrence,
 * so an extraArg (appended after the operator's flags) overrides the operator, and a flag in the
 * command seed (placed before them) is overridden by it.
 */
import type { Role } from '../api/names.ts';
import { operatorManagedFlags, splitCommandSeed } from '../resources/args.ts';
import type { FieldProblem, ValidationResult } from './field-problem.ts';
import type { RuleView } from './rule-view.ts';

/** The managed flag `arg` sets (`--flag` or `--flag=value`), if any. */
function managedFlagOf(arg: string): string | undefined {
  return operatorManagedFlags.find((flag) => arg === flag || arg.startsWith(`${flag}=`));
}

function checkRole(view: RuleView, role: Role): FieldProblem[] {
  const { command, extraArgs } = view.roles[role];
  const warnings: FieldProblem[] = [];
  for (const { index, value } of extraArgs) {
    const flag = managedFlagOf(value);
    if (flag === undefined) continue;
    warnings.push({
      field: `spec.${role}.extraArgs[${String(index)}]`,
      message: `"${value}" is an operator-managed flag; extraArgs come after the operator's flags, so this value takes precedence (Locust uses the last occurrence)`,
    });
  }
  const seedFlags = splitCommandSeed(command ?? '').filter(
    (token) => managedFlagOf(token) !== undefined,
  );
  for (const token of seedFlags) {
    warnings.push({
      field: `spec.${role}.command`,
      message: `"${token}" is an operator-managed flag; the operator's flags follow the command and take precedence where they repeat it, so set this through the test's spec instead`,
    });
  }
  return warnings;
}

/** Warnings for managed flags in the commands and extraArgs of both roles. */
export function checkArguments(view: RuleView): ValidationResult {
  return { errors: [], warnings: [...checkRole(view, 'master'), ...checkRole(view, 'worker')] };
}
