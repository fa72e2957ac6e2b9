/**
 * Commander wiring of the cluster commands: `apply`, `status`, `logs`, `delete`. The commands are
 * imported when they run: the Kubernetes client library alone takes over half a second to load,
 * which `validate`, `render` and `run` should not pay.
 */
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { parseDuration } from './duration.ts';
import type { CliIo } from './io.ts';
import { followOutputFormats } from './program-run.ts';

/** Parses a `--timeout` for commander: a Go-style duration such as 90s or 10m. */
export function durationArgument(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new InvalidArgumentError('expected a duration such as 90s, 10m or 1h30m');
  return ms;
}

/** `logs --role` values. */
const roles = ['master', 'worker'] as const;

const kubeconfigHelp = 'path of the kubeconfig (default: KUBECONFIG, then ~/.kube/config)';
const contextHelp = 'the kubeconfig context to use (default: its current context)';
const namespaceHelp = "the namespace (default: the manifest's, else the context's, else default)";
const exitHelp = '\nExit status: 3 when the cluster cannot be used (unreachable, forbidden).';

/** Adds `apply`, `status`, `logs` and `delete` to `program`. */
export function addClusterCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  program
    .command('apply')
    .summary('create a LocustTest in a cluster; with --wait, follow it to a CI verdict')
    .description(
      'Create the LocustTest in FILE, and the ConfigMaps in FILE (owned by the test, so they go with it), in a cluster. With --wait, follow it until it Succeeds or Fails: phase, workers, conditions and Events as they change.',
    )
    .argument(
      '<FILE>',
      'a YAML file with one LocustTest (and its ConfigMaps); - reads standard input',
    )
    .option('--wait', 'follow the test until it finishes')
    .addOption(
      new Option('--timeout <duration>', 'with --wait: give up after this long (e.g. 90s, 10m)')
        .argParser(durationArgument)
        .default(30 * 60_000, '30m'),
    )
    .option(
      '--generate-name',
      'create as <name>-<random> (and its ConfigMaps likewise), unique per CI run',
    )
    .option('--logs', "with --wait: stream the master pod's log")
    .addOption(
      new Option('-o, --output <format>', 'text, or json: one object per line')
        .choices(followOutputFormats)
        .default('text' as const),
    )
    .option('--kubeconfig <path>', kubeconfigHelp)
    .option('--context <name>', contextHelp)
    .option('-n, --namespace <namespace>', namespaceHelp)
    .addHelpText(
      'after',
      `\nExit status: 0 created (or, with --wait, Succeeded); 1 Failed, invalid or refused by the API server;\n2 timed out, usage or unreadable input; 130 stopped following (the test keeps running).${exitHelp}`,
    )
    .action(async (file, options) => {
      const { applyCommand } = await import('./commands/apply.ts');
      setExitCode(await applyCommand(file, options, io));
    });

  program
    .command('status')
    .summary("show a LocustTest's phase, workers, conditions and recent Events")
    .argument('<NAME>', 'the LocustTest')
    .addOption(
      new Option('-o, --output <format>', 'text or json')
        .choices(followOutputFormats)
        .default('text' as const),
    )
    .option('--kubeconfig <path>', kubeconfigHelp)
    .option('--context <name>', contextHelp)
    .option('-n, --namespace <namespace>', "the namespace (default: the context's, else default)")
    .addHelpText('after', `\nExit status: 0 shown, 1 no such test.${exitHelp}`)
    .action(async (name, options) => {
      const { statusCommand } = await import('./commands/status.ts');
      setExitCode(await statusCommand(name, options, io));
    });

  program
    .command('logs')
    .summary("print the Locust log of a LocustTest's master (or worker) pods")
    .argument('<NAME>', 'the LocustTest')
    .addOption(new Option('--role <role>', 'whose log').choices(roles).default('master' as const))
    .option('-f, --follow', 'keep printing as the log grows')
    .option('--kubeconfig <path>', kubeconfigHelp)
    .option('--context <name>', contextHelp)
    .option('-n, --namespace <namespace>', "the namespace (default: the context's, else default)")
    .addHelpText(
      'after',
      `\nExit status: 0 printed, 1 no pod yet or its log is unavailable.${exitHelp}`,
    )
    .action(async (name, options) => {
      const { logsCommand } = await import('./commands/logs.ts');
      setExitCode(await logsCommand(name, options, io));
    });

  program
    .command('delete')
    .summary('delete a LocustTest (and, through the garbage collector, all it owns)')
    .argument('<NAME>', 'the LocustTest')
    .option('--wait', 'return only when the test, its Service, Jobs, pods and ConfigMaps are gone')
    .addOption(
      new Option('--timeout <duration>', 'with --wait: give up after this long')
        .argParser(durationArgument)
        .default(5 * 60_000, '5m'),
    )
    .option('--kubeconfig <path>', kubeconfigHelp)
    .option('--context <name>', contextHelp)
    .option('-n, --namespace <namespace>', "the namespace (default: the context's, else default)")
    .addHelpText(
      'after',
      `\nExit status: 0 deleted (and gone, with --wait), 1 no such test, 2 timed out.${exitHelp}`,
    )
    .action(async (name, options) => {
      const { deleteCommand } = await import('./commands/delete.ts');
      setExitCode(await deleteCommand(name, options, io));
    });
}
