import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { statusCodeOf, testClients, testNamespace } from '../../support/kube.ts';

const clients = testClients();

/** A self-signed serving certificate for 127.0.0.1, made with openssl. */
function servingCertificate(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        'tls.key',
        '-out',
        'tls.crt',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'tls.crt')), key: readFileSync(join(dir, 'tls.key')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the API server calls a validating webhook on 127.0.0.1 and enforces its answer', async (t) => {
  const namespace = await testNamespace(t, clients);
  const { cert, key } = servingCertificate();
  let calls = 0;
  const server = createServer({ cert, key }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls += 1;
      const review = JSON.parse(body) as {
        request: { uid: string; object: { metadata?: { labels?: Record<string, string> } } };
      };
      const deny = review.request.object.metadata?.labels?.deny === 'true';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: {
            uid: review.request.uid,
            allowed: !deny,
            ...(deny
              ? { status: { code: 422, message: 'metadata.labels.deny: smoke webhook says no' } }
              : {}),
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const webhookName = `smoke-${namespace}`;
  await clients.admission.createValidatingWebhookConfiguration({
    body: {
      metadata: { name: webhookName },
      webhooks: [
        {
          name: 'smoke.locust-operator.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['configmaps'],
            },
          ],
          clientConfig: {
            url: `https://127.0.0.1:${String(port)}/validate`,
            caBundle: cert.toString('base64'),
          },
        },
      ],
    },
  });
  t.after(() => clients.admission.deleteValidatingWebhookConfiguration({ name: webhookName }));

  // The API server picks up new webhook configurations asynchronously.
  const message = await eventually(
    async () => {
      const error = await clients.core
        .createNamespacedConfigMap({
          namespace,
          body: { metadata: { generateName: 'denied-', labels: { deny: 'true' } } },
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      if (error === undefined) throw new Error('the ConfigMap was admitted');
      assert.equal(statusCodeOf(error), 422);
      return String((error as { body?: unknown }).body);
    },
    { description: 'the webhook to deny a labelled ConfigMap' },
  );
  assert.match(message, /smoke webhook says no/);
  await clients.core.createNamespacedConfigMap({
    namespace,
    body: { metadata: { name: 'allowed' } },
  });
  assert.ok(calls >= 2, 'the webhook was called for the allowed ConfigMap too');
});
