/**
 * The only module that imports @kubernetes/client-node: authentication and TLS come from the
 * library's KubeConfig, requests go through undici (the library's own transport), and every
 * failure leaves here as a classified ApiError. Counts requests by verb and resource, for the
 * benchmark and the rest_client_requests_total metric.
 */
import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fetch } from 'undici';
import { ApiError } from './errors.ts';
import { KubeRequestAuth, type RequestCredentials } from './kube-auth.ts';
import {
  ResourceVersionGoneError,
  type ListWatchSource,
  type WatchEventType,
  type WatchHandlers,
} from './informer.ts';
import { resourcePath, type ResourceType } from './resources.ts';

export type RequestObserver = (
  verb: string,
  resource: string,
  status: number,
  seconds: number,
) => void;

export interface KubeClientOptions {
  /** Path of a kubeconfig; default: KUBECONFIG, then ~/.kube/config, then in-cluster. */
  kubeconfig?: string | undefined;
  context?: string | undefined;
  /**
   * Called once per request with its verb, resource, HTTP status (0: no response) and the
   * seconds until the response headers (or the failure) arrived.
   */
  onRequest?: RequestObserver;
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

/** The pooled TLS/proxy dispatcher the kubeconfig asks for, as a fetch option. */
function dispatcherOf(credentials: RequestCredentials): Pick<RequestCredentials, 'dispatcher'> {
  return credentials.dispatcher === undefined ? {} : { dispatcher: credentials.dispatcher };
}

export function loadKubeConfig(options: KubeClientOptions = {}): KubeConfig {
  const config = new KubeConfig();
  if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
  else config.loadFromDefault();
  if (options.context) config.setCurrentContext(options.context);
  return config;
}

export class KubeClient {
  readonly requestCounts = new Map<string, number>();
  private readonly server: string;
  private readonly auth: KubeRequestAuth;

