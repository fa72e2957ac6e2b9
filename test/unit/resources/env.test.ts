import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1EnvVar } from '@kubernetes/client-node';
import type { LocustTestSpec } from '../../../src/api/index.ts';
import { defaultKafkaSettings, type OperatorConfig } from '../../../src/resources/index.ts';
import { configWith, demoTest, locustContainerOf, renderJobs } from './fixtures.ts';

type OpenTelemetry = NonNullable<NonNullable<LocustTestSpec['observability']>['openTelemetry']>;

function envOf(
  overrides: Partial<LocustTestSpec>,
  config?: OperatorConfig,
): V1EnvVar[] | undefined {
  return locustContainerOf(renderJobs(demoTest(overrides), config).master).env;
}

function otelEnv(openTelemetry: OpenTelemetry): V1EnvVar[] | undefined {
  return envOf({ observability: { openTelemetry } });
}

const kafka = {
  ...defaultKafkaSettings,
  bootstrapServers: 'kafka:9093',
  securityEnabled: true,
  username: 'u',
  password: 'p',
};

test('without Kafka, OpenTelemetry or variables the container has no env', () => {
  assert.equal(envOf({}), undefined);
});

test('the env is Kafka, then OpenTelemetry, then the user variables, in that order', () => {
  const env = envOf(
    {
      observability: { openTelemetry: { enabled: true, endpoint: 'e:4317' } },
      env: {
        variables: [
          { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'override:9092' },
          { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      },
    },
    configWith({ kafka }),
  );
  assert.deepEqual(env, [
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'kafka:9093' },
    { name: 'KAFKA_SECURITY_ENABLED', value: 'true' },
    { name: 'KAFKA_SECURITY_PROTOCOL_CONFIG', value: 'SASL_PLAINTEXT' },
    { name: 'KAFKA_SASL_MECHANISM', value: 'SCRAM-SHA-512' },
    { name: 'KAFKA_SASL_JAAS_CONFIG', value: '' },
    { name: 'KAFKA_USERNAME', value: 'u' },
    { name: 'KAFKA_PASSWORD', value: 'p' },
    { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
    { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'e:4317' },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'override:9092' },
    { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ]);
});

test('master and worker get the same env', () => {
  const { master, worker } = renderJobs(
    demoTest({ env: { variables: [{ name: 'A', value: '1' }] } }),
    configWith({ kafka }),
  );
  assert.deepEqual(locustContainerOf(master).env, locustContainerOf(worker).env);
});

const otelCases: { name: string; openTelemetry: OpenTelemetry; env: V1EnvVar[] | undefined }[] = [
  {
    name: 'disabled OpenTelemetry adds nothing',
    openTelemetry: { enabled: false, endpoint: 'e:4317', extraEnvVars: { A: '1' } },
    env: undefined,
  },
  {
    name: 'an empty endpoint is left out and the protocol defaults to grpc',
    openTelemetry: { enabled: true, endpoint: '' },
    env: [
      { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
      { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
    ],
  },
  {
    name: 'protocol, insecure and extraEnvVars sorted by name follow the endpoint',
    openTelemetry: {
      enabled: true,
      endpoint: 'https://c:4318',
      protocol: 'http/protobuf',
      insecure: true,
      extraEnvVars: { OTEL_Z: 'z', OTEL_A: 'a', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' },
    },
    env: [
      { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
      { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'https://c:4318' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
      { name: 'OTEL_EXPORTER_OTLP_INSECURE', value: 'true' },
      { name: 'OTEL_A', value: 'a' },
      { name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'service.name=x' },
      { name: 'OTEL_Z', value: 'z' },
    ],
  },
  {
    name: 'insecure false adds no INSECURE variable',
    openTelemetry: { enabled: true, endpoint: 'e', insecure: false },
    env: [
      { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
      { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'e' },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
    ],
  },
];

for (const { name, openTelemetry, env } of otelCases) {
  test(`OpenTelemetry env: ${name}`, () => {
    assert.deepEqual(otelEnv(openTelemetry), env);
  });
}

test('envFrom lists ConfigMaps then Secrets, each with its prefix when one is given', () => {
  const { master, worker } = renderJobs(
    demoTest({
      env: {
        secretRefs: [{ name: 's1' }, { name: 's2', prefix: 'S_' }],
        configMapRefs: [
          { name: 'c1', prefix: 'APP_' },
          { name: 'c2', prefix: '' },
        ],
      },
    }),
  );
  const expected = [
    { prefix: 'APP_', configMapRef: { name: 'c1' } },
    { configMapRef: { name: 'c2' } },
    { secretRef: { name: 's1' } },
    { prefix: 'S_', secretRef: { name: 's2' } },
  ];
  assert.deepEqual(locustContainerOf(master).envFrom, expected);
  assert.deepEqual(locustContainerOf(worker).envFrom, expected);
});

test('envFrom is omitted when there are no references', () => {
  const container = locustContainerOf(
    renderJobs(demoTest({ env: { configMapRefs: [], secretRefs: [] } })).master,
  );
  assert.equal('envFrom' in container, false);
  assert.equal('env' in container, false);
});
