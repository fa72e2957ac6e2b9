import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  V1ConfigMap,
  V1Deployment,
  V1LabelSelector,
  V1Service,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { renderChart, type ManifestObject } from './chart.ts';

const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

test('metrics: the operator listens on the port, a Service exposes it, a ServiceMonitor scrapes it', () => {
  const rendered = renderChart(['metrics-servicemonitor.yaml']);
  const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator');
  const container = deployment.spec?.template.spec?.containers[0];
  assert.ok(container?.ports);
  assert.ok(container.args?.includes('--metrics-bind-address=:8383'));
  assert.ok(
    container.ports.some((p) => p.name === 'metrics' && p.containerPort === 8383),
    'a named metrics port',
  );
  const service = rendered.get<V1Service>('Service', 'locust-operator-metrics');
  assert.deepEqual(service.spec?.ports, [
    { name: 'metrics', port: 8383, targetPort: 'metrics', protocol: 'TCP' },
  ]);
  assert.deepEqual(service.spec.selector, deployment.spec?.selector.matchLabels);

  const monitor = rendered.get<ManifestObject>('ServiceMonitor', 'locust-operator');
  assert.equal(monitor.apiVersion, 'monitoring.coreos.com/v1');
  assert.equal(monitor.metadata.labels?.release, 'prometheus');
  const spec = monitor.spec as {
    selector: V1LabelSelector;
    namespaceSelector: { matchNames: string[] };
    endpoints: Record<string, unknown>[];
  };
  assert.ok(
    matches(spec.selector.matchLabels ?? {}, service.metadata?.labels ?? {}),
    'the ServiceMonitor selects the metrics Service',
  );
  assert.ok(
    !rendered
      .all('Service')
      .some(
        (other) =>
          other.metadata.name !== 'locust-operator-metrics' &&
          matches(spec.selector.matchLabels ?? {}, other.metadata.labels ?? {}),
      ),
    'and no other Service',
  );
  assert.deepEqual(spec.namespaceSelector, { matchNames: ['ops'] });
  assert.deepEqual(spec.endpoints, [
    { port: 'metrics', path: '/metrics', scheme: 'http', interval: '15s', scrapeTimeout: '10s' },
  ]);
});

test('metrics are off by default, and a ServiceMonitor needs metrics on', () => {
  const rendered = renderChart(['defaults.yaml']);
  assert.equal(rendered.has('Service', 'locust-operator-metrics'), false);
  assert.equal(rendered.has('ServiceMonitor'), false);
  const without = renderChart([], ['metrics.serviceMonitor.enabled=true']);
  assert.equal(without.has('ServiceMonitor'), false);
});

test('the OpenTelemetry collector: config, a hardened Deployment and a Service for OTLP', () => {
  const rendered = renderChart(['otel-collector.yaml']);
  const config = rendered.get<V1ConfigMap>('ConfigMap', 'locust-operator-otel-config');
  const collectorConfig = parse(config.data?.['otel-collector-config.yaml'] ?? '') as {
    service: { pipelines: { metrics: { receivers: string[] } } };
  };
  assert.deepEqual(collectorConfig.service.pipelines.metrics.receivers, ['otlp']);

  const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator-otel-collector');
  assert.equal(deployment.spec?.replicas, 2);
  const pod = deployment.spec.template;
  const container = pod.spec?.containers[0];
  assert.equal(container?.image, 'otel/opentelemetry-collector-contrib:0.145.0');
  assert.deepEqual(container.args, ['--config=/conf/otel-collector-config.yaml']);
  assert.deepEqual(
    container.ports?.map((p) => [p.name, p.containerPort]),
    [
      ['otlp-grpc', 4317],
      ['otlp-http', 4318],
      ['health', 13133],
    ],
  );
  assert.deepEqual(container.livenessProbe?.httpGet, { path: '/', port: 'health' });
  assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
  assert.equal(pod.spec?.securityContext?.runAsNonRoot, true);
  assert.match(pod.metadata?.annotations?.['checksum/config'] ?? '', /^[0-9a-f]{64}$/);

  const service = rendered.get<V1Service>('Service', 'locust-operator-otel-collector');
  assert.deepEqual(
    service.spec?.ports?.map((p) => [p.name, p.port]),
    [
      ['otlp-grpc', 4317],
      ['otlp-http', 4318],
      ['health', 13133],
    ],
  );
  assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
});

test("the operator's selector and the collector's select disjoint pods", () => {
  const rendered = renderChart(['otel-collector.yaml']);
  const operator = rendered.get<V1Deployment>('Deployment', 'locust-operator');
  const collector = rendered.get<V1Deployment>('Deployment', 'locust-operator-otel-collector');
  const labelsOf = (d: V1Deployment): Record<string, string> =>
    d.spec?.template.metadata?.labels ?? {};
  const selectorOf = (d: V1Deployment): Record<string, string> =>
    d.spec?.selector.matchLabels ?? {};
  assert.ok(matches(selectorOf(operator), labelsOf(operator)));
  assert.ok(matches(selectorOf(collector), labelsOf(collector)));
  assert.ok(!matches(selectorOf(operator), labelsOf(collector)));
  assert.ok(!matches(selectorOf(collector), labelsOf(operator)));
});

test('the operator is not reconfigured by the collector (tests opt in by endpoint)', () => {
  const env = (files: string[]): unknown =>
    renderChart(files).get<V1Deployment>('Deployment', 'locust-operator').spec?.template.spec
      ?.containers[0]?.env;
  assert.deepEqual(env(['otel-collector.yaml']), env(['defaults.yaml']));
});
