/**
 * The probe and metrics listeners, in plain HTTP like controller-runtime's: `/healthz` and
 * `/readyz` on the health-probe address (every replica, leader or not), `/metrics` on the metrics
 * address. Upstream's secure metrics mode (HTTPS with TokenReview/SubjectAccessReview) is not
 * implemented: bind metrics to a trusted network or put a proxy in front.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBindAddress } from './bind-address.ts';

/** A named probe check: true when healthy. Throwing or rejecting counts as failed. */
export type HealthCheck = () => boolean | Promise<boolean>;

/** What `/metrics` renders; a prom-client Registry is one. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** A listening server. */
export interface RunningServer {
  /** The address actually bound (port resolved when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** Resolves once the server has closed after the signal aborted. */
  readonly closed: Promise<void>;
}

/** Options shared by both listeners. */
export interface ServeOptions {
  /** A flag value: `:8081`, `127.0.0.1:8081`, `[::1]:8081`; `0` or empty disables. */
  bindAddress: string;
  /** Aborting stops accepting, then closes open connections after shutdownTimeoutMs. */
  signal: AbortSignal;
  /** Default 5 000. */
  shutdownTimeoutMs?: number;
}

/** Options of {@link serveProbes}. */
export interface ProbeServerOptions extends ServeOptions {
  /** `/readyz` checks by name (e.g. `informers-synced`), read on every request. */
  readiness?: ReadonlyMap<string, HealthCheck>;
  /** `/healthz` checks by name beyond the built-in `ping`, read on every request. */
  liveness?: ReadonlyMap<string, HealthCheck>;
}

/** Options of {@link serveMetrics}. */
export interface MetricsServerOptions extends ServeOptions {
  source: MetricsSource;
}

/**
 * Serves `/healthz` (liveness: answering at all proves the event loop turns) and `/readyz`, each
 * with a built-in `ping` check. All checks pass: 200 `ok`. Any fails: 500 listing every check as
 * `[+]name ok` / `[-]name failed: reason withheld`, as Kubernetes components do; `?verbose` gives
 * that list on success too, and `?exclude=name` skips a check. Resolves undefined when disabled.
 */
export function serveProbes(options: ProbeServerOptions): Promise<RunningServer | undefined> {
  const empty = new Map<string, HealthCheck>();
  const endpoints = new Map([
    ['/healthz', () => options.liveness ?? empty],
    ['/readyz', () => options.readiness ?? empty],
  ]);
  return serve(options, async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://probe');
    const checks = endpoints.get(url.pathname);
    if (!checks) {
      reply(response, 404, 'text/plain; charset=utf-8', '404 page not found\n');
      return;
    }
    const report = await runChecks(url.pathname.slice(1), checks(), url.searchParams);
    reply(response, report.status, 'text/plain; charset=utf-8', report.body);
  });
}

/** Serves `/metrics` from source; every other path is 404. Resolves undefined when disabled. */
export function serveMetrics(options: MetricsServerOptions): Promise<RunningServer | undefined> {
  return serve(options, async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (path !== '/metrics') {
      reply(response, 404, 'text/plain; charset=utf-8', '404 page not found\n');
      return;
    }
    try {
      const body = await options.source.metrics();
      reply(response, 200, options.source.contentType, body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply(response, 500, 'text/plain; charset=utf-8', `error gathering metrics: ${message}\n`);
    }
  });
}

interface CheckReport {
  status: number;
  body: string;
}

async function runChecks(
  endpoint: string,
  checks: ReadonlyMap<string, HealthCheck>,
  query: URLSearchParams,
): Promise<CheckReport> {
  const excluded = new Set(query.getAll('exclude'));
  const all: [string, HealthCheck][] = [['ping', () => true], ...checks];
  const lines = await Promise.all(
    all.map(async ([name, check]): Promise<[string, boolean]> => {
      if (excluded.has(name)) return [`[+]${name} excluded: ok`, true];
      const ok = await Promise.resolve()
        .then(check)
        .catch(() => false);
      return ok ? [`[+]${name} ok`, true] : [`[-]${name} failed: reason withheld`, false];
    }),
  );
  const listing = lines.map(([line]) => `${line}\n`).join('');
  if (lines.some(([, ok]) => !ok)) {
    return { status: 500, body: `${listing}${endpoint} check failed\n` };
  }
  const verbose = query.has('verbose') && query.get('verbose') !== 'false';
  return { status: 200, body: verbose ? `${listing}${endpoint} check passed\n` : 'ok' };
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, {
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

async function serve(options: ServeOptions, handler: Handler): Promise<RunningServer | undefined> {
  const address = parseBindAddress(options.bindAddress);
  if (!address || options.signal.aborted) return undefined;
  const server = createServer((request, response) => {
    handler(request, response).catch(() => {
      // A handler failure must not take the process down; the client sees a 500.
      if (!response.headersSent) reply(response, 500, 'text/plain; charset=utf-8', 'error\n');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return { host: bound.address, port: bound.port, closed: closeOnAbort(server, options) };
}

function closeOnAbort(server: Server, options: ServeOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    const close = (): void => {
      // Probes and scrapes are short; only a stuck client is cut off, once the deadline passes.
      const deadline = setTimeout(() => {
        server.closeAllConnections();
      }, options.shutdownTimeoutMs ?? 5_000);
      deadline.unref();
      server.close(() => {
        clearTimeout(deadline);
        resolve();
      });
      server.closeIdleConnections();
    };
    if (options.signal.aborted) close();
    else options.signal.addEventListener('abort', close, { once: true });
  });
}
