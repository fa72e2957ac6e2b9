import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBindAddress, parseBindAddress } from '../../../src/runtime/bind-address.ts';
import {
  serveMetrics,
  serveProbes,
  type HealthCheck,
  type RunningServer,
} from '../../../src/runtime/health.ts';
import { createMetrics } from '../../../src/runtime/metrics.ts';

async function get(server: RunningServer, path: string): Promise<[number, string, string]> {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return [response.status, await response.text(), response.headers.get('content-type') ?? ''];
}

test('bind addresses are read the way the Go flags are', () => {
  const table: [string, ReturnType<typeof parseBindAddress>][] = [
    ['0', undefined],
    ['', undefined],
    [':8081', { host: undefined, port: 8081 }],
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['[::1]:8443', { host: '::1', port: 8443 }],
  ];
  for (const [flag, expected] of table) assert.deepEqual(parseBindAddress(flag), expected, flag);
  for (const bad of ['8081', ':http', ':65536', '::1:8081', '[::1:8081', 'host:']) {
    assert.throws(() => parseBindAddress(bad), /invalid bind address/, bad);
  }
  assert.equal(formatBindAddress({ host: '::1', port: 8443 }), '[::1]:8443');
  assert.equal(formatBindAddress({ host: undefined, port: 8081 }), ':8081');
});

test('probes answer ok while every check passes, and list each check when verbose', async () => {
  const stop = new AbortController();
  const readiness = new Map<string, HealthCheck>([
    ['informers-synced', () => true],
    ['webhook-certificates', () => Promise.resolve(true)],
  ]);
  const server = await serveProbes({ bindAddress: '127.0.0.1:0', signal: stop.signal, readiness });
  assert.ok(server && server.port > 0);

  assert.deepEqual(await get(server, '/healthz'), [200, 'ok', 'text/plain; charset=utf-8']);
  assert.deepEqual((await get(server, '/readyz')).slice(0, 2), [200, 'ok']);
  assert.deepEqual((await get(server, '/readyz?verbose')).slice(0, 2), [
    200,
    '[+]ping ok\n[+]informers-synced ok\n[+]webhook-certificates ok\nreadyz check passed\n',
  ]);
  assert.equal((await get(server, '/nothing'))[0], 404);
  stop.abort();
  await server.closed;
});

test('readiness fails with 500 listing the failing checks, and follows checks added later', async () => {
  const stop = new AbortController();
  const readiness = new Map<string, HealthCheck>([['informers-synced', () => false]]);
  const server = await serveProbes({ bindAddress: '127.0.0.1:0', signal: stop.signal, readiness });
  assert.ok(server);

  assert.deepEqual((await get(server, '/readyz')).slice(0, 2), [
    500,
    '[+]ping ok\n[-]informers-synced failed: reason withheld\nreadyz check failed\n',
  ]);
  readiness.set('informers-synced', () => true);
  readiness.set('webhook-certificates', () => {
    throw new Error('not loaded');
  });
  assert.deepEqual((await get(server, '/readyz')).slice(0, 2), [
    500,
    '[+]ping ok\n[+]informers-synced ok\n[-]webhook-certificates failed: reason withheld\n' +
      'readyz check failed\n',
  ]);
  assert.deepEqual((await get(server, '/readyz?exclude=webhook-certificates')).slice(0, 2), [
    200,
    'ok',
  ]);
  assert.deepEqual((await get(server, '/healthz')).slice(0, 2), [200, 'ok'], 'liveness unaffected');
  stop.abort();
  await server.closed;
});

test('metrics are served on their own listener in the Prometheus text format', async () => {
  const stop = new AbortController();
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.reconcile('locusttest');
  const server = await serveMetrics({
    bindAddress: '127.0.0.1:0',
    signal: stop.signal,
    source: metrics.registry,
  });
  assert.ok(server);
  const [status, body, type] = await get(server, '/metrics');
  assert.equal(status, 200);
  assert.match(type, /^text\/plain; version=0\.0\.4/);
  assert.match(
    body,
    /^controller_runtime_reconcile_total\{controller="locusttest",result="success"\} 0$/m,
  );
  assert.equal((await get(server, '/healthz'))[0], 404);

  const failing = await serveMetrics({
    bindAddress: '127.0.0.1:0',
    signal: stop.signal,
    source: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('collector')) },
  });
  assert.ok(failing);
  assert.deepEqual((await get(failing, '/metrics')).slice(0, 2), [
    500,
    'error gathering metrics: collector\n',
  ]);
  stop.abort();
  await Promise.all([server.closed, failing.closed]);
});

test('a disabled address starts nothing; a taken port is an error', async () => {
  const stop = new AbortController();
  assert.equal(await serveProbes({ bindAddress: '0', signal: stop.signal }), undefined);
  const first = await serveProbes({ bindAddress: '127.0.0.1:0', signal: stop.signal });
  assert.ok(first);
  await assert.rejects(
    serveProbes({ bindAddress: `127.0.0.1:${first.port}`, signal: stop.signal }),
    /EADDRINUSE/,
  );
  stop.abort();
  await first.closed;
});

test('on abort a server closes within its deadline even with a client holding a connection', async () => {
  const stop = new AbortController();
  const server = await serveProbes({
    bindAddress: '127.0.0.1:0',
    signal: stop.signal,
    shutdownTimeoutMs: 100,
    readiness: new Map([['slow', () => new Promise<boolean>(() => undefined)]]),
  });
  assert.ok(server);
  const hanging = fetch(`http://127.0.0.1:${server.port}/readyz`).then(
    () => 'answered',
    () => 'cut off',
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  stop.abort();
  await server.closed;
  assert.ok(Date.now() - started < 1_000, 'closed near the deadline');
  assert.equal(await hanging, 'cut off');
  await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`));
});
