import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartDefaultOperatorConfig,
  defaultKafkaSettings,
  defaultOperatorConfig,
  describeOperatorConfigErrors,
  isDns1123Subdomain,
  isQuantity,
  operatorConfigFromEnv,
} from '../../../src/resources/index.ts';

test('an empty environment gives the Go binary defaults without errors or warnings', () => {
  assert.deepEqual(operatorConfigFromEnv({}), {
    config: defaultOperatorConfig,
    errors: [],
    warnings: [],
  });
});

test('empty values are the same as unset', () => {
  const env = Object.fromEntries(
    [
      'JOB_TTL_SECONDS_AFTER_FINISHED',
      'POD_CPU_LIMIT',
      'MASTER_POD_CPU_LIMIT',
      'METRICS_EXPORTER_IMAGE',
      'METRICS_EXPORTER_PORT',
      'KAFKA_BOOTSTRAP_SERVERS',
      'ENABLE_AFFINITY_CR_INJECTION',
      'DEFAULT_RUNTIME_CLASS_NAME',
    ].map((name) => [name, '']),
  );
  assert.deepEqual(operatorConfigFromEnv(env), {
    config: defaultOperatorConfig,
    errors: [],
    warnings: [],
  });
});

test('the environment the Helm chart renders by default gives chartDefaultOperatorConfig', () => {
  const chartEnv = {
    POD_CPU_REQUEST: '250m',
    POD_MEM_REQUEST: '128Mi',
    POD_EPHEMERAL_REQUEST: '30M',
    POD_CPU_LIMIT: '1000m',
    POD_MEM_LIMIT: '1024Mi',
    POD_EPHEMERAL_LIMIT: '50M',
    METRICS_EXPORTER_IMAGE: 'containersol/locust_exporter:v0.5.0',
    METRICS_EXPORTER_PORT: '9646',
    METRICS_EXPORTER_IMAGE_PULL_POLICY: 'IfNotPresent',
    METRICS_EXPORTER_CPU_REQUEST: '100m',
    METRICS_EXPORTER_MEM_REQUEST: '64Mi',
    METRICS_EXPORTER_EPHEMERAL_REQUEST: '30M',
    METRICS_EXPORTER_CPU_LIMIT: '250m',
    METRICS_EXPORTER_MEM_LIMIT: '128Mi',
    METRICS_EXPORTER_EPHEMERAL_LIMIT: '50M',
    ENABLE_AFFINITY_CR_INJECTION: 'true',
    ENABLE_TAINT_TOLERATIONS_CR_INJECTION: 'true',
  };
  assert.deepEqual(operatorConfigFromEnv(chartEnv), {
    config: chartDefaultOperatorConfig,
    errors: [],
    warnings: [],
  });
});

const boolCases: { value: string; expected: boolean }[] = [
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((value) => ({ value, expected: true })),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((value) => ({ value, expected: false })),
];

for (const { value, expected } of boolCases) {
  test(`the Go boolean ${JSON.stringify(value)} reads as ${String(expected)}`, () => {
    const { config, warnings } = operatorConfigFromEnv({
      ENABLE_AFFINITY_CR_INJECTION: value,
      ENABLE_TAINT_TOLERATIONS_CR_INJECTION: value,
    });
    assert.equal(config.affinityInjection, expected);
    assert.equal(config.tolerationsInjection, expected);
    assert.deepEqual(warnings, []);
  });
}

for (const value of ['yes', 'on', 'tRUE', ' true', '2']) {
  test(`the unparseable boolean ${JSON.stringify(value)} is a warning and keeps the default`, () => {
    const { config, errors, warnings } = operatorConfigFromEnv({
      ENABLE_AFFINITY_CR_INJECTION: value,
    });
    assert.equal(config.affinityInjection, false);
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, [
      `env var ENABLE_AFFINITY_CR_INJECTION has unparseable boolean value ${JSON.stringify(value)}, using default false`,
    ]);
  });
}

const ttlCases: { value: string; expected: number | undefined }[] = [
  { value: '0', expected: 0 },
  { value: '3600', expected: 3600 },
  { value: '+15', expected: 15 },
  { value: '007', expected: 7 },
  { value: '2147483647', expected: 2147483647 },
  { value: '2147483648', expected: undefined },
  { value: '1.5', expected: undefined },
  { value: '1_000', expected: undefined },
  { value: 'ten', expected: undefined },
];

