/** The ValidatingWebhookConfiguration and CRD conversion block the API server is given. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildCrdConversion,
  buildValidatingWebhookConfiguration,
  localBaseUrl,
} from '../../../src/webhook/registration.ts';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const caBundle = Buffer.from(caPem).toString('base64');

test('the validating webhook is registered like upstream, for v2 only with matchPolicy Equivalent', () => {
  const config = buildValidatingWebhookConfiguration({
    endpoint: {
      service: { namespace: 'locust-system', name: 'locust-operator-webhook', port: 443 },
    },
    caPem,
  });
  assert.deepEqual(config, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'locust-operator-validating-webhook' },
    webhooks: [
      {
        name: 'vlocusttest-v2.kb.io',
        clientConfig: {
          service: {
            namespace: 'locust-system',
            name: 'locust-operator-webhook',
            path: '/validate-locust-io-v2-locusttest',
            port: 443,
          },
          caBundle,
        },
        rules: [
          {
            apiGroups: ['locust.io'],
            apiVersions: ['v2'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['locusttests'],
            scope: 'Namespaced',
          },
        ],
        matchPolicy: 'Equivalent',
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: 10,
      },
    ],
  });
});

test('a local run registers a URL on the loopback address and a chosen name', () => {
  const config = buildValidatingWebhookConfiguration({
    name: 'dev-webhook',
    endpoint: { baseUrl: localBaseUrl(40123) },
    caPem,
  });
  assert.equal(config.metadata?.name, 'dev-webhook');
  assert.deepEqual(config.webhooks?.[0]?.clientConfig, {
    url: 'https://127.0.0.1:40123/validate-locust-io-v2-locusttest',
    caBundle,
  });
  assert.equal(localBaseUrl(9443, '::1'), 'https://[::1]:9443');
});

test('without a CA (cert-manager injects it) no caBundle is set', () => {
  const config = buildValidatingWebhookConfiguration({
    endpoint: { service: { namespace: 'ns', name: 'svc' } },
  });
  assert.deepEqual(config.webhooks?.[0]?.clientConfig, {
    service: { namespace: 'ns', name: 'svc', path: '/validate-locust-io-v2-locusttest' },
  });
});

test('the CRD conversion block points at /convert with ConversionReview v1', () => {
  assert.deepEqual(
    buildCrdConversion({ endpoint: { baseUrl: 'https://127.0.0.1:9443/' }, caPem }),
    {
      strategy: 'Webhook',
      webhook: {
        clientConfig: { url: 'https://127.0.0.1:9443/convert', caBundle },
        conversionReviewVersions: ['v1'],
      },
    },
  );
  assert.deepEqual(
    buildCrdConversion({ endpoint: { service: { namespace: 'ns', name: 'svc', port: 443 } } }),
    {
      strategy: 'Webhook',
      webhook: {
        clientConfig: { service: { namespace: 'ns', name: 'svc', path: '/convert', port: 443 } },
        conversionReviewVersions: ['v1'],
      },
    },
  );
});
