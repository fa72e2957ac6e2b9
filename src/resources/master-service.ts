/** The master Service workers connect to (spec §2.3, with the seed's headless Service). */
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { constants, nodeName, type LocustTest } from '../api/index.ts';
import { buildObjectMeta, testName } from './metadata.ts';
import type { OperatorConfig } from './operator-config.ts';
import { isOpenTelemetryEnabled } from './otel.ts';

/**
 * The Service `<test>-master`, selecting only `performance-test-pod-name=<test>-master`, with ports
 * port5557 and port5558 and, with OpenTelemetry off, prometheus-metrics on the exporter port (web
 * UI 8089 deliberately not exposed). Unlike the Go operator's ClusterIP Service it is headless
 * (`clusterIP: None`) and publishes not-ready addresses, so `<test>-master` resolves to the master
 * pod as soon as it has an IP, without a virtual IP or kube-proxy in the path.
 */
export function buildMasterService(test: LocustTest, config: OperatorConfig): V1Service {
  const name = nodeName(testName(test), 'master');
  const ports: V1ServicePort[] = [
    { name: `port${constants.masterPort}`, protocol: 'TCP', port: constants.masterPort },
    { name: `port${constants.masterBindPort}`, protocol: 'TCP', port: constants.masterBindPort },
  ];
  if (!isOpenTelemetryEnabled(test)) {
    ports.push({ name: 'prometheus-metrics', protocol: 'TCP', port: config.metricsExporter.port });
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: buildObjectMeta(test, name),
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { [constants.labelKeys.podName]: name },
      ports,
    },
  };
}
