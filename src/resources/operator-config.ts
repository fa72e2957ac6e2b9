/**
 * The operator's own configuration, read once at startup from environment variables with the Go
 * operator's names, defaults and parsing rules (spec §6.2). Parsing is pure: the environment is a
 * parameter, and problems come back as values for the caller to log or exit on.
 */
import { goQuote, parseGoBool, parseGoInt32 } from './env-values.ts';
import { present } from './object.ts';
import { isDns1123Subdomain, isQuantity } from './quantity.ts';

/** The resource names the operator sets on containers. */
export type ResourceName = 'cpu' | 'memory' | 'ephemeral-storage';

/** Quantities by resource name; an absent entry means "not configured at this level". */
export type Quantities = Readonly<Partial<Record<ResourceName, string>>>;

/** Requests and limits, as configured for one level of the resource precedence chain. */
export interface ResourceSettings {
  readonly requests: Quantities;
  readonly limits: Quantities;
}

/** The metrics-exporter sidecar added to master pods when OpenTelemetry is off. */
export interface MetricsExporterSettings {
  readonly image: string;
  /** Container port, Service port and `prometheus.io/port` annotation. */
  readonly port: number;
  readonly imagePullPolicy: string;
  readonly resources: ResourceSettings;
}

/** Kafka connection settings injected into every Locust container as KAFKA_* variables. */
export interface KafkaSettings {
  readonly bootstrapServers: string;
  readonly securityEnabled: boolean;
  readonly securityProtocol: string;
  readonly saslMechanism: string;
  readonly saslJaasConfig: string;
  readonly username: string;
  readonly password: string;
}

/** Everything the operator's environment configures about the objects it generates. */
export interface OperatorConfig {
  /** Job `ttlSecondsAfterFinished`; absent leaves the field unset. */
  readonly jobTtlSecondsAfterFinished?: number;
  /** POD_*: the unified defaults for Locust containers (level 3 of the precedence chain). */
  readonly podResources: ResourceSettings;
  /** MASTER_POD_*: master-only overrides, field by field over podResources (level 2). */
  readonly masterPodResources: ResourceSettings;
  /** WORKER_POD_*: worker-only overrides, field by field over podResources (level 2). */
  readonly workerPodResources: ResourceSettings;
  readonly metricsExporter: MetricsExporterSettings;
  /**
   * Kafka settings, present only when Kafka is configured: at least one KAFKA_* variable is set
   * to a non-empty value (unset ones take the Go defaults). Absent means no KAFKA_* variables are
   * injected; the Go operator always injected all seven.
   */
  readonly kafka?: KafkaSettings;
  /** ENABLE_AFFINITY_CR_INJECTION: copy `spec.scheduling.affinity` into pods. */
  readonly affinityInjection: boolean;
  /** ENABLE_TAINT_TOLERATIONS_CR_INJECTION: copy `spec.scheduling.tolerations` into pods. */
  readonly tolerationsInjection: boolean;
  /** DEFAULT_RUNTIME_CLASS_NAME: used when a test does not set `scheduling.runtimeClassName`. */
  readonly defaultRuntimeClassName?: string;
}

/** The Go operator binary's defaults (no environment variables set). */
export const defaultOperatorConfig: OperatorConfig = {
  podResources: {
    requests: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '30M' },
    limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '50M' },
  },
  masterPodResources: { requests: {}, limits: {} },
  workerPodResources: { requests: {}, limits: {} },
  metricsExporter: {
    image: 'containersol/locust_exporter:v0.5.0',
    port: 9646,
    imagePullPolicy: 'Always',
    resources: {
      requests: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '30M' },
      limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '50M' },
    },
  },
  affinityInjection: false,
  tolerationsInjection: false,
};

/**
 * What the Helm chart's default values produce: both injection gates on, exporter pulled
 * IfNotPresent with smaller resources, no Kafka variables (`kafka.enabled: false`).
 */
