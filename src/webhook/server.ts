/**
 * The webhook's HTTPS server: `POST /validate-locust-io-v2-locusttest` (AdmissionReview) and
 * `POST /convert` (ConversionReview), TLS 1.2+, HTTP/1.1 only (upstream turns HTTP/2 off by
 * default after the 2023 rapid-reset CVEs). Every bad request gets a 4xx with a Kubernetes Status
 * body and a log line; a handler exception gets a 500; nothing a client sends can crash or hang it.
 */
import { createServer, type Server } from 'node:https';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { validate, validateV1 } from '../validation/validate.ts';
import { reviewAdmission, type Validators } from './admission-review.ts';
import { defaultConverter, reviewConversion, type Converter } from './conversion-review.ts';
import { convertPath, validatePath } from './paths.ts';
import { defaultMaxBodyBytes, readJsonBody } from './request-body.ts';
import { describe, type JsonObject, type ReviewOutcome } from './review.ts';

export { convertPath, validatePath } from './paths.ts';

/** A certificate and key, PEM. */
export interface TlsPair {
  readonly cert: string;
  readonly key: string;
}

/** Options of {@link serveWebhooks}. */
export interface WebhookServerOptions {
  /** Interface to bind; `0.0.0.0` in a cluster (upstream binds all), `127.0.0.1` locally. */
  readonly host: string;
  /** 9443 upstream; 0 picks a free port. */
  readonly port: number;
  readonly certificate: TlsPair;
  /** Aborting stops accepting, then closes open connections after shutdownTimeoutMs. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Default 3 MiB (the API server's own request limit). */
  readonly maxBodyBytes?: number;
  /** Time to receive the headers; default 10 000 ms. */
  readonly headersTimeoutMs?: number;
  /** Time to receive a whole request; default 30 000 ms (the longest webhook timeout). */
  readonly requestTimeoutMs?: number;
  /**
   * Idle keep-alive time; default 120 000 ms, longer than Go's 90 s idle timeout so the API
   * server, not us, closes idle connections (a POST on a connection we just closed fails).
   */
  readonly keepAliveTimeoutMs?: number;
  /** How often Node enforces the two request timeouts; default 1 000 ms. */
  readonly timeoutCheckIntervalMs?: number;
  /** Default 5 000. */
  readonly shutdownTimeoutMs?: number;
  /** Defaults to src/validation's validate / validateV1. */
  readonly validators?: Validators;
  /** Defaults to src/api's convertLocustTest. */
  readonly convert?: Converter;
}

/** A listening webhook server. */
export interface RunningWebhookServer {
  readonly host: string;
  readonly port: number;
  /** Swaps the serving certificate; new handshakes use it, open connections keep theirs. */
  setCertificate(pair: TlsPair): void;
  /** Resolves once the server has closed after the signal aborted. */
  readonly closed: Promise<void>;
}

const reasons: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'Timeout',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  431: 'RequestHeaderFieldsTooLarge',
  500: 'InternalError',
};

type Route = (value: unknown) => ReviewOutcome;