  constructor(
    private readonly config: KubeConfig,
    private readonly onRequest?: RequestObserver,
  ) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/$/, '');
    this.auth = new KubeRequestAuth(config, async () => {
      // Proxies (HTTP, SOCKS) and plain HTTP: the library's own dispatcher, if it needs one.
      const context = new RequestContext(this.server, HttpMethod.GET);
      await config.applySecurityAuthentication(context);
      return context.getDispatcher();
    });
  }

  /** Closes the connection pool; in-flight requests finish first. */
  async close(): Promise<void> {
    await this.auth.close();
  }

  static create(options: KubeClientOptions = {}): KubeClient {
    return new KubeClient(loadKubeConfig(options), options.onRequest);
  }

  /** The namespace of the current context (or of the in-cluster service account). */
  currentNamespace(): string {
    return this.config.getContextObject(this.config.getCurrentContext())?.namespace ?? 'default';
  }

  private count(verb: string, resource: string, status: number, startedAt: number): void {
    const key = `${verb} ${resource}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
    this.onRequest?.(verb, resource, status, (performance.now() - startedAt) / 1000);
  }

  private async request(
    verb: string,
    type: ResourceType,
    method: HttpMethod,
    path: string,
    query: Query = {},
    body?: unknown,
    contentType = 'application/json',
    signal?: AbortSignal,
  ): Promise<unknown> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const payload = body === undefined ? null : JSON.stringify(body);
    const send = async (credentials: RequestCredentials) =>
      fetch(url, {
        method,
        headers: {
          ...credentials.headers,
          'content-type': contentType,
          accept: 'application/json',
        },
        ...dispatcherOf(credentials),
        body: payload,
        signal: signal ?? null,
      });
    let startedAt = performance.now();
    let response;
    try {
      response = await send(await this.auth.current());
      if (response.status === 401) {
        // Rotated or expired credentials: read them again and try once more.
        this.count(verb, type.plural, response.status, startedAt);
        await response.body?.cancel();
        this.auth.invalidate();
        startedAt = performance.now();
        response = await send(await this.auth.current());
      }
    } catch (error) {
      this.count(verb, type.plural, 0, startedAt);
      throw new ApiError(
        'Transient',
        `${verb} ${type.plural}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    this.count(verb, type.plural, response.status, startedAt);
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (response.ok) return parsed;
    const status = (parsed ?? {}) as StatusBody;
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    throw ApiError.fromStatus(
      response.status,
      status.message ?? `${verb} ${type.plural} failed with HTTP ${String(response.status)}`,
      {
        ...(status.reason === undefined ? {} : { reason: status.reason }),
        ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
      },
    );
  }

  async get<T>(type: ResourceType, namespace: string, name: string): Promise<T> {
    return (await this.request(
      'get',
      type,
      HttpMethod.GET,
      resourcePath(type, namespace, name),
    )) as T;
  }

  async create<T>(type: ResourceType, namespace: string, body: T): Promise<T> {
    return (await this.request(
      'create',
      type,
      HttpMethod.POST,
      resourcePath(type, namespace),
      {},
      body,
    )) as T;
  }

  /** PUT of the whole object; fails with Conflict when its resourceVersion is stale. */
  async update<T>(type: ResourceType, namespace: string, name: string, body: T): Promise<T> {
    return (await this.request(
      'update',
      type,
      HttpMethod.PUT,
      resourcePath(type, namespace, name),
      {},
      body,
    )) as T;
  }

  /** PUT of the status subresource; fails with Conflict when its resourceVersion is stale. */
  async updateStatus<T>(type: ResourceType, namespace: string, name: string, body: T): Promise<T> {
    return (await this.request(
      'update',
      type,
      HttpMethod.PUT,
      resourcePath(type, namespace, name, 'status'),
      {},
      body,
    )) as T;
  }

  async mergePatch<T>(
    type: ResourceType,
    namespace: string,
    name: string,
    patch: unknown,
  ): Promise<T> {
    return (await this.request(
      'patch',
      type,
      HttpMethod.PATCH,
      resourcePath(type, namespace, name),
      {},
      patch,
      'application/merge-patch+json',
    )) as T;
  }

  async delete(
    type: ResourceType,
    namespace: string,
    name: string,
    propagationPolicy = 'Background',
  ): Promise<void> {
    await this.request(
      'delete',
      type,
      HttpMethod.DELETE,
      resourcePath(type, namespace, name),
      {},
      { propagationPolicy },
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the item type it asked for
  async list<T>(
    type: ResourceType,
    query: Query & { namespace?: string } = {},
    signal?: AbortSignal,
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const { namespace, ...rest } = query;
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = (await this.request(
        'list',
        type,
        HttpMethod.GET,
        resourcePath(type, namespace),
        { ...rest, limit: 500, continue: continueToken },
        undefined,
        undefined,
        signal,
      )) as {
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  }

  /**
   * GET of a subresource that answers with text, not JSON (e.g. `pods/<name>/log`), as decoded
   * chunks while the server sends them; with `follow=true` the stream lasts until the server or
   * `signal` ends it. A refused request is an ApiError, as everywhere else; so is a failed connect.
   */
  async streamText(
    type: ResourceType,
    namespace: string,
    name: string,
    subresource: string,
    query: Query = {},
    signal?: AbortSignal,
  ): Promise<AsyncIterable<string>> {
    const url = new URL(this.server + resourcePath(type, namespace, name, subresource));
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const credentials = await this.auth.current();
    const resource = `${type.plural}/${subresource}`;
    const startedAt = performance.now();
    let response;
    try {
      response = await fetch(url, {
        headers: { ...credentials.headers, accept: '*/*' },
        ...dispatcherOf(credentials),
        signal: signal ?? null,
      });
    } catch (error) {
      this.count('get', resource, 0, startedAt);
      throw new ApiError(
        'Transient',
        `get ${resource}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    this.count('get', resource, response.status, startedAt);
    if (response.status === 401) this.auth.invalidate();
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      let status: StatusBody = {};
      try {
        status = JSON.parse(text) as StatusBody;
      } catch {
        // Not a Status object: the text itself is the best message there is.
      }
      throw ApiError.fromStatus(
        response.status,
        status.message ??
          (text.trim() || `get ${resource} failed with HTTP ${String(response.status)}`),
        status.reason === undefined ? {} : { reason: status.reason },
      );
    }
    // undici types the body's chunks as any; a fetch body yields bytes.
    const body = response.body as AsyncIterable<Uint8Array>;
    return (async function* decode() {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of body) {
          const text = decoder.decode(chunk, { stream: true });
          if (text !== '') yield text;
        }
      } catch (error) {
        if (signal?.aborted === true) return;
        throw new ApiError(
          'Transient',
          `get ${resource}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      const rest = decoder.decode();
      if (rest !== '') yield rest;
    })();
  }

  /** A list-watch source for an informer, optionally narrowed by a label selector. */
  listWatch<T>(
    type: ResourceType,
    options: { labelSelector?: string; namespace?: string } = {},
  ): ListWatchSource<T> {
    return {
      list: (signal) => this.list<T>(type, { ...options }, signal),
      watch: (resourceVersion, handlers, signal) =>
        this.watch(type, resourceVersion, options, handlers, signal),
    };
  }

  private async watch(
    type: ResourceType,
    resourceVersion: string,
    options: { labelSelector?: string; namespace?: string },
    handlers: WatchHandlers<unknown>,
    signal: AbortSignal,
  ): Promise<void> {
    const url = new URL(this.server + resourcePath(type, options.namespace));
    const query: Query = {
      watch: true,
      allowWatchBookmarks: true,
      resourceVersion,
      labelSelector: options.labelSelector,
      // The server ends watches after 5-10 minutes (spread so restarts don't align).
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
    };
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const credentials = await this.auth.current();
    const startedAt = performance.now();
    let response;
    try {
      response = await fetch(url, {
        headers: credentials.headers,
        ...dispatcherOf(credentials),
        signal,
      });
    } catch (error) {
      this.count('watch', type.plural, 0, startedAt);
      if (signal.aborted) {
        handlers.onClose();
        return;
      }
      throw new ApiError(
        'Transient',
        `watch ${type.plural}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    this.count('watch', type.plural, response.status, startedAt);
    // The informer retries the watch; let that retry read the credentials again.
    if (response.status === 401) this.auth.invalidate();
    if (response.status === 410) throw new ResourceVersionGoneError();
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      throw ApiError.fromStatus(
        response.status,
        `watch ${type.plural} failed with HTTP ${String(response.status)}: ${text}`,
      );
    }
    const body = Readable.fromWeb(response.body as never);
    const lines = createInterface({ input: body });
    let closed = false;
    const close = (error?: unknown): void => {
      if (closed) return;
      closed = true;
      lines.close();
      body.destroy();
      handlers.onClose(error);
    };
    // Aborting the request (watch restart, shutdown) makes the body stream emit an AbortError;
    // without a listener that 'error' event would crash the process.
    body.on('error', (error) => {
      close(signal.aborted || closed ? undefined : error);
    });
    lines.on('line', (line) => {
      if (closed || line.trim() === '') return;
      let event: { type?: string; object?: unknown };
      try {
        event = JSON.parse(line) as { type?: string; object?: unknown };
      } catch {
        close(new Error(`watch ${type.plural}: malformed event`));
        return;
      }
      if (event.type === 'ERROR') {
        const status = (event.object ?? {}) as StatusBody;
        close(
          status.code === 410
            ? new ResourceVersionGoneError(status.message)
            : ApiError.fromStatus(
                status.code,
                status.message ?? 'watch error',
                status.reason === undefined ? {} : { reason: status.reason },
              ),
        );
        return;
      }
      handlers.onEvent(event.type as WatchEventType, event.object);
    });
    lines.on('close', () => {
      close();
    });
    lines.on('error', (error) => {
      close(signal.aborted ? undefined : error);
    });
  }
}
