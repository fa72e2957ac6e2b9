/** KubeClient.streamText against a small HTTP server standing in for the API server. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ApiError } from '../../../src/runtime/errors.ts';
import { KubeClient } from '../../../src/runtime/kube-client.ts';
import { resourceTypes } from '../../../src/runtime/resources.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

// A kubeconfig for a plain-HTTP server (the client library refuses http:// without skip-verify).
function kubeconfigFor(t: TestContext, server: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-client-stream-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'secret-token' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'ns' } }],
      'current-context': 'x',
    }),
  );
  return path;
}

async function clientFor(t: TestContext, handler: Handler): Promise<KubeClient> {
  const server = createServer(handler);
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
  return KubeClient.create({ kubeconfig: kubeconfigFor(t, `http://127.0.0.1:${String(port)}`) });
}

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

test('streamText yields the body as it arrives, with the query and the credentials sent', async (t) => {
  const seen: string[] = [];
  const client = await clientFor(t, (request, response) => {
    seen.push(`${request.url ?? ''} ${request.headers.authorization ?? ''}`);
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write('first line\n');
    // A multi-byte character split across chunks must come out whole.
    const snowman = Buffer.from('☃\n');
    response.write(snowman.subarray(0, 1));
    setTimeout(() => {
      response.end(snowman.subarray(1));
    }, 20);
  });
  const stream = await client.streamText(resourceTypes.pods, 'ns', 'p-1', 'log', {
    follow: true,
    container: 'c',
    tailLines: undefined,
  });
  assert.equal(await collect(stream), 'first line\n☃\n');
  assert.deepEqual(seen, [
    '/api/v1/namespaces/ns/pods/p-1/log?follow=true&container=c Bearer secret-token',
  ]);
  assert.equal(client.requestCounts.get('get pods/log'), 1);
});

test('a refused request is an ApiError classified by status and reason, with the server message', async (t) => {
  const client = await clientFor(t, (_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        kind: 'Status',
        status: 'Failure',
        reason: 'NotFound',
        message: 'the server could not find the requested resource ( pods/log p-1)',
        code: 404,
      }),
    );
  });
  await assert.rejects(client.streamText(resourceTypes.pods, 'ns', 'p-1', 'log'), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.kind, 'NotFound');
    assert.equal(error.message, 'the server could not find the requested resource ( pods/log p-1)');
    return true;
  });
});

test('a plain-text error body becomes the message; a 400 is Invalid', async (t) => {
  const client = await clientFor(t, (_request, response) => {
    response.writeHead(400, { 'content-type': 'text/plain' });
    response.end('container "c" in pod "p-1" is waiting to start\n');
  });
  await assert.rejects(client.streamText(resourceTypes.pods, 'ns', 'p-1', 'log'), {
    name: 'ApiError',
    kind: 'Invalid',
    message: 'container "c" in pod "p-1" is waiting to start',
  });
});

test('no server at all is a Transient ApiError, and an aborted stream just ends', async (t) => {
  const client = await clientFor(t, (_request, response) => {
    response.writeHead(200);
    response.write('before abort\n');
    // Never ends: only the abort stops it.
  });
  const controller = new AbortController();
  const stream = await client.streamText(
    resourceTypes.pods,
    'ns',
    'p',
    'log',
    {},
    controller.signal,
  );
  let text = '';
  for await (const chunk of stream) {
    text += chunk;
    controller.abort();
  }
  assert.equal(text, 'before abort\n');

  const unreachable = KubeClient.create({ kubeconfig: kubeconfigFor(t, 'http://127.0.0.1:1') });
  await assert.rejects(unreachable.streamText(resourceTypes.pods, 'ns', 'p', 'log'), {
    name: 'ApiError',
    kind: 'Transient',
  });
});