function tlsOptions(pair: TlsPair): { cert: string; key: string; minVersion: 'TLSv1.2' } {
  return { cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' };
}

/** Starts the server and resolves once it listens. */
export async function serveWebhooks(options: WebhookServerOptions): Promise<RunningWebhookServer> {
  const { log } = options;
  const validators = options.validators ?? { v2: validate, v1: validateV1 };
  const convert = options.convert ?? defaultConverter;
  const routes = new Map<string, Route>([
    [validatePath, (value) => reviewAdmission(value, validators)],
    [convertPath, (value) => reviewConversion(value, convert)],
  ]);
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  // The response being written on each socket, so a protocol error never corrupts one.
  const inFlight = new WeakMap<Duplex, ServerResponse>();

  const server = createServer({
    ...tlsOptions(options.certificate),
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: 10_000,
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 120_000,
    connectionsCheckingInterval: options.timeoutCheckIntervalMs ?? 1_000,
  });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const done = (status: number, fields: JsonObject, message: string): void => {
      const entry = {
        method: request.method,
        path: request.url?.slice(0, 200),
        remote: request.socket.remoteAddress,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        ...fields,
      };
      if (status >= 500) log.error(entry, message);
      else if (status >= 400) log.warn(entry, message);
      else if (fields.allowed === false || fields.result === 'Failure') log.info(entry, message);
      else log.debug(entry, message);
    };
    response.on('error', (error) => {
      log.debug({ err: error }, 'webhook response not delivered');
    });
    inFlight.set(request.socket, response);
    response.on('finish', () => {
      inFlight.delete(request.socket);
    });
    handle(request, response, routes, maxBodyBytes, done).catch((error: unknown) => {
      done(500, { err: error }, 'webhook handler failed');
      if (response.headersSent) response.destroy();
      else sendStatus(response, 500, 'internal error while handling the review', false);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    answerClientError(error, socket, inFlight.get(socket), log);
  });
  server.on('tlsClientError', (error, socket: Socket) => {
    // Port scans, TCP probes and clients that do not trust our CA end here: not worth a warning.
    log.debug({ err: error, remote: socket.remoteAddress }, 'webhook TLS handshake failed');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => {
    log.error({ err: error }, 'webhook server error');
  });
  const bound = server.address() as AddressInfo;
  log.info({ host: bound.address, port: bound.port }, 'webhook server listening');
  return {
    host: bound.address,
    port: bound.port,
    setCertificate: (pair) => {
      server.setSecureContext(tlsOptions(pair));
    },
    closed: closeOnAbort(server, options),
  };
}

type Done = (status: number, fields: JsonObject, message: string) => void;

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  routes: ReadonlyMap<string, Route>,
  maxBodyBytes: number,
  done: Done,
): Promise<void> {
  const path = pathOf(request.url);
  const route = path === undefined ? undefined : routes.get(path);
  // Answers that leave the body unread close the connection, so no unread bytes are parsed as
  // the next request and nothing is drained from a client that keeps sending.
  const fail = (status: number, message: string, close: boolean): void => {
    sendStatus(response, status, message, close);
    done(status, {}, message);
  };
  if (!route) {
    fail(404, `no webhook is served at ${describe(path ?? request.url ?? '')}`, true);
    return;
  }
  if (request.method !== 'POST') {
    response.setHeader('allow', 'POST');
    fail(405, `method ${String(request.method)} is not allowed; use POST`, true);
    return;
  }
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    fail(415, 'content type must be application/json', true);
    return;
  }
  const body = await readJsonBody(request, maxBodyBytes);
  if (!body.ok) {
    if (body.status === 'aborted') done(499, {}, body.message);
    else fail(body.status, body.message, body.status === 413);
    return;
  }
  const outcome = route(body.value);
  if (outcome.kind === 'bad-request') {
    fail(400, outcome.message, false);
    return;
  }
  sendJson(response, 200, outcome.body, false);
  done(200, { bytes: body.bytes, ...outcome.summary }, 'webhook review answered');
}

/** The request's path without its query (the API server appends `?timeout=10s`). */
function pathOf(url: string | undefined): string | undefined {
  if (url?.startsWith('/') !== true) return undefined;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function sendJson(response: ServerResponse, status: number, body: unknown, close: boolean): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-content-type-options': 'nosniff',
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

/** A Kubernetes Status as the error body, so clients that read Kubernetes errors read ours. */
function sendStatus(response: ServerResponse, code: number, message: string, close: boolean): void {
  const reason = reasons[code] ?? 'Unknown';
  const status = { apiVersion: 'v1', kind: 'Status', status: 'Failure', message, reason, code };
  sendJson(response, code, status, close);
}

/**
 * Node's HTTP parser and its request timeouts report here, with no request object: malformed
 * HTTP (400), oversized headers (431), a request not received in time (408). Answered with a
 * Status body written to the socket, unless a response has already started on it.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  response: ServerResponse | undefined,
  log: Logger,
): void {
  const remote = (socket as Partial<Socket>).remoteAddress;
  if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent === true) {
    log.debug({ err: error, remote }, 'webhook connection failed');
    socket.destroy();
    return;
  }
  const code =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 408
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : 400;
  const reason = reasons[code] ?? 'BadRequest';
  const message =
    code === 408
      ? 'request not received in time'
      : `malformed HTTP request (${String(error.code)})`;
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Status',
    status: 'Failure',
    message,
    reason,
    code,
  });
  socket.end(
    `HTTP/1.1 ${String(code)} ${STATUS_CODES[code] ?? ''}\r\ncontent-type: application/json\r\n` +
      `content-length: ${String(Buffer.byteLength(body))}\r\nconnection: close\r\n\r\n${body}`,
  );
  log.warn({ remote, status: code, code: error.code }, message);
}

function closeOnAbort(server: Server, options: WebhookServerOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    const close = (): void => {
      const deadline = setTimeout(() => {
        server.closeAllConnections();
      }, options.shutdownTimeoutMs ?? 5_000);
      deadline.unref();
      server.close(() => {
        clearTimeout(deadline);
        options.log.info('webhook server closed');
        resolve();
      });
      server.closeIdleConnections();
    };
    if (options.signal.aborted) close();
    else options.signal.addEventListener('abort', close, { once: true });
  });
}
