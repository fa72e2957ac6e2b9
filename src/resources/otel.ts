/** Locust's native OpenTelemetry export (spec §2.6.2, §2.7): the switch and the OTEL_* variables. */
import type { V1EnvVar } from '@kubernetes/client-node';
import type { LocustTest } from '../api/index.ts';
import { nonEmptyString } from './object.ts';

/** True when `spec.observability.openTelemetry.enabled` is true; absent means off. */
export function isOpenTelemetryEnabled(test: LocustTest): boolean {
  return test.spec.observability?.openTelemetry?.enabled === true;
}

/**
 * The OTEL_* variables when OpenTelemetry is on, else an empty list: traces and metrics
 * exporters `otlp`, the endpoint (only if non-empty), the protocol (`grpc` if unset), `INSECURE`
 * only when true, then every `extraEnvVars` entry sorted by name (stable across renders).
 */
export function buildOpenTelemetryEnv(test: LocustTest): V1EnvVar[] {
  const otel = test.spec.observability?.openTelemetry;
  if (otel?.enabled !== true) return [];
  const env: V1EnvVar[] = [
    { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
    { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
  ];
  const endpoint = nonEmptyString(otel.endpoint);
  if (endpoint !== undefined) env.push({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: endpoint });
  // Widened: an undefaulted manifest may carry an empty protocol, which the enum type hides.
  const protocol: string | undefined = otel.protocol;
  env.push({ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: nonEmptyString(protocol) ?? 'grpc' });
  if (otel.insecure === true) env.push({ name: 'OTEL_EXPORTER_OTLP_INSECURE', value: 'true' });
  const extra = otel.extraEnvVars ?? {};
  // Go sorts with sort.Strings (byte order); the default sort matches it for ASCII names.
  for (const name of Object.keys(extra).sort()) {
    env.push({ name, value: extra[name] ?? '' });
  }
  return env;
}