for (const { value, expected } of ttlCases) {
  test(`the TTL ${JSON.stringify(value)} reads as ${String(expected)}`, () => {
    const { config, warnings } = operatorConfigFromEnv({ JOB_TTL_SECONDS_AFTER_FINISHED: value });
    assert.equal(config.jobTtlSecondsAfterFinished, expected);
    assert.equal('jobTtlSecondsAfterFinished' in config, expected !== undefined);
    assert.deepEqual(
      warnings,
      expected === undefined
        ? [
            `env var JOB_TTL_SECONDS_AFTER_FINISHED has unparseable int32 value ${JSON.stringify(value)}, ignoring`,
          ]
        : [],
    );
  });
}

test('an unparseable exporter port keeps 9646 with a warning', () => {
  const { config, warnings } = operatorConfigFromEnv({ METRICS_EXPORTER_PORT: '96x6' });
  assert.equal(config.metricsExporter.port, 9646);
  assert.deepEqual(warnings, [
    'env var METRICS_EXPORTER_PORT has unparseable int32 value "96x6", using default 9646',
  ]);
});

test('exporter and resource variables land in their settings', () => {
  const { config, errors } = operatorConfigFromEnv({
    POD_CPU_REQUEST: '500m',
    POD_EPHEMERAL_LIMIT: '1Gi',
    MASTER_POD_MEM_LIMIT: '2Gi',
    MASTER_POD_CPU_REQUEST: '1',
    WORKER_POD_EPHEMERAL_REQUEST: '100M',
    WORKER_POD_CPU_LIMIT: '1.5',
    METRICS_EXPORTER_IMAGE: 'exporter:2',
    METRICS_EXPORTER_PORT: '9000',
    METRICS_EXPORTER_IMAGE_PULL_POLICY: 'Never',
    METRICS_EXPORTER_MEM_REQUEST: '32Mi',
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(config.podResources, {
    requests: { cpu: '500m', memory: '128Mi', 'ephemeral-storage': '30M' },
    limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '1Gi' },
  });
  assert.deepEqual(config.masterPodResources, {
    requests: { cpu: '1' },
    limits: { memory: '2Gi' },
  });
  assert.deepEqual(config.workerPodResources, {
    requests: { 'ephemeral-storage': '100M' },
    limits: { cpu: '1.5' },
  });
  assert.deepEqual(config.metricsExporter, {
    image: 'exporter:2',
    port: 9000,
    imagePullPolicy: 'Never',
    resources: {
      requests: { cpu: '250m', memory: '32Mi', 'ephemeral-storage': '30M' },
      limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '50M' },
    },
  });
});

test('every invalid quantity is reported, together and in declaration order', () => {
  const { errors } = operatorConfigFromEnv({
    METRICS_EXPORTER_EPHEMERAL_LIMIT: '50 M',
    POD_MEM_LIMIT: '1GB',
    WORKER_POD_CPU_REQUEST: 'lots',
    POD_CPU_REQUEST: 'one',
    MASTER_POD_EPHEMERAL_LIMIT: '1e',
  });
  assert.deepEqual(errors, [
    'invalid value for POD_CPU_REQUEST: "one" is not a valid Kubernetes quantity',
    'invalid value for POD_MEM_LIMIT: "1GB" is not a valid Kubernetes quantity',
    'invalid value for MASTER_POD_EPHEMERAL_LIMIT: "1e" is not a valid Kubernetes quantity',
    'invalid value for WORKER_POD_CPU_REQUEST: "lots" is not a valid Kubernetes quantity',
    'invalid value for METRICS_EXPORTER_EPHEMERAL_LIMIT: "50 M" is not a valid Kubernetes quantity',
  ]);
  assert.equal(
    describeOperatorConfigErrors(errors.slice(0, 2)),
    [
      'invalid operator configuration: resource validation failed:',
      '  - invalid value for POD_CPU_REQUEST: "one" is not a valid Kubernetes quantity',
      '  - invalid value for POD_MEM_LIMIT: "1GB" is not a valid Kubernetes quantity',
    ].join('\n'),
  );
});

