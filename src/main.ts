/**
 * The operator's command line: flags as the Go operator's (§6.1) plus this operator's own, the
 * environment configuration (§6.2) validated at start, signals for a graceful stop.
 */
import { Command, Option } from '@commander-js/extra-typings';
import { createLogger } from './controller/logger.ts';
import { describeOperatorConfigErrors, operatorConfigFromEnv } from './resources/index.ts';
import { runOperator } from './operator.ts';

function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new Error(`invalid duration "${value}": use e.g. 90s, 2m, 500ms`);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return Math.round(Number(match[1]) * (units[match[2] ?? 's'] ?? 1000));
}

function parseBool(value: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new Error(`invalid boolean "${value}"`);
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}

const program = new Command('locust-operator')
  .description('Runs distributed Locust load tests from LocustTest resources.')
  .option(
    '--kubeconfig <path>',
    'kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)',
  )
  .option('--context <name>', 'kubeconfig context')
  .addOption(
    new Option('--leader-elect [bool]', 'enable leader election')
      .default(false)
      .argParser(parseBool),
  )
  .option('--leader-election-id <id>', 'name of the Lease', 'locust-k8s-operator.locust.io')
  .option(
    '--leader-election-namespace <ns>',
    'namespace of the Lease (default: POD_NAMESPACE or the context namespace)',
  )
  .option(
    '--watch-namespace <ns>',
    'reconcile LocustTests of this namespace only (default: all namespaces)',
  )
  .option(
    '--health-probe-bind-address <addr>',
    '/healthz and /readyz listener, 0 disables',
    ':8081',
  )
  .option('--metrics-bind-address <addr>', '/metrics listener, 0 disables', '0')
  .addOption(
    new Option('--max-concurrent-reconciles <n>', 'LocustTests reconciled in parallel')
      .default(10)
      .argParser(parsePositiveInt),
  )
  .addOption(
    new Option(
      '--pod-health-grace-period <duration>',
      'time after the oldest pod’s creation before pod failures count',
    )
      .default(120_000, '2m')
      .argParser(parseDuration),
  )
  .addOption(
    new Option('--shutdown-timeout <duration>', 'time to drain reconciles on SIGTERM')
      .default(10_000, '10s')
      .argParser(parseDuration),
  )
  .addOption(
    new Option('--enable-webhooks [bool]', 'serve the validating and conversion webhooks')
      .default(false)
      .argParser(parseBool),
  )
  .option(
    '--webhook-cert-path <dir>',
    'directory with the serving certificate (required with --enable-webhooks)',
  )
  .option('--webhook-cert-name <file>', 'certificate file in --webhook-cert-path', 'tls.crt')
  .option('--webhook-cert-key <file>', 'key file in --webhook-cert-path', 'tls.key')
  .addOption(
    new Option(
      '--webhook-cert-wait-timeout <duration>',
      'wait this long for the certificate files; 0 waits forever',
    )
      .default(120_000, '2m')
      .argParser(parseDuration),
  )
  .addOption(
    new Option('--webhook-port <port>', 'webhook server port')
      .default(9443)
      .argParser(parsePositiveInt),
  )
  .option('--webhook-host <address>', 'webhook server address', '0.0.0.0')
  .addOption(
    new Option('--log-level <level>', 'log level')
      .choices(['debug', 'info', 'warn', 'error'])
      .default('info'),
  )
  .addOption(
    new Option(
      '--zap-log-level <level>',
      'accepted for compatibility; same as --log-level',
    ).hideHelp(),
  )
  .addOption(
    new Option(
      '--metrics-secure [bool]',
      'accepted for compatibility; metrics are served over plain HTTP',
    ).hideHelp(),
  )
  .addOption(new Option('--enable-http2 [bool]', 'accepted for compatibility').hideHelp());

/** The deprecated ENABLE_WEBHOOKS variable, honoured only when --enable-webhooks is not given. */
function legacyEnableWebhooks(log: ReturnType<typeof createLogger>): boolean {
  const value = process.env.ENABLE_WEBHOOKS;
  if (value === undefined || value === '') return false;
  log.warn('ENABLE_WEBHOOKS is deprecated: use --enable-webhooks');
  if (program.getOptionValueSource('enableWebhooks') !== 'default') return false;
  try {
    return parseBool(value);
  } catch {
    log.warn({ value }, 'ENABLE_WEBHOOKS is not a boolean; ignored');
    return false;
  }
}

async function main(): Promise<number> {
  program.parse();
  const flags = program.opts();
  const log = createLogger(flags.zapLogLevel ?? flags.logLevel);
  const { config, errors, warnings } = operatorConfigFromEnv(process.env);
  for (const warning of warnings) log.warn(warning);
  if (errors.length > 0) {
    log.error(describeOperatorConfigErrors(errors));
    return 1;
  }
  const enableWebhooks = flags.enableWebhooks || legacyEnableWebhooks(log);
  if (enableWebhooks && !flags.webhookCertPath) {
    log.error(
      '--webhook-cert-path is required when webhooks are enabled (mount the cert-manager Secret there)',
    );
    return 1;
  }
  const stop = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.once(name, () => {
      log.info({ signal: name }, 'shutting down');
      stop.abort();
    });
  }
  const outcome = await runOperator(
    {
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      config,
      log,
      leaderElect: flags.leaderElect,
      leaderElectionNamespace: flags.leaderElectionNamespace ?? process.env.POD_NAMESPACE,
      leaderElectionId: flags.leaderElectionId,
      healthProbeBindAddress: flags.healthProbeBindAddress,
      metricsBindAddress: flags.metricsBindAddress,
      maxConcurrentReconciles: flags.maxConcurrentReconciles,
      podHealthGracePeriodMs: flags.podHealthGracePeriod,
      shutdownTimeoutMs: flags.shutdownTimeout,
      watchNamespace: flags.watchNamespace,
      webhook:
        enableWebhooks && flags.webhookCertPath
          ? {
              port: flags.webhookPort,
              host: flags.webhookHost,
              certDir: flags.webhookCertPath,
              certName: flags.webhookCertName,
              keyName: flags.webhookCertKey,
              certWaitTimeoutMs: flags.webhookCertWaitTimeout,
            }
          : undefined,
    },
    stop.signal,
  );
  return outcome === 'lost' ? 1 : 0;
}

main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
