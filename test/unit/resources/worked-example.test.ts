/**
 * Spec §2.11, the worked example with the Helm chart's defaults, asserted object by object. Two
 * deliberate differences from the Go operator show here: the Service is headless, and no KAFKA_*
 * variables are injected because the chart's defaults leave Kafka unconfigured.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartDefaultOperatorConfig,
  defaultKafkaSettings,
  render,
} from '../../../src/resources/index.ts';
import { configWith, demoTest, demoUid } from './fixtures.ts';

const ownerReferences = [
  {
    apiVersion: 'locust.io/v2',
    kind: 'LocustTest',
    name: 'demo',
    uid: demoUid,
    controller: true,
    blockOwnerDeletion: true,
  },
];
const podSecurityContext = { seccompProfile: { type: 'RuntimeDefault' } };
const locustResources = {
  requests: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '30M' },
  limits: { cpu: '1000m', memory: '1024Mi', 'ephemeral-storage': '50M' },
};
const labels = (role: string) => ({
  app: 'demo',
  'performance-test-pod-name': `demo-${role}`,
  'managed-by': 'locust-k8s-operator',
  'performance-test-name': 'demo',
});
const volume = (role: string) => ({ name: `demo-${role}`, configMap: { name: 'demo-scripts' } });
const mount = (role: string) => ({ name: `demo-${role}`, mountPath: '/lotest/src' });

test('the worked example renders a headless master Service', () => {
  const { masterService } = render(demoTest(), chartDefaultOperatorConfig);
  assert.deepEqual(masterService, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'demo-master', namespace: 'load', ownerReferences },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { 'performance-test-pod-name': 'demo-master' },
      ports: [
        { name: 'port5557', protocol: 'TCP', port: 5557 },
        { name: 'port5558', protocol: 'TCP', port: 5558 },
        { name: 'prometheus-metrics', protocol: 'TCP', port: 9646 },
      ],
    },
  });
});

test('the worked example renders the master Job with the exporter sidecar', () => {
  const { masterJob } = render(demoTest(), chartDefaultOperatorConfig);
  assert.deepEqual(masterJob, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'demo-master', namespace: 'load', labels: labels('master'), ownerReferences },
    spec: {
      parallelism: 1,
      backoffLimit: 0,
      template: {
        metadata: {
          labels: labels('master'),
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/path': '/metrics',
            'prometheus.io/port': '9646',
          },
        },
        spec: {
          restartPolicy: 'Never',
          securityContext: podSecurityContext,
          initContainers: [
            {
              name: 'locust-metrics-exporter',
              image: 'containersol/locust_exporter:v0.5.0',
              imagePullPolicy: 'IfNotPresent',
              restartPolicy: 'Always',
              ports: [{ containerPort: 9646 }],
              env: [
                { name: 'LOCUST_EXPORTER_URI', value: 'http://localhost:8089' },
                { name: 'LOCUST_EXPORTER_WEB_LISTEN_ADDRESS', value: ':9646' },
              ],
              resources: {
                requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '30M' },
                limits: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '50M' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
            },
          ],
          containers: [
            {
              name: 'demo-master',
              image: 'locustio/locust:2.43.3',
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--locustfile',
                '/lotest/src/locustfile.py',
                '--host',
                'https://t',
                '--master',
                '--master-port=5557',
                '--expect-workers=2',
                '--autostart',
                '--autoquit',
                '60',
                '--enable-rebalancing',
                '--only-summary',
              ],
              ports: [{ containerPort: 5557 }, { containerPort: 5558 }, { containerPort: 8089 }],
              resources: locustResources,
              volumeMounts: [mount('master')],
            },
          ],
          volumes: [volume('master')],
        },
      },
    },
  });
});

test('the worked example renders the worker Job without annotations or init containers', () => {
  const { workerJob } = render(demoTest(), chartDefaultOperatorConfig);
  assert.deepEqual(workerJob, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'demo-worker', namespace: 'load', labels: labels('worker'), ownerReferences },
    spec: {
      parallelism: 2,
      backoffLimit: 0,
      template: {
        metadata: { labels: labels('worker') },
        spec: {
          restartPolicy: 'Never',
          securityContext: podSecurityContext,
          containers: [
            {
              name: 'demo-worker',
              image: 'locustio/locust:2.43.3',
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--locustfile',
                '/lotest/src/locustfile.py',
                '--worker',
                '--master-port=5557',
                '--master-host=demo-master',
              ],
              ports: [{ containerPort: 8080 }],
              resources: locustResources,
              volumeMounts: [mount('worker')],
            },
          ],
          volumes: [volume('worker')],
        },
      },
    },
  });
});

test('with Kafka configured the worked example carries the seven KAFKA_* variables in both pods', () => {
  const config = configWith({ ...chartDefaultOperatorConfig, kafka: defaultKafkaSettings });
  const { masterJob, workerJob } = render(demoTest(), config);
  const expected = [
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'localhost:9092' },
    { name: 'KAFKA_SECURITY_ENABLED', value: 'false' },
    { name: 'KAFKA_SECURITY_PROTOCOL_CONFIG', value: 'SASL_PLAINTEXT' },
    { name: 'KAFKA_SASL_MECHANISM', value: 'SCRAM-SHA-512' },
    { name: 'KAFKA_SASL_JAAS_CONFIG', value: '' },
    { name: 'KAFKA_USERNAME', value: '' },
    { name: 'KAFKA_PASSWORD', value: '' },
  ];
  assert.deepEqual(masterJob.spec?.template.spec?.containers[0]?.env, expected);
  assert.deepEqual(workerJob.spec?.template.spec?.containers[0]?.env, expected);
});