export const chartDefaultOperatorConfig: OperatorConfig = {
  ...defaultOperatorConfig,
  metricsExporter: {
    ...defaultOperatorConfig.metricsExporter,
    imagePullPolicy: 'IfNotPresent',
    resources: {
      requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '30M' },
      limits: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '50M' },
    },
  },
  affinityInjection: true,
  tolerationsInjection: true,
};

/** Defaults of the KAFKA_* variables once Kafka is configured. */
export const defaultKafkaSettings: KafkaSettings = {
  bootstrapServers: 'localhost:9092',
  securityEnabled: false,
  securityProtocol: 'SASL_PLAINTEXT',
  saslMechanism: 'SCRAM-SHA-512',
  saslJaasConfig: '',
  username: '',
  password: '',
};

/** The result of reading the environment: a usable config plus what was wrong with the input. */
export interface OperatorConfigResult {
  /** The configuration; when `errors` is non-empty the operator must not start with it. */
  readonly config: OperatorConfig;
  /** Fatal problems, one line each (the Go operator's wording for quantities). */
  readonly errors: readonly string[];
  /** Values that were ignored in favour of the default, one line each. */
  readonly warnings: readonly string[];
}

/** The environment as a plain map, for example `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

const resourceLevels = [
  ['POD', 'podResources'],
  ['MASTER_POD', 'masterPodResources'],
  ['WORKER_POD', 'workerPodResources'],
  ['METRICS_EXPORTER', 'metricsExporter'],
] as const;
const quantityKinds = [
  ['REQUEST', 'requests'],
  ['LIMIT', 'limits'],
] as const;
const quantityNames = [
  ['CPU', 'cpu'],
  ['MEM', 'memory'],
  ['EPHEMERAL', 'ephemeral-storage'],
] as const satisfies readonly (readonly [string, ResourceName])[];

const kafkaVariables = [
  'KAFKA_BOOTSTRAP_SERVERS',
  'KAFKA_SECURITY_ENABLED',
  'KAFKA_SECURITY_PROTOCOL_CONFIG',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_JAAS_CONFIG',
  'KAFKA_USERNAME',
  'KAFKA_PASSWORD',
] as const;

/**
 * Reads the operator configuration from `env` with the Go operator's rules: an empty value is the
 * same as unset; booleans use Go syntax and int32s base 10, an unparseable one is a warning and
 * the default is kept (an unparseable TTL is ignored); every non-empty resource quantity must
 * parse, and DEFAULT_RUNTIME_CLASS_NAME must be a DNS-1123 subdomain — all such errors are
 * reported together. Never reads `process.env` itself.
 */
