/** The Locust container's args: the user's command seed, then the operator's flags (spec §2.6.1). */
import { constants, nodeName, type LocustTest } from '../api/index.ts';
import { testName } from './metadata.ts';
import { isOpenTelemetryEnabled } from './otel.ts';

/** Flags the operator sets itself; a user extraArg repeating one wins (argparse: last one wins). */
export const operatorManagedFlags: readonly string[] = [
  '--master',
  '--worker',
  '--master-port',
  '--master-host',
  '--expect-workers',
  '--autostart',
  '--autoquit',
  '--otel',
  '--enable-rebalancing',
  '--only-summary',
];

const defaultAutoquitTimeout = 60;

// Go's strings.Fields splits on unicode.IsSpace, which differs from JavaScript's \s in U+0085
// (space in Go) and U+FEFF (not space in Go).
const goWhitespace = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Splits a command seed into args on runs of whitespace, like Go's strings.Fields: no shell
 * quoting (quotes stay literal), no empty tokens.
 */
export function splitCommandSeed(seed: string): string[] {
  return seed.split(goWhitespace).filter((token) => token !== '');
}

/**
 * The extraArgs that repeat an operator-managed flag (`--flag` or `--flag=value`). Nothing is
 * removed: the caller may log them ("user value takes precedence"), as the Go operator does.
 */
export function findManagedFlagOverrides(extraArgs: readonly string[] | undefined): string[] {
  return (extraArgs ?? []).filter((arg) =>
    operatorManagedFlags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)),
  );
}

/**
 * Master args: seed tokens, `--otel` (if enabled), `--master`, `--master-port=5557`,
 * `--expect-workers=<replicas>`, `--autostart` (unless autostart is false), `--autoquit <T>`
 * (unless autoquit.enabled is false; T is autoquit.timeout, or 60 when absent or negative),
 * `--enable-rebalancing`, `--only-summary`, then extraArgs verbatim.
 */
export function buildMasterArgs(test: LocustTest): string[] {
  const { master, worker } = test.spec;
  const args = splitCommandSeed(master.command);
  if (isOpenTelemetryEnabled(test)) args.push('--otel');
  args.push(
    '--master',
    `--master-port=${constants.masterPort}`,
    `--expect-workers=${worker.replicas}`,
  );
  if (master.autostart !== false) args.push('--autostart');
  // An autoquit object without `enabled` or `timeout` only exists before API-server defaulting,
  // which would fill in true and 60; treat it the same.
  const autoquit = master.autoquit;
  if (autoquit?.enabled !== false) {
    const timeout = autoquit?.timeout;
    const seconds = timeout === undefined || timeout < 0 ? defaultAutoquitTimeout : timeout;
    args.push('--autoquit', String(seconds));
  }
  args.push('--enable-rebalancing', '--only-summary', ...(master.extraArgs ?? []));
  return args;
}

/**
 * Worker args: seed tokens, `--otel` (if enabled), `--worker`, `--master-port=5557`,
 * `--master-host=<test>-master`, then extraArgs verbatim.
 */
export function buildWorkerArgs(test: LocustTest): string[] {
  const { worker } = test.spec;
  const args = splitCommandSeed(worker.command);
  if (isOpenTelemetryEnabled(test)) args.push('--otel');
  args.push(
    '--worker',
    `--master-port=${constants.masterPort}`,
    `--master-host=${nodeName(testName(test), 'master')}`,
    ...(worker.extraArgs ?? []),
  );
  return args;
}
