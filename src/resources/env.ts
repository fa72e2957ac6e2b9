/** The Locust container's env and envFrom (spec §2.6.2, §2.6.3); master and worker get the same. */
import type { V1EnvFromSource, V1EnvVar } from '@kubernetes/client-node';
import type { LocustTest } from '../api/index.ts';
import type { KafkaSettings, OperatorConfig } from './operator-config.ts';
import { nonEmptyString, present, verbatim } from './object.ts';
import { buildOpenTelemetryEnv } from './otel.ts';

/**
 * The seven KAFKA_* variables, as plain values, in the Go operator's order. Only called when the
 * operator has Kafka configured (see OperatorConfig.kafka).
 */
export function buildKafkaEnv(kafka: KafkaSettings): V1EnvVar[] {
  return [
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: kafka.bootstrapServers },
    { name: 'KAFKA_SECURITY_ENABLED', value: String(kafka.securityEnabled) },
    { name: 'KAFKA_SECURITY_PROTOCOL_CONFIG', value: kafka.securityProtocol },
    { name: 'KAFKA_SASL_MECHANISM', value: kafka.saslMechanism },
    { name: 'KAFKA_SASL_JAAS_CONFIG', value: kafka.saslJaasConfig },
    { name: 'KAFKA_USERNAME', value: kafka.username },
    { name: 'KAFKA_PASSWORD', value: kafka.password },
  ];
}

/**
 * The container env, in an order that matters (the kubelet lets a later duplicate win): the
 * KAFKA_* variables if Kafka is configured, the OTEL_* variables if OpenTelemetry is on, then
 * `spec.env.variables` verbatim, so a user can override either. Undefined when empty.
 */
export function buildEnv(test: LocustTest, config: OperatorConfig): V1EnvVar[] | undefined {
  const env = [
    ...(config.kafka === undefined ? [] : buildKafkaEnv(config.kafka)),
    ...buildOpenTelemetryEnv(test),
    ...verbatim(test.spec.env?.variables ?? []),
  ];
  return env.length === 0 ? undefined : env;
}

/**
 * The container envFrom: each `env.configMapRefs` entry as a configMapRef, then each
 * `env.secretRefs` entry as a secretRef, with its prefix when non-empty. Undefined when empty.
 */
export function buildEnvFrom(test: LocustTest): V1EnvFromSource[] | undefined {
  const prefix = (value: string | undefined) => present('prefix', nonEmptyString(value));
  const sources: V1EnvFromSource[] = [
    ...(test.spec.env?.configMapRefs ?? []).map((ref) => ({
      ...prefix(ref.prefix),
      configMapRef: { name: ref.name },
    })),
    ...(test.spec.env?.secretRefs ?? []).map((ref) => ({
      ...prefix(ref.prefix),
      secretRef: { name: ref.name },
    })),
  ];
  return sources.length === 0 ? undefined : sources;
}
