/**
 * What every request to the API server carries: the kubeconfig's auth headers and one TLS
 * connection pool. The client library's applySecurityAuthentication builds a new undici Agent on
 * each call, so using it per request made every request open a fresh TLS connection (a third of
 * the operator's CPU under load, see docs/performance.md). Here the pool is built once and the
 * headers are re-read only when they may have changed: after `headerTtlMs` (service-account
 * tokens are rotated on disk, exec plugins hand out expiring tokens) or after a 401.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { AgentOptions, RequestOptions } from 'node:https';
import { Agent, type Dispatcher } from 'undici';

export interface RequestCredentials {
  readonly headers: Readonly<Record<string, string>>;
  /** Absent for plain-HTTP servers without TLS options: undici's global pool is used. */
  readonly dispatcher?: Dispatcher;
}

/** Request headers from https options; user/password (`auth`) becomes Basic unless a token won. */
function headersOf(tls: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(tls.headers ?? {}))
    if (value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  if (typeof tls.auth === 'string' && headers.Authorization === undefined)
    headers.Authorization = `Basic ${Buffer.from(tls.auth).toString('base64')}`;
  return headers;
}

export class KubeRequestAuth {
  private dispatcher: Dispatcher | undefined;
  private pooled = false;
  private headers: Readonly<Record<string, string>> | undefined;
  private headersReadAt = 0;
  private pending: Promise<RequestCredentials> | undefined;

  /**
   * `libraryDispatcher` is the client library's own dispatcher for the current context (for
   * proxies and plain HTTP); kube-client supplies it, being the library's only runtime importer.
   */
  constructor(
    private readonly config: KubeConfig,
    private readonly libraryDispatcher: () => Promise<Dispatcher | undefined>,
    private readonly headerTtlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Headers and pool for the next request; concurrent callers share one refresh. */
  async current(): Promise<RequestCredentials> {
    if (this.headers !== undefined && this.now() - this.headersReadAt < this.headerTtlMs)
      return this.credentials(this.headers);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The server refused the credentials: read them again before the next request. */
  invalidate(): void {
    this.headers = undefined;
  }

  /** Closes the pool's idle connections and refuses new requests once in-flight ones end. */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    this.pooled = false;
    if (dispatcher !== undefined) await dispatcher.close();
  }

  private async refresh(): Promise<RequestCredentials> {
    // The kubeconfig's TLS material and auth headers (token, exec plugin, impersonation).
    const tls: RequestOptions = {};
    await this.config.applyToHTTPSOptions(tls);
    if (!this.pooled) {
      this.dispatcher = this.directAgent(tls) ?? (await this.libraryDispatcher());
      this.pooled = true;
    }
    this.headers = headersOf(tls);
    this.headersReadAt = this.now();
    return this.credentials(this.headers);
  }

  /**
   * The dispatcher the library would build, but pooled and on HTTP/1.1, for a direct TLS
   * connection (the usual case); undefined for proxies and plain HTTP.
   */
  private directAgent(tls: RequestOptions): Dispatcher | undefined {
    const agentOptions: AgentOptions = {
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      pfx: tls.pfx,
      passphrase: tls.passphrase,
      ...(tls.rejectUnauthorized === undefined
        ? {}
        : { rejectUnauthorized: tls.rejectUnauthorized }),
      ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    };
    const plan = this.config.createDispatcherOptions(this.config.getCurrentCluster(), agentOptions);
    if (plan.type !== 'agent') return undefined;
    // The library's options carry explicit undefineds (e.g. port) that undici's types refuse.
    const connect = Object.fromEntries(
      Object.entries(plan.connect).filter(([, value]) => value !== undefined),
    ) as NonNullable<Agent.Options['connect']>;
    return new Agent({
      connect,
      // HTTP/1.1 keep-alive, one connection per concurrent request and one per watch. undici 8
      // negotiates HTTP/2 by default, which multiplexes every watch onto one connection: under a
      // burst of Pod events the API server then closed our watches as unresponsive ~20 times per
      // 100 tests (3 with HTTP/1.1), and tests reached Running 35 % later (docs/performance.md).
      allowH2: false,
    });
  }

  private credentials(headers: Readonly<Record<string, string>>): RequestCredentials {
    return this.dispatcher === undefined ? { headers } : { headers, dispatcher: this.dispatcher };
  }
}
