/** Commander wiring of `locustctl run`. */
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { runLocalCommand } from './commands/run-local.ts';
import type { CliIo } from './io.ts';

/** `--output` values of the following commands. */
export const followOutputFormats = ['text', 'json'] as const;

/** Parses a whole number ≥ `min` for commander, with a usage error otherwise. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${String(min)}`);
    }
    return number;
  };
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `run` to `program`. */
export function addRunCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  program
    .command('run')
    .summary('run a LocustTest on this machine with real Locust (--local)')
    .description(
      'Render the LocustTest in FILE as the operator would and run its master and workers as local Locust processes on 127.0.0.1, with live progress and a summary. ConfigMaps and Secrets the test uses may be in FILE too.',
    )
    .argument(
      '<FILE>',
      'a YAML file with one LocustTest (and its ConfigMaps); - reads standard input',
    )
    .option('--local', 'run on this machine (the only mode; in a cluster use apply --wait)')
    .option(
      '--files <DIR>',
      'the files of spec.testFiles.configMapRef (instead of a ConfigMap in FILE)',
    )
    .option('--lib-files <DIR>', 'the files of spec.testFiles.libConfigMapRef')
    .addOption(
      new Option(
        '--secret-file <NAME=PATH>',
        'Secret NAME from a Secret manifest or an env file (repeatable)',
      )
        .argParser(collect)
        .default([] as string[]),
    )
    .addOption(
      new Option('--workers <N>', 'worker processes (default: spec.worker.replicas)').argParser(
        wholeNumber(1),
      ),
    )
    .option(
      '--locust <PATH>',
      'the Locust executable (default: locust on PATH, else .venv/bin/locust)',
    )
    .option('--logs', "print the master's output as it runs")
    .addOption(
      new Option('-o, --output <format>', 'text, or json: one object per line')
        .choices(followOutputFormats)
        .default('text' as const),
    )
    .addHelpText(
      'after',
      "\nExit status: the master's exit code (0 passed, 1 failures or errors); 1 invalid test; 2 usage or\nunreadable input; 128+N when stopped by signal N (130 for Ctrl-C).",
    )
    .action(async (file, options) => {
      setExitCode(await runLocalCommand(file, options, io));
    });
}