test('DEFAULT_RUNTIME_CLASS_NAME is used when a DNS-1123 subdomain and an error otherwise', () => {
  assert.equal(
    operatorConfigFromEnv({ DEFAULT_RUNTIME_CLASS_NAME: 'gvisor.sandbox' }).config
      .defaultRuntimeClassName,
    'gvisor.sandbox',
  );
  assert.deepEqual(operatorConfigFromEnv({ DEFAULT_RUNTIME_CLASS_NAME: 'gVisor_Sandbox' }).errors, [
    'invalid value for DEFAULT_RUNTIME_CLASS_NAME: "gVisor_Sandbox" is not a valid DNS-1123 subdomain',
  ]);
});

test('Kafka is unconfigured until some KAFKA_* variable is set', () => {
  assert.equal('kafka' in operatorConfigFromEnv({ KAFKA_USERNAME: '' }).config, false);
  assert.deepEqual(
    operatorConfigFromEnv({ KAFKA_SECURITY_ENABLED: 'false' }).config.kafka,
    defaultKafkaSettings,
  );
});

test('a configured Kafka takes every KAFKA_* variable and defaults the rest', () => {
  const { config, warnings } = operatorConfigFromEnv({
    KAFKA_BOOTSTRAP_SERVERS: 'kafka:9093',
    KAFKA_SECURITY_ENABLED: 'T',
    KAFKA_SECURITY_PROTOCOL_CONFIG: 'SASL_SSL',
    KAFKA_USERNAME: 'user',
    KAFKA_PASSWORD: 'secret',
  });
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.kafka, {
    bootstrapServers: 'kafka:9093',
    securityEnabled: true,
    securityProtocol: 'SASL_SSL',
    saslMechanism: 'SCRAM-SHA-512',
    saslJaasConfig: '',
    username: 'user',
    password: 'secret',
  });
});

test('an unparseable KAFKA_SECURITY_ENABLED configures Kafka with security off and a warning', () => {
  const { config, warnings } = operatorConfigFromEnv({ KAFKA_SECURITY_ENABLED: 'enabled' });
  assert.equal(config.kafka?.securityEnabled, false);
  assert.deepEqual(warnings, [
    'env var KAFKA_SECURITY_ENABLED has unparseable boolean value "enabled", using default false',
  ]);
});

// Checked against k8s.io/apimachinery v0.36.3 resource.ParseQuantity, quirks included: Go
// accepts a missing number ("m", "Mi", "-", ".") as zero, except where it needs its slow path.
const quantityCases: { value: string; valid: boolean }[] = [
  ...[
    '0',
    '1',
    '250m',
    '1.5',
    '.5',
    '1.',
    '+1',
    '-1',
    '128Mi',
    '1Ki',
    '2Ei',
    '30M',
    '1k',
    '5n',
    '3u',
    '1E',
    '1e3',
    '1E-3',
    '1e+2',
    '1e400',
    'm',
    'Mi',
    '-',
    '.',
    'e5',
  ].map((value) => ({ value, valid: true })),
  ...[
    '',
    ' 1',
    '1 ',
    '1MB',
    '1ki',
    '1mi',
    '1e',
    '1e3m',
    '1.2.3',
    '1i',
    'Ei',
    'e-10',
    '0x10',
    '1_0',
    '1e99999999999999999999',
  ].map((value) => ({ value, valid: false })),
];

for (const { value, valid } of quantityCases) {
  test(`${JSON.stringify(value)} is ${valid ? '' : 'not '}a quantity`, () => {
    assert.equal(isQuantity(value), valid);
  });
}

test('DNS-1123 subdomains are lower-case labels joined by dots, at most 253 characters', () => {
  for (const value of [
    'a',
    'gvisor',
    'kata-fc',
    'a.b-c.d1',
    `${'a'.repeat(63)}.${'b'.repeat(189)}`,
  ]) {
    assert.equal(isDns1123Subdomain(value), true, value);
  }
  for (const value of ['', 'A', '-a', 'a-', 'a..b', 'a_b', '.a', 'a'.repeat(254)]) {
    assert.equal(isDns1123Subdomain(value), false, value);
  }
});
