import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../../src/runtime/kube-client.ts';
import { ResourceVersionGoneError } from '../../../src/runtime/informer.ts';
import { resourceTypes } from '../../../src/runtime/resources.ts';

/** A loopback "API server" whose watch streams stay open until the test ends them. */
async function fakeApiServer(): Promise<{
  url: string;
  streams: ServerResponse[];
  close: () => Promise<void>;
}> {
  const streams: ServerResponse[] = [];
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(
      `${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', namespace: 'n', resourceVersion: '2' } } })}\n`,
    );
    streams.push(res);
    req.on('close', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    streams,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

function clientFor(url: string): KubeClient {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubeClient(config);
}

test('aborting an open watch closes it cleanly instead of crashing on the body stream’s AbortError', async () => {
  const server = await fakeApiServer();
  try {
    const source = clientFor(server.url).listWatch(resourceTypes.pods);
    const abort = new AbortController();
    const events: string[] = [];
    const closed = new Promise<unknown>((resolve) => {
      void source.watch(
        '1',
        { onEvent: (type) => events.push(type), onClose: resolve },
        abort.signal,
      );
    });
    while (events.length === 0) await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    assert.equal(await closed, undefined);
    // An unhandled 'error' event would have crashed this process by now; give it a turn to.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(events, ['ADDED']);
  } finally {
    await server.close();
  }
});

test('an ERROR event with code 410 closes the watch with ResourceVersionGoneError', async () => {
  const server = await fakeApiServer();
  try {
    const source = clientFor(server.url).listWatch(resourceTypes.pods);
    const closed = new Promise<unknown>((resolve) => {
      void source.watch(
        '1',
        { onEvent: () => undefined, onClose: resolve },
        new AbortController().signal,
      );
    });
    while (server.streams.length === 0) await new Promise((resolve) => setImmediate(resolve));
    server.streams[0]?.write(
      `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old resource version' } })}\n`,
    );
    assert.ok((await closed) instanceof ResourceVersionGoneError);
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    await server.close();
  }
});