export function operatorConfigFromEnv(env: Environment): OperatorConfigResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = text(name);
    if (value === undefined) return fallback;
    const parsed = parseGoBool(value);
    if (parsed !== undefined) return parsed;
    warnings.push(
      `env var ${name} has unparseable boolean value ${goQuote(value)}, using default ${String(fallback)}`,
    );
    return fallback;
  };
  const int32 = (name: string, fallback?: number): number | undefined => {
    const value = text(name);
    if (value === undefined) return fallback;
    const parsed = parseGoInt32(value);
    if (parsed !== undefined) return parsed;
    const outcome = fallback === undefined ? 'ignoring' : `using default ${String(fallback)}`;
    warnings.push(`env var ${name} has unparseable int32 value ${goQuote(value)}, ${outcome}`);
    return fallback;
  };
  const resources = (prefix: string, defaults: ResourceSettings): ResourceSettings => {
    const settings: Record<'requests' | 'limits', Quantities> = { requests: {}, limits: {} };
    for (const [kind, key] of quantityKinds) {
      const entries: [ResourceName, string][] = [];
      for (const [variablePart, resourceName] of quantityNames) {
        const name = `${prefix}_${variablePart}_${kind}`;
        const value = text(name) ?? defaults[key][resourceName];
        if (value === undefined) continue;
        if (!isQuantity(value)) {
          errors.push(
            `invalid value for ${name}: ${goQuote(value)} is not a valid Kubernetes quantity`,
          );
        }
        entries.push([resourceName, value]);
      }
      settings[key] = Object.fromEntries(entries);
    }
    return settings;
  };

  const defaults = defaultOperatorConfig;
  const resolved: Record<(typeof resourceLevels)[number][1], ResourceSettings> = {
    podResources: defaults.podResources,
    masterPodResources: defaults.masterPodResources,
    workerPodResources: defaults.workerPodResources,
    metricsExporter: defaults.metricsExporter.resources,
  };
  // Errors come out in the Go operator's declaration order: level, requests then limits, cpu/mem/eph.
  for (const [prefix, field] of resourceLevels) {
    resolved[field] = resources(prefix, resolved[field]);
  }

  const ttl = int32('JOB_TTL_SECONDS_AFTER_FINISHED');
  const runtimeClassName = text('DEFAULT_RUNTIME_CLASS_NAME');
  if (runtimeClassName !== undefined && !isDns1123Subdomain(runtimeClassName)) {
    errors.push(
      `invalid value for DEFAULT_RUNTIME_CLASS_NAME: ${goQuote(runtimeClassName)} is not a valid DNS-1123 subdomain`,
    );
  }
  const kafka = kafkaVariables.some((name) => text(name) !== undefined)
    ? {
        bootstrapServers: text('KAFKA_BOOTSTRAP_SERVERS') ?? defaultKafkaSettings.bootstrapServers,
        securityEnabled: bool('KAFKA_SECURITY_ENABLED', defaultKafkaSettings.securityEnabled),
        securityProtocol:
          text('KAFKA_SECURITY_PROTOCOL_CONFIG') ?? defaultKafkaSettings.securityProtocol,
        saslMechanism: text('KAFKA_SASL_MECHANISM') ?? defaultKafkaSettings.saslMechanism,
        saslJaasConfig: text('KAFKA_SASL_JAAS_CONFIG') ?? defaultKafkaSettings.saslJaasConfig,
        username: text('KAFKA_USERNAME') ?? defaultKafkaSettings.username,
        password: text('KAFKA_PASSWORD') ?? defaultKafkaSettings.password,
      }
    : undefined;

  const config: OperatorConfig = {
    ...present('jobTtlSecondsAfterFinished', ttl),
    podResources: resolved.podResources,
    masterPodResources: resolved.masterPodResources,
    workerPodResources: resolved.workerPodResources,
    metricsExporter: {
      image: text('METRICS_EXPORTER_IMAGE') ?? defaults.metricsExporter.image,
      port:
        int32('METRICS_EXPORTER_PORT', defaults.metricsExporter.port) ??
        defaults.metricsExporter.port,
      imagePullPolicy:
        text('METRICS_EXPORTER_IMAGE_PULL_POLICY') ?? defaults.metricsExporter.imagePullPolicy,
      resources: resolved.metricsExporter,
    },
    ...present('kafka', kafka),
    affinityInjection: bool('ENABLE_AFFINITY_CR_INJECTION', defaults.affinityInjection),
    tolerationsInjection: bool(
      'ENABLE_TAINT_TOLERATIONS_CR_INJECTION',
      defaults.tolerationsInjection,
    ),
    ...present('defaultRuntimeClassName', runtimeClassName),
  };
  return { config, errors, warnings };
}

/**
 * The single startup error message for `errors`, as the Go operator prints it:
 * `invalid operator configuration: resource validation failed:` then one `  - <error>` line each.
 */
export function describeOperatorConfigErrors(errors: readonly string[]): string {
  return [
    'invalid operator configuration: resource validation failed:',
    ...errors.map((error) => `  - ${error}`),
  ].join('\n');
}
