import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { test } from 'node:test';
import type {
  V1Container,
  V1Deployment,
  V1PodSpec,
  V1Secret,
  V1Service,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { buildValidatingWebhookConfiguration } from '../../../src/webhook/registration.ts';
import { releaseNamespace, renderChart, type ManifestObject, type Rendered } from './chart.ts';

const certDir = '/tmp/k8s-webhook-server/serving-certs';
const serviceDns = [
  `locust-operator-webhook.${releaseNamespace}.svc`,
  `locust-operator-webhook.${releaseNamespace}.svc.cluster.local`,
];

function operatorPod(rendered: Rendered): { spec: V1PodSpec; container: V1Container } {
  const spec = rendered.get<V1Deployment>('Deployment', 'locust-operator').spec?.template.spec;
  const container = spec?.containers[0];
  assert.ok(spec && container);
  return { spec, container };
}

function webhookConfiguration(rendered: Rendered): V1ValidatingWebhookConfiguration {
  return rendered.get<V1ValidatingWebhookConfiguration>(
    'ValidatingWebhookConfiguration',
    'locust-operator-validating',
  );
}

for (const file of ['webhook-cert-manager.yaml', 'webhook-generated-certs.yaml']) {
  test(`${file}: the operator serves the webhook on 9443 with the certificate files mounted`, () => {
    const { spec, container } = operatorPod(renderChart([file]));
    assert.ok(container.args?.includes('--enable-webhooks=true'));
    assert.ok(container.args?.includes(`--webhook-cert-path=${certDir}`));
    assert.ok(
      container.ports?.some(
        (p) => p.name === 'webhook' && p.containerPort === 9443 && p.protocol === 'TCP',
      ),
    );
    assert.deepEqual(
      container.volumeMounts?.find((m) => m.name === 'webhook-certs'),
      { name: 'webhook-certs', mountPath: certDir, readOnly: true },
    );
    assert.deepEqual(spec.volumes?.find((v) => v.name === 'webhook-certs')?.secret, {
      secretName: 'locust-operator-webhook-certs',
      optional: true,
    });
  });

  test(`${file}: the Service and the registration match the operator's own builder`, () => {
    const rendered = renderChart([file]);
    const service = rendered.get<V1Service>('Service', 'locust-operator-webhook');
    assert.deepEqual(service.spec?.ports, [
      { name: 'webhook', port: 443, targetPort: 'webhook', protocol: 'TCP' },
    ]);
    const deployment = rendered.get<V1Deployment>('Deployment', 'locust-operator');
    assert.deepEqual(service.spec.selector, deployment.spec?.selector.matchLabels);
    const [webhook] = webhookConfiguration(rendered).webhooks ?? [];
    const [expected] =
      buildValidatingWebhookConfiguration({
        endpoint: {
          service: { namespace: releaseNamespace, name: 'locust-operator-webhook', port: 443 },
        },
      }).webhooks ?? [];
    assert.ok(webhook && expected);
    // The CA differs by certificate source (generated, injected); everything else must agree.
    const actual = JSON.parse(JSON.stringify(webhook)) as { clientConfig: { caBundle?: string } };
    delete actual.clientConfig.caBundle;
    assert.deepEqual(actual, JSON.parse(JSON.stringify(expected)));
  });
}

test('with cert-manager: an Issuer, a Certificate for the Service, and CA injection', () => {
  const rendered = renderChart(['webhook-cert-manager.yaml']);
  const certificate = rendered.get<ManifestObject>('Certificate', 'locust-operator-serving-cert');
  assert.deepEqual(certificate.spec, {
    dnsNames: serviceDns,
    issuerRef: { kind: 'Issuer', name: 'locust-operator-selfsigned-issuer' },
    secretName: 'locust-operator-webhook-certs',
  });
  assert.deepEqual(
    rendered.get<ManifestObject>('Issuer', 'locust-operator-selfsigned-issuer').spec,
    { selfSigned: {} },
  );
  const configuration = webhookConfiguration(rendered);
  assert.equal(
    configuration.metadata?.annotations?.['cert-manager.io/inject-ca-from'],
    `${releaseNamespace}/locust-operator-serving-cert`,
  );
  assert.equal(configuration.webhooks?.[0]?.clientConfig.caBundle, undefined);
  assert.equal(rendered.has('Secret'), false, 'cert-manager writes the Secret');
});

test('with generated certificates: a CA-signed serving certificate for the Service', () => {
  const rendered = renderChart(['webhook-generated-certs.yaml']);
  assert.equal(rendered.has('Certificate'), false);
  assert.equal(rendered.has('Issuer'), false);
  const secret = rendered.get<V1Secret>('Secret', 'locust-operator-webhook-certs');
  assert.equal(secret.type, 'kubernetes.io/tls');
  const decode = (key: string): string =>
    Buffer.from(secret.data?.[key] ?? '', 'base64').toString();
  const ca = new X509Certificate(decode('ca.crt'));
  const serving = new X509Certificate(decode('tls.crt'));
  assert.ok(ca.ca, 'ca.crt is a CA');
  assert.ok(serving.verify(ca.publicKey), 'tls.crt is signed by ca.crt');
  assert.ok(serving.checkPrivateKey(createPrivateKey(decode('tls.key'))));
  for (const name of serviceDns) assert.ok(serving.checkHost(name), name);
  const days = (Date.parse(serving.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 28 && days <= 30, `valid for ${String(days)} days`);
  const configuration = webhookConfiguration(rendered);
  assert.equal(configuration.webhooks?.[0]?.clientConfig.caBundle, secret.data?.['ca.crt']);
  assert.equal(configuration.metadata?.annotations, undefined);
});

test('a namespaced operator validates only the tests of its namespace', () => {
  const [webhook] =
    webhookConfiguration(renderChart(['namespaced-other-namespace.yaml'])).webhooks ?? [];
  assert.deepEqual(webhook?.namespaceSelector, {
    matchLabels: { 'kubernetes.io/metadata.name': 'load-tests' },
  });
});

test('without the webhook nothing of it is rendered', () => {
  const rendered = renderChart(['defaults.yaml']);
  for (const kind of ['ValidatingWebhookConfiguration', 'Certificate', 'Issuer', 'Secret'])
    assert.equal(rendered.has(kind), false, kind);
  assert.equal(rendered.has('Service', 'locust-operator-webhook'), false);
  const { container } = operatorPod(rendered);
  assert.ok(!container.args?.some((a) => a.startsWith('--enable-webhooks')));
});
