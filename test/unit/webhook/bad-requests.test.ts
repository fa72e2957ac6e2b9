/**
 * The server's answers to requests the API server would never send: each gets its 4xx with a
 * Kubernetes Status body and a log line; a handler exception gets a 500; slow clients are cut off;
 * TLS below 1.2 and HTTP/2 are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { convertPath, validatePath } from '../../../src/webhook/server.ts';
import { sampleTest } from '../validation/sample-test.ts';
import { admissionReview, call, startTestServer, type Answer, type TestServer } from './harness.ts';

function statusBody(answer: Answer): Record<string, unknown> {
  assert.match(String(answer.headers['content-type']), /^application\/json/);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  assert.equal(body.kind, 'Status');
  assert.equal(body.code, answer.status);
  assert.equal(body.status, 'Failure');
  assert.equal(typeof body.message, 'string');
  return body;
}

const validBody = JSON.stringify(admissionReview('CREATE', sampleTest()));

describe('bad requests', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      maxBodyBytes: 64 * 1024,
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      timeoutCheckIntervalMs: 100,
    });
  });
  after(async () => {
    await server.stop();
  });
  const send = (path: string, options: Parameters<typeof call>[3] = {}) =>
    call(server.port, server.ca, path, options);

  test('an unknown path is 404', async () => {
    for (const path of ['/', '/readyz', '/validate', `${validatePath}/x`, '*']) {
      const answer = await send(path, { body: validBody });
      assert.equal(answer.status, 404, path);
      assert.equal(statusBody(answer).reason, 'NotFound');
    }
  });

  test('a method other than POST is 405 with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await send(validatePath, { method });
      assert.equal(answer.status, 405, method);
      assert.equal(answer.headers.allow, 'POST');
      statusBody(answer);
    }
  });

  test('a missing or wrong content type is 415', async () => {
    for (const type of ['', 'text/plain', 'application/yaml', 'application/jsonx']) {
      const answer = await send(validatePath, {
        headers: { 'content-type': type },
        body: validBody,
      });
      assert.equal(answer.status, 415, type);
      statusBody(answer);
    }
    const ok = await send(validatePath, {
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: validBody,
    });
    assert.equal(ok.status, 200);
  });

  test('malformed JSON, invalid UTF-8 and excessive nesting are 400', async () => {
    const bodies: [string, string | Buffer][] = [
      ['truncated JSON', validBody.slice(0, 100)],
      ['empty body', ''],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ];
    for (const [what, body] of bodies) {
      const answer = await send(convertPath, { body });
      assert.equal(answer.status, 400, what);
      assert.equal(statusBody(answer).reason, 'BadRequest', what);
    }
  });

  test('a review of the wrong kind or apiVersion, or without request or uid, is 400', async () => {
    const review = admissionReview('CREATE', sampleTest());
    const cases: [string, string, unknown][] = [
      [
        'a ConversionReview sent to the validating path',
        validatePath,
        { ...review, kind: 'ConversionReview' },
      ],
      [
        'AdmissionReview v1beta1',
        validatePath,
        { ...review, apiVersion: 'admission.k8s.io/v1beta1' },
      ],
      ['an AdmissionReview sent to /convert', convertPath, review],
      ['no request', validatePath, { apiVersion: review.apiVersion, kind: review.kind }],
      ['no uid', validatePath, { ...review, request: { operation: 'CREATE' } }],
      ['an array', validatePath, [review]],
      [
        'no objects',
        convertPath,
        { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid: 'u' } },
      ],
    ];
    for (const [what, path, body] of cases) {
      const answer = await send(path, { body: JSON.stringify(body) });
      assert.equal(answer.status, 400, what);
      statusBody(answer);
    }
  });

  test('a body declared larger than the limit is 413 before it is sent', async () => {
    const answer = await send(validatePath, {
      headers: { 'content-length': String(10 * 1024 * 1024) },
      body: '{',
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.headers.connection, 'close');
    assert.equal(statusBody(answer).reason, 'RequestEntityTooLarge');
  });

  test('a chunked body that grows past the limit is 413 and the rest is not read', async () => {
    const { request } = await import('node:https');
    const answer = await new Promise<{ status: number; sent: number; text: string }>(
      (resolve, reject) => {
        let sent = 0;
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: validatePath,
            method: 'POST',
            ca: server.ca,
            servername: 'localhost',
            headers: { 'content-type': 'application/json' },
            agent: false,
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => {
              resolve({ status: response.statusCode ?? 0, sent, text });
            });
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        const pump = (): void => {
          // Keep sending until the answer arrives: the server must answer without reading it all.
          while (sent < 64 * 1024 * 1024 && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) {
              req.once('drain', pump);
              return;
            }
          }
        };
        pump();
      },
    );
    assert.equal(answer.status, 413);
    // The limit is 64 KiB: what was sent beyond it sat in socket buffers, unread.
    assert.ok(answer.sent < 4 * 1024 * 1024, `sent ${String(answer.sent)} bytes`);
    assert.equal((JSON.parse(answer.text) as { reason: string }).reason, 'RequestEntityTooLarge');
  });

  /** Writes raw bytes over TLS and collects everything until the server closes. */
  const raw = (data: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect(
        { host: '127.0.0.1', port: server.port, ca: server.ca, servername: 'localhost' },
        () => {
          socket.write(data);
        },
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('close', () => {
        resolve(text);
      });
      socket.on('error', reject);
    });

  /** The status line and the JSON Status body of a raw HTTP answer. */
  const rawStatus = (text: string): { line: string; body: Record<string, unknown> } => {
    const [head = '', body = ''] = text.split('\r\n\r\n');
    assert.match(head, /content-type: application\/json/i);
    return { line: head.split('\r\n')[0] ?? '', body: JSON.parse(body) as Record<string, unknown> };
  };

  test('a client that never finishes its headers is cut off with a 408', async () => {
    const started = Date.now();
    const answer = rawStatus(await raw(`POST ${validatePath} HTTP/1.1\r\nHost: x\r\n`));
    assert.ok(Date.now() - started < 5_000);
    assert.equal(answer.line, 'HTTP/1.1 408 Request Timeout');
    assert.equal(answer.body.code, 408);
  });

  test('a client that never finishes its body is cut off with a 408', async () => {
    const answer = rawStatus(
      await raw(
        `POST ${validatePath} HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
      ),
    );
    assert.equal(answer.line, 'HTTP/1.1 408 Request Timeout');
  });

  test('malformed HTTP is a 400 and oversized headers a 431, each with a Status body', async () => {
    const garbage = rawStatus(await raw('\u0001\u0002 not http\r\n\r\n'));
    assert.equal(garbage.line, 'HTTP/1.1 400 Bad Request');
    assert.equal(garbage.body.kind, 'Status');
    const huge = rawStatus(
      await raw(`POST ${validatePath} HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`),
    );
    assert.equal(huge.line, 'HTTP/1.1 431 Request Header Fields Too Large');
    assert.equal(huge.body.code, 431);
  });

  test('TLS below 1.2 is refused and only http/1.1 is negotiated', async () => {
    await assert.rejects(
      call(server.port, server.ca, validatePath, { body: validBody, tlsMaxVersion: 'TLSv1.1' }),
    );
    const protocol = await new Promise<string | false | null>((resolve, reject) => {
      const socket = connect(
        {
          host: '127.0.0.1',
          port: server.port,
          ca: server.ca,
          servername: 'localhost',
          ALPNProtocols: ['h2', 'http/1.1'],
        },
        () => {
          resolve(socket.alpnProtocol);
          socket.destroy();
        },
      );
      socket.on('error', reject);
    });
    assert.equal(protocol, 'http/1.1');
  });

  test('each rejection is logged with its status', () => {
    const statuses = new Set(server.logs.lines.map((line) => line.status));
    for (const status of [400, 404, 405, 408, 413, 415, 431]) {
      assert.ok(statuses.has(status), String(status));
    }
    assert.ok(server.logs.lines.every((line) => line.status === undefined || line.level !== 50));
  });

  test('the server still answers a valid review afterwards', async () => {
    const answer = await send(validatePath, { body: validBody });
    assert.equal(answer.status, 200);
  });
});

test('a handler exception is a logged 500, and the server keeps serving', async () => {
  let calls = 0;
  const server = await startTestServer({
    validators: {
      v1: () => ({ errors: [], warnings: [] }),
      v2: () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return { errors: [], warnings: [] };
      },
    },
  });
  try {
    const failed = await call(server.port, server.ca, validatePath, { body: validBody });
    assert.equal(failed.status, 500);
    assert.equal(statusBody(failed).reason, 'InternalError');
    const logged = server.logs.lines.find((line) => line.status === 500);
    assert.equal(logged?.level, 50);
    assert.match(JSON.stringify(logged.err), /boom/);
    const next = await call(server.port, server.ca, validatePath, { body: validBody });
    assert.equal(next.status, 200);
  } finally {
    await server.stop();
  }
});
