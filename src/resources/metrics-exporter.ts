/** The Prometheus metrics-exporter native sidecar of the master pod (spec §2.7). */
import type { V1Container } from '@kubernetes/client-node';
import { constants } from '../api/index.ts';
import type { OperatorConfig } from './operator-config.ts';
import { present } from './object.ts';
import { resourcesFromSettings } from './resources.ts';

/**
 * The `locust-metrics-exporter` init container with `restartPolicy: Always` (a native sidecar,
 * Kubernetes ≥ 1.29, so it stops when Locust exits and the Job can complete). It scrapes the
 * master's web UI on localhost:8089 and serves on the configured port. Image, pull policy, port
 * and resources come only from the operator config; it gets a locked-down security context and
 * no volume mounts.
 */
export function buildMetricsExporterSidecar(config: OperatorConfig): V1Container {
  const exporter = config.metricsExporter;
  return {
    name: constants.metricsExporterContainerName,
    image: exporter.image,
    imagePullPolicy: exporter.imagePullPolicy,
    restartPolicy: 'Always',
    ports: [{ containerPort: exporter.port }],
    env: [
      { name: 'LOCUST_EXPORTER_URI', value: `http://localhost:${constants.webUiPort}` },
      { name: 'LOCUST_EXPORTER_WEB_LISTEN_ADDRESS', value: `:${exporter.port}` },
    ],
    ...present('resources', resourcesFromSettings(exporter.resources)),
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    },
  };
}
