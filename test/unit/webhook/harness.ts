/**
 * A webhook server on 127.0.0.1 with a throwaway CA, an HTTPS client that trusts only that CA,
 * a log capture, and review builders, for the webhook's unit tests.
 */
import { request as httpsRequest, type Agent } from 'node:https';
import { Writable } from 'node:stream';
import { TLSSocket, type SecureVersion } from 'node:tls';
import { pino, type Logger } from 'pino';
import {
  generateSelfSigned,
  type SelfSignedCertificate,
} from '../../../src/webhook/certificates.ts';
import {
  serveWebhooks,
  type RunningWebhookServer,
  type WebhookServerOptions,
} from '../../../src/webhook/server.ts';

let shared: Promise<SelfSignedCertificate> | undefined;

/** One CA and serving certificate per test process (generation takes a few milliseconds). */
export function testCertificate(): Promise<SelfSignedCertificate> {
  shared ??= generateSelfSigned(['localhost', '127.0.0.1']);
  return shared;
}

/** Log lines written by a logger, parsed. */
export interface LogCapture {
  readonly log: Logger;
  readonly lines: Record<string, unknown>[];
}

/** A debug-level pino logger whose lines are kept in memory. */
export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

/** A running test server; `stop()` aborts it and waits until it has closed. */
export interface TestServer {
  readonly server: RunningWebhookServer;
  readonly port: number;
  readonly ca: string;
  readonly logs: LogCapture;
  stop(): Promise<void>;
}

/** Starts the webhook server on 127.0.0.1, port 0, with the shared test certificate. */
export async function startTestServer(
  overrides: Partial<Omit<WebhookServerOptions, 'signal'>> = {},
): Promise<TestServer> {
  const pair = await testCertificate();
  const logs = captureLogs();
  const controller = new AbortController();
  const server = await serveWebhooks({
    host: '127.0.0.1',
    port: 0,
    certificate: { cert: pair.certPem, key: pair.keyPem },
    log: logs.log,
    shutdownTimeoutMs: 200,
    ...overrides,
    signal: controller.signal,
  });
  return {
    server,
    port: server.port,
    ca: pair.caPem,
    logs,
    stop: async () => {
      controller.abort();
      await server.closed;
    },
  };
}

/** An HTTP answer as the tests see it. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The peer certificate's SHA-256 fingerprint. */
  readonly fingerprint256: string;
}

/** Options of {@link call}. */
export interface CallOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly agent?: Agent;
  readonly timeoutMs?: number;
  /** To offer only old TLS versions. */
  readonly tlsMaxVersion?: SecureVersion;
}

/** One HTTPS request to the test server, trusting only its CA and checking its host name. */
export function call(
  port: number,
  ca: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'POST',
        ca,
        servername: 'localhost',
        headers: { 'content-type': 'application/json', ...options.headers },
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
        ...(options.tlsMaxVersion === undefined
          ? {}
          : { minVersion: 'TLSv1' as const, maxVersion: options.tlsMaxVersion }),
      },
      (response) => {
        const socket = response.socket;
        const fingerprint256 =
          socket instanceof TLSSocket ? socket.getPeerCertificate().fingerprint256 : '';
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            fingerprint256,
          });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** POSTs a JSON value and parses the JSON answer. */
export async function postJson(
  port: number,
  ca: string,
  path: string,
  value: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await call(port, ca, path, { body: JSON.stringify(value) });
  return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
}

/** An AdmissionReview v1 for a LocustTest v2 request. */
export function admissionReview(
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT',
  object: unknown,
  oldObject?: unknown,
  uid = '705ab4f5-6393-11e8-b7cc-42010a800002',
): Record<string, unknown> {
  const kind = { group: 'locust.io', version: 'v2', kind: 'LocustTest' };
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind,
      resource: { group: 'locust.io', version: 'v2', resource: 'locusttests' },
      requestKind: kind,
      requestResource: { group: 'locust.io', version: 'v2', resource: 'locusttests' },
      name: 'demo',
      namespace: 'load',
      operation,
      userInfo: { username: 'admin', groups: ['system:masters'] },
      ...(object === undefined ? {} : { object }),
      ...(oldObject === undefined ? {} : { oldObject }),
      dryRun: false,
      options: {
        apiVersion: 'meta.k8s.io/v1',
        kind: `${operation[0]}${operation.slice(1).toLowerCase()}Options`,
      },
    },
  };
}

/** A ConversionReview v1. */
export function conversionReview(
  objects: unknown[],
  desiredAPIVersion: string,
  uid = '0000-conversion-uid',
): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    request: { uid, desiredAPIVersion, objects },
  };
}

/** `value.response` as an object (or a failing assertion). */
export function responseOf(body: Record<string, unknown>): Record<string, unknown> {
  const response = body.response;
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    throw new Error(`no response in ${JSON.stringify(body)}`);
  }
  return response as Record<string, unknown>;
}
