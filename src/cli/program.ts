/**
 * The `locustctl` command line: commander wiring only. Commands get their I/O through CliIo and
 * return exit codes; usage errors (unknown option, missing argument) exit 2.
 */
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { renderCommand } from './commands/render.ts';
import { validateCommand, outputFormats } from './commands/validate.ts';
import { exitCodes, type CliIo } from './io.ts';
import { addClusterCommands } from './program-cluster.ts';
import { addRunCommand } from './program-run.ts';

/** Commander's codes for a successful early exit. */
const successCodes = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

function buildProgram(version: string, io: CliIo, setExitCode: (code: number) => void) {
  const program = new Command('locustctl')
    .description(
      'Validate and render LocustTest manifests offline, as the locust-operator would; run them locally with real Locust, or in a cluster and follow them to a verdict.',
    )
    .version(version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('validate')
    .summary('check LocustTest manifests offline, as the admission webhook would')
    .description(
      'Check every LocustTest in FILEs against the CRD schema and the admission rules. Prints `file:line: field: message` per error and `file:line: warning: field: message` per warning; other kinds are ignored.',
    )
    .argument('<FILE...>', 'YAML files, multi-document allowed; - reads standard input')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(outputFormats)
        .default('text' as const),
    )
    .addHelpText(
      'after',
      '\nExit status: 0 valid, 1 validation errors, 2 usage, read or YAML syntax errors.',
    )
    .action(async (files, options) => {
      setExitCode(await validateCommand(files, options, io));
    });

  program
    .command('render')
    .summary('print the Service and Jobs the operator would create')
    .description(
      'Print, as multi-document YAML, the master Service, master Job and worker Job the operator would create for each LocustTest in FILE (3 documents per test). Tests are validated first; nothing is printed if any is invalid.',
    )
    .argument('<FILE>', 'a YAML file, multi-document allowed; - reads standard input')
    .option(
      '-n, --namespace <namespace>',
      'namespace of the tests (default: the manifest\'s, else "default")',
    )
    .option(
      '--config-from-env',
      'read operator settings (POD_CPU_REQUEST, ENABLE_AFFINITY_CR_INJECTION, ...) from the environment, as the operator does',
    )
    .option(
      '--chart-defaults',
      "use the Helm chart's default operator settings instead of the binary's",
    )
    .addHelpText(
      'after',
      "\nWithout --config-from-env or --chart-defaults, the operator binary's defaults apply.\nExit status: 0 rendered, 1 validation errors, 2 usage, read or YAML syntax errors.",
    )
    .action(async (file, options) => {
      setExitCode(await renderCommand(file, options, io));
    });

  addRunCommand(program, io, setExitCode);
  addClusterCommands(program, io, setExitCode);
  return program;
}

/**
 * Runs `locustctl` with `argv` (the arguments after the program name) and returns the exit code.
 * Never calls process.exit, so it can run in-process in tests.
 */
export async function runCli(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = buildProgram(version, io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return exitCodes.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return successCodes.has(error.code) ? exitCodes.ok : exitCodes.usage;
  }
  return exitCode;
}
