import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartDefaultOperatorConfig,
  defaultOperatorConfig,
  render,
} from '../../../src/resources/index.ts';
import { configWith, demoTest, otelOn, podSpecOf } from './fixtures.ts';

const customExporter = configWith({
  metricsExporter: {
    image: 'registry.local/exporter:1',
    port: 9999,
    imagePullPolicy: 'Never',
    resources: { requests: { cpu: '5m' }, limits: {} },
  },
});

test('with OpenTelemetry off the master pod runs the exporter as a native sidecar', () => {
  const { masterJob, workerJob } = render(demoTest(), defaultOperatorConfig);
  assert.deepEqual(podSpecOf(masterJob).initContainers, [
    {
      name: 'locust-metrics-exporter',
      image: 'containersol/locust_exporter:v0.5.0',
      imagePullPolicy: 'Always',
      restartPolicy: 'Always',
      ports: [{ containerPort: 9646 }],
      env: [
        { name: 'LOCUST_EXPORTER_URI', value: 'http://localhost:8089' },
        { name: 'LOCUST_EXPORTER_WEB_LISTEN_ADDRESS', value: ':9646' },
      ],
      resources: {
        requests: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '30M' },
        limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '50M' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
      },
    },
  ]);
  assert.equal(podSpecOf(workerJob).initContainers, undefined);
});

test('the exporter takes image, port, pull policy and resources from the operator config only', () => {
  const test = demoTest({
    master: { command: 'x', resources: { limits: { cpu: '9' } } },
    security: { containerSecurityContext: { runAsUser: 1 } },
  });
  const { masterJob, masterService } = render(test, customExporter);
  const exporter = podSpecOf(masterJob).initContainers?.[0];
  assert.equal(exporter?.image, 'registry.local/exporter:1');
  assert.equal(exporter.imagePullPolicy, 'Never');
  assert.deepEqual(exporter.ports, [{ containerPort: 9999 }]);
  assert.deepEqual(exporter.env?.[1], {
    name: 'LOCUST_EXPORTER_WEB_LISTEN_ADDRESS',
    value: ':9999',
  });
  assert.deepEqual(exporter.resources, { requests: { cpu: '5m' } });
  assert.equal(exporter.securityContext?.runAsUser, undefined);
  assert.equal(masterJob.spec?.template.metadata?.annotations?.['prometheus.io/port'], '9999');
  assert.deepEqual(masterService.spec?.ports?.[2], {
    name: 'prometheus-metrics',
    protocol: 'TCP',
    port: 9999,
  });
});

test('with OpenTelemetry on there is no sidecar, no prometheus annotation and no metrics port', () => {
  const { masterService, masterJob } = render(demoTest(otelOn), chartDefaultOperatorConfig);
  assert.equal(podSpecOf(masterJob).initContainers, undefined);
  assert.equal(podSpecOf(masterJob).containers.length, 1);
  assert.equal(masterJob.spec?.template.metadata?.annotations, undefined);
  assert.deepEqual(
    masterService.spec?.ports?.map((port) => port.name),
    ['port5557', 'port5558'],
  );
});

test('a user annotation on OpenTelemetry pods is kept on its own', () => {
  const test = demoTest({
    ...otelOn,
    master: { command: 'x', annotations: { team: 'a' } },
  });
  const { masterJob } = render(test, defaultOperatorConfig);
  assert.deepEqual(masterJob.spec?.template.metadata?.annotations, { team: 'a' });
});

test('OpenTelemetry settings that are present but disabled keep the exporter', () => {
  const test = demoTest({ observability: { openTelemetry: { enabled: false, endpoint: 'e' } } });
  const { masterJob } = render(test, defaultOperatorConfig);
  assert.equal(podSpecOf(masterJob).initContainers?.length, 1);
});
