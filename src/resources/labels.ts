/** Pod-template labels and annotations of the master and worker pods (spec §2.2). */
import { constants, nodeName, type LocustTest, type Role } from '../api/index.ts';
import { isOpenTelemetryEnabled } from './otel.ts';
import type { OperatorConfig } from './operator-config.ts';
import { testName } from './metadata.ts';

const { labelKeys } = constants;

// Read by Prometheus' kubernetes_sd pod discovery to scrape the exporter sidecar.
const prometheusAnnotations = {
  scrape: 'prometheus.io/scrape',
  path: 'prometheus.io/path',
  port: 'prometheus.io/port',
} as const;

/**
 * Keys users cannot override through spec.master.labels / spec.worker.labels. Beyond the Go
 * operator's two, `performance-test-name` is protected too: pod health selects pods by it, so a
 * user value could hide the test's pods or adopt foreign ones (upstream weak spot 10).
 */
export const protectedPodLabelKeys: ReadonlySet<string> = new Set([
  ...constants.protectedLabelKeys,
  labelKeys.testName,
]);

/**
 * The pod-template labels for a role, also set on the Job's own metadata: `app`,
 * `performance-test-pod-name`, `managed-by`, `performance-test-name`, then the role's user labels
 * merged over them except the protected keys (silently skipped).
 */
export function buildPodLabels(test: LocustTest, role: Role): Record<string, string> {
  const name = testName(test);
  const labels = new Map<string, string>([
    [labelKeys.app, name],
    [labelKeys.podName, nodeName(name, role)],
    [labelKeys.managedBy, constants.managedByValue],
    [labelKeys.testName, name],
  ]);
  const userLabels = role === 'master' ? test.spec.master.labels : test.spec.worker.labels;
  for (const [key, value] of Object.entries(userLabels ?? {})) {
    if (!protectedPodLabelKeys.has(key)) labels.set(key, value);
  }
  return Object.fromEntries(labels);
}

/**
 * The pod-template annotations for a role: on the master with OpenTelemetry off, the prometheus
 * scrape/path/port annotations for the metrics exporter; then the role's user annotations merged
 * over them (user values win). Undefined when there are none.
 */
export function buildPodAnnotations(
  test: LocustTest,
  role: Role,
  config: OperatorConfig,
): Record<string, string> | undefined {
  const annotations = new Map<string, string>();
  if (role === 'master' && !isOpenTelemetryEnabled(test)) {
    annotations.set(prometheusAnnotations.scrape, 'true');
    annotations.set(prometheusAnnotations.path, '/metrics');
    annotations.set(prometheusAnnotations.port, String(config.metricsExporter.port));
  }
  const userAnnotations =
    role === 'master' ? test.spec.master.annotations : test.spec.worker.annotations;
  for (const [key, value] of Object.entries(userAnnotations ?? {})) annotations.set(key, value);
  return annotations.size === 0 ? undefined : Object.fromEntries(annotations);
}
