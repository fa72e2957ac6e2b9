/** The pod template shared by the master and worker Jobs (spec §2.5). */
import type { V1PodSecurityContext, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { LocustTest, Role } from '../api/index.ts';
import { buildPodAnnotations, buildPodLabels } from './labels.ts';
import { buildLocustContainer } from './locust-container.ts';
import { buildMetricsExporterSidecar } from './metrics-exporter.ts';
import { nonEmpty, present, verbatim } from './object.ts';
import type { OperatorConfig } from './operator-config.ts';
import { isOpenTelemetryEnabled } from './otel.ts';
import { buildScheduling } from './scheduling.ts';
import { buildVolumes } from './volumes.ts';

/**
 * The pod security context: `security.podSecurityContext` verbatim when set (it replaces the
 * default completely, even when empty), else `seccompProfile: RuntimeDefault`.
 */
export function buildPodSecurityContext(test: LocustTest): V1PodSecurityContext {
  const own = test.spec.security?.podSecurityContext;
  return own === undefined ? { seccompProfile: { type: 'RuntimeDefault' } } : verbatim(own);
}

/**
 * The pod template of a role: labels and annotations (§2.2); `restartPolicy: Never`; the pod
 * security context; image pull secrets as given; scheduling fields; on the master with
 * OpenTelemetry off, the metrics-exporter sidecar as the only init container; exactly one Locust
 * container; and the role's volumes. Empty lists and maps are omitted.
 */
export function buildPodTemplate(
  test: LocustTest,
  role: Role,
  config: OperatorConfig,
): V1PodTemplateSpec {
  const withExporter = role === 'master' && !isOpenTelemetryEnabled(test);
  return {
    metadata: {
      labels: buildPodLabels(test, role),
      ...present('annotations', buildPodAnnotations(test, role, config)),
    },
    spec: {
      restartPolicy: 'Never',
      securityContext: buildPodSecurityContext(test),
      ...present('imagePullSecrets', verbatim(nonEmpty(test.spec.imagePullSecrets))),
      ...buildScheduling(test, config),
      ...present(
        'initContainers',
        withExporter ? [buildMetricsExporterSidecar(config)] : undefined,
      ),
      containers: [buildLocustContainer(test, role, config)],
      ...present('volumes', nonEmpty(buildVolumes(test, role))),
    },
  };
}
