import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type {
  V1Container,
  V1Deployment,
  V1PodDisruptionBudget,
  V1PodSpec,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';
import { chartDefaultOperatorConfig, operatorConfigFromEnv } from '../../../src/resources/index.ts';
import { chartDir, literalEnv, releaseNamespace, renderChart, type Rendered } from './chart.ts';

function operatorPod(rendered: Rendered): { spec: V1PodSpec; container: V1Container } {
  const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator');
  const spec = deployment.spec?.template.spec;
  const container = spec?.containers.find((c) => c.name === 'locust-operator');
  assert.ok(spec && container, 'the Deployment has a locust-operator container');
  return { spec, container };
}

test('by default two replicas run with leader election, probes on :8081 and no metrics listener', () => {
  const rendered = renderChart(['defaults.yaml']);
  const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator');
  assert.equal(deployment.metadata?.namespace, releaseNamespace);
  assert.equal(deployment.spec?.replicas, 2);
  const { spec, container } = operatorPod(rendered);
  assert.deepEqual(container.args, [
    '--health-probe-bind-address=:8081',
    '--leader-elect=true',
    '--metrics-bind-address=0',
    '--log-level=info',
    '--max-concurrent-reconciles=10',
    '--pod-health-grace-period=2m',
    '--shutdown-timeout=7s',
  ]);
  assert.equal(container.image, 'locust-operator:0.1.0');
  assert.equal(container.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(container.ports, [{ name: 'health', containerPort: 8081, protocol: 'TCP' }]);
  assert.deepEqual(container.resources, {
    limits: { cpu: '500m', memory: '256Mi' },
    requests: { cpu: '10m', memory: '64Mi' },
  });
  assert.equal(spec.serviceAccountName, 'locust-operator');
  assert.equal(spec.terminationGracePeriodSeconds, 10);
});

test('the shutdown deadline leaves time to release the Lease before the kubelet kills the pod', () => {
  const { spec, container } = operatorPod(renderChart(['defaults.yaml']));
  const flag = container.args?.find((a) => a.startsWith('--shutdown-timeout='));
  const seconds = Number(/=(\d+)s$/.exec(flag ?? '')?.[1]);
  assert.ok(seconds < (spec.terminationGracePeriodSeconds ?? 30), `${String(seconds)}s`);
});

test('the leader-election namespace comes from the pod namespace (POD_NAMESPACE)', () => {
  const { container } = operatorPod(renderChart(['defaults.yaml']));
  assert.deepEqual(
    container.env?.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath,
    'metadata.namespace',
  );
});

test("the default environment is what the operator reads as the Go chart's defaults", () => {
  const { container } = operatorPod(renderChart(['defaults.yaml']));
  const env = literalEnv(container.env);
  assert.equal(env.JOB_TTL_SECONDS_AFTER_FINISHED, undefined, 'no TTL unless asked for');
  assert.ok(!Object.keys(env).some((name) => name.startsWith('KAFKA_')), 'no Kafka variables');
  assert.deepEqual(operatorConfigFromEnv(env), {
    config: chartDefaultOperatorConfig,
    errors: [],
    warnings: [],
  });
});

test('a TTL of 0 reaches the operator as 0 (weak spot 19)', () => {
  const { container } = operatorPod(renderChart(['ttl-zero.yaml']));
  const env = literalEnv(container.env);
  assert.equal(env.JOB_TTL_SECONDS_AFTER_FINISHED, '0');
  assert.equal(operatorConfigFromEnv(env).config.jobTtlSecondsAfterFinished, 0);
  const fromSet = literalEnv(
    operatorPod(renderChart([], ['locustPods.ttlSecondsAfterFinished=0'])).container.env,
  );
  assert.equal(fromSet.JOB_TTL_SECONDS_AFTER_FINISHED, '0');
});

test('large TTLs are rendered as integers, not in float notation', () => {
  const { container } = operatorPod(
    renderChart([], ['locustPods.ttlSecondsAfterFinished=86400000']),
  );
  assert.equal(literalEnv(container.env).JOB_TTL_SECONDS_AFTER_FINISHED, '86400000');
});

test('role-specific resources, runtime class, Kafka and placement reach the operator', () => {
  const rendered = renderChart(['pods-and-placement.yaml']);
  const { spec, container } = operatorPod(rendered);
  const env = literalEnv(container.env);
  const { config, errors, warnings } = operatorConfigFromEnv({
    ...env,
    // Resolved by the kubelet from the Secret; any value shows the variables are wired.
    KAFKA_USERNAME: 'user',
    KAFKA_PASSWORD: 'secret',
  });
  assert.deepEqual([errors, warnings], [[], []]);
  assert.deepEqual(config.masterPodResources, {
    requests: {},
    limits: { cpu: '2000m', memory: '2Gi' },
  });
  assert.deepEqual(config.workerPodResources, { requests: { cpu: '500m' }, limits: {} });
  assert.equal(config.defaultRuntimeClassName, 'gvisor');
  assert.equal(config.jobTtlSecondsAfterFinished, 600);
  assert.equal(config.affinityInjection, false);
  assert.equal(config.tolerationsInjection, true);
  assert.equal(config.kafka?.bootstrapServers, 'kafka:9092');
  assert.equal(config.kafka.securityEnabled, true);
  for (const [name, key] of [
    ['KAFKA_USERNAME', 'username'],
    ['KAFKA_PASSWORD', 'password'],
  ] as const) {
    assert.deepEqual(container.env?.find((e) => e.name === name)?.valueFrom, {
      secretKeyRef: { name: 'kafka-user', key },
    });
  }
  assert.equal(env.NODE_OPTIONS, '--max-old-space-size=200', 'extraEnv is appended');
  assert.equal(container.args?.at(-1), '--max-concurrent-reconciles=20', 'extraArgs come last');
  assert.ok(container.args.includes('--pod-health-grace-period=5m'));
  assert.equal(container.image, 'registry.example.com/locust-operator:0.1.0-rc1');
  assert.deepEqual(spec.imagePullSecrets, [{ name: 'registry-credentials' }]);
  assert.deepEqual(spec.nodeSelector, { 'workload-type': 'operators' });
  assert.deepEqual(spec.tolerations, [
    { key: 'dedicated', operator: 'Equal', value: 'operators', effect: 'NoSchedule' },
  ]);
  assert.deepEqual(
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
  );
  assert.equal(spec.priorityClassName, 'system-cluster-critical');
});

test('the operator runs as non-root on a read-only root filesystem with /tmp as scratch space', () => {
  const { spec, container } = operatorPod(renderChart(['defaults.yaml']));
  assert.deepEqual(spec.securityContext, {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  });
  assert.deepEqual(container.securityContext, {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
  });
  assert.deepEqual(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
  assert.deepEqual(spec.volumes, [{ name: 'tmp', emptyDir: {} }]);
});

test('liveness is /healthz and readiness /readyz, both on the health port', () => {
  const { container } = operatorPod(renderChart(['defaults.yaml']));
  assert.deepEqual(container.livenessProbe, {
    httpGet: { path: '/healthz', port: 'health' },
    initialDelaySeconds: 5,
    periodSeconds: 10,
  });
  assert.deepEqual(container.readinessProbe, {
    httpGet: { path: '/readyz', port: 'health' },
    initialDelaySeconds: 5,
    periodSeconds: 10,
  });
});

test('the PodDisruptionBudget covers exactly the operator pods', () => {
  const rendered = renderChart(['defaults.yaml']);
  const pdb = rendered.get<V1PodDisruptionBudget>('PodDisruptionBudget', 'locust-operator');
  const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator');
  assert.equal(pdb.spec?.maxUnavailable, 1);
  assert.deepEqual(pdb.spec.selector, deployment.spec?.selector);
  assert.equal(
    renderChart([], ['podDisruptionBudget.enabled=false']).has('PodDisruptionBudget'),
    false,
  );
});

test('every object carries the common labels', () => {
  for (const file of ['defaults.yaml', 'webhook-cert-manager.yaml', 'otel-collector.yaml']) {
    for (const object of renderChart([file]).objects) {
      assert.deepEqual(
        {
          chart: object.metadata.labels?.['helm.sh/chart'],
          name: object.metadata.labels?.['app.kubernetes.io/name'],
          instance: object.metadata.labels?.['app.kubernetes.io/instance'],
          version: object.metadata.labels?.['app.kubernetes.io/version'],
          managedBy: object.metadata.labels?.['app.kubernetes.io/managed-by'],
        },
        {
          chart: 'locust-operator-0.1.0',
          name: 'locust-operator',
          instance: 'rel',
          version: '0.1.0',
          managedBy: 'Helm',
        },
        `${object.kind}/${object.metadata.name}`,
      );
    }
  }
});

test("the chart's appVersion is the operator's package version", () => {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { appVersion: string };
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  assert.equal(chart.appVersion, pkg.version);
});
