/** KubeClient's connection pool and credential refresh, against a loopback HTTPS server. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { KubeRequestAuth } from '../../../src/runtime/kube-auth.ts';
import { KubeClient } from '../../../src/runtime/kube-client.ts';
import { resourceTypes } from '../../../src/runtime/resources.ts';
import { generateSelfSigned } from '../../../src/webhook/self-signed.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const certificate = generateSelfSigned(['127.0.0.1']);

async function httpsServer(
  t: TestContext,
  handler: Handler,
): Promise<{ url: string; caPem: string; tlsConnections: () => number }> {
  const { caPem, certPem, keyPem } = await certificate;
  let tlsConnections = 0;
  const server: Server = createServer({ cert: certPem, key: keyPem }, handler);
  server.on('secureConnection', () => {
    tlsConnections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${String(port)}`, caPem, tlsConnections: () => tlsConnections };
}

function configFor(url: string, caPem: string, user: User): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: url, caData: Buffer.from(caPem).toString('base64') }],
    users: [user],
    contexts: [{ name: 'x', cluster: 'c', user: user.name }],
    currentContext: 'x',
  });
  return config;
}

const configMap = (request: IncomingMessage, response: ServerResponse): void => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ kind: 'ConfigMap', metadata: { name: request.url } }));
};

test('sequential requests reuse pooled TLS connections instead of a handshake each', async (t) => {
  const server = await httpsServer(t, configMap);
  const client = new KubeClient(configFor(server.url, server.caPem, { name: 'u', token: 't' }));
  t.after(() => client.close());
  for (let i = 0; i < 25; i += 1)
    await client.get(resourceTypes.configMaps, 'ns', `cm-${String(i)}`);
  // undici may open a second connection while the first response is being settled; after that
  // the pool is reused (a new pool per request, as before, made 25).
  assert.ok(server.tlsConnections() <= 2, `${String(server.tlsConnections())} TLS handshakes`);
  assert.equal(client.requestCounts.get('get configmaps'), 25);
});

test('a 401 makes the client read its credentials again and retry once', async (t) => {
  let issued = 0;
  const seen: string[] = [];
  const server = await httpsServer(t, (request, response) => {
    seen.push(request.headers.authorization ?? '');
    if (request.headers.authorization !== 'Bearer token-2') {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', code: 401, reason: 'Unauthorized' }));
      return;
    }
    configMap(request, response);
  });
  const config = configFor(server.url, server.caPem, { name: 'rotating' });
  config.addAuthenticator({
    isAuthProvider: (user) => user.name === 'rotating',
    applyAuthentication: (_user, opts: { headers?: OutgoingHttpHeaders }) => {
      issued += 1;
      opts.headers = { ...opts.headers, Authorization: `Bearer token-${String(issued)}` };
      return Promise.resolve();
    },
  });
  const client = new KubeClient(config);
  t.after(() => client.close());
  await client.get(resourceTypes.configMaps, 'ns', 'a');
  await client.get(resourceTypes.configMaps, 'ns', 'b');
  assert.deepEqual(seen, ['Bearer token-1', 'Bearer token-2', 'Bearer token-2']);
  assert.equal(issued, 2, 'credentials are read again only after the 401, not per request');
});

test('credentials are re-read after their time to live, on the same connection pool', async (t) => {
  let issued = 0;
  const config = configFor('https://127.0.0.1:1', (await certificate).caPem, { name: 'rotating' });
  config.addAuthenticator({
    isAuthProvider: () => true,
    applyAuthentication: (_user, opts: { headers?: OutgoingHttpHeaders }) => {
      issued += 1;
      opts.headers = { ...opts.headers, Authorization: `Bearer token-${String(issued)}` };
      return Promise.resolve();
    },
  });
  let now = 0;
  const auth = new KubeRequestAuth(
    config,
    () => Promise.resolve(undefined),
    1000,
    () => now,
  );
  t.after(() => auth.close());
  const [first, concurrent] = await Promise.all([auth.current(), auth.current()]);
  assert.equal(issued, 1, 'concurrent callers share one read');
  assert.equal(concurrent, first);
  now = 999;
  assert.equal((await auth.current()).headers.Authorization, 'Bearer token-1');
  now = 1000;
  const later = await auth.current();
  assert.equal(later.headers.Authorization, 'Bearer token-2');
  assert.ok(first.dispatcher !== undefined);
  assert.equal(later.dispatcher, first.dispatcher);
});

test('a kubeconfig user with username and password sends Basic auth', async (t) => {
  const seen: string[] = [];
  const server = await httpsServer(t, (request, response) => {
    seen.push(request.headers.authorization ?? '');
    configMap(request, response);
  });
  const client = new KubeClient(
    configFor(server.url, server.caPem, { name: 'u', username: 'ann', password: 'pw' }),
  );
  t.after(() => client.close());
  await client.get(resourceTypes.configMaps, 'ns', 'a');
  assert.deepEqual(seen, [`Basic ${Buffer.from('ann:pw').toString('base64')}`]);
});
