/**
 * An informer on our own list-watch: a cache of one resource kind kept current from the API
 * server, calling handlers on every change. Unlike the client library's informer it requests
 * bookmarks, relists on 410 Gone, restarts after ANY error with jittered backoff, and a watchdog
 * restarts a watch that has gone silent.
 */
import { systemClock, type Clock } from './clock.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface ObjectWithMeta {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string } | undefined;
}

/** Thrown (or passed to onClose) when the API server says our resourceVersion is too old. */
export class ResourceVersionGoneError extends Error {
  constructor(message = 'resource version too old (410 Gone)') {
    super(message);
    this.name = 'ResourceVersionGoneError';
  }
}

export interface WatchHandlers<T> {
  onEvent(type: WatchEventType, object: T): void;
  /** The stream ended: cleanly (no error), with ResourceVersionGoneError, or another error. */
  onClose(error?: unknown): void;
}

/** How an informer reaches the API server; implemented over the client in kube-client.ts. */
export interface ListWatchSource<T> {
  /** A consistent list and its resourceVersion. */
  list(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }>;
  /** Starts a watch from resourceVersion with bookmarks; resolves once the stream is open. */
  watch(resourceVersion: string, handlers: WatchHandlers<T>, signal: AbortSignal): Promise<void>;
}

export interface InformerHandlers<T> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, current: T): void;
  onDelete?(object: T): void;
}

export interface InformerOptions {
  /** For logs and metrics, e.g. "pods". */
  name: string;
  clock?: Clock;
  /** Restart a watch that delivered nothing (not even a bookmark) for this long. */
  watchdogMs?: number;
  /** Backoff after errors: starts here, doubles, capped at maxBackoffMs, with ±50 % jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
  random?: () => number;
}

export function objectKey(object: ObjectWithMeta): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '';
  return namespace ? `${namespace}/${name}` : name;
}

export class Informer<T extends ObjectWithMeta> {
  private readonly store = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private synced = false;
  private resourceVersion = '';
  private readonly clock: Clock;

  constructor(
    private readonly source: ListWatchSource<T>,
    private readonly options: InformerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
  }

  /** True once the first list has been stored. */
  hasSynced(): boolean {
    return this.synced;
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  size(): number {
    return this.store.size;
  }

  /** Keeps the cache current until the signal aborts. Never rejects because of API errors. */
  async run(signal: AbortSignal): Promise<void> {
    let backoff = this.options.initialBackoffMs ?? 800;
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist(signal);
          needList = false;
        }
        await this.watchOnce(signal);
        backoff = this.options.initialBackoffMs ?? 800;
      } catch (error) {
        if (isAborted(signal)) break;
        if (error instanceof ResourceVersionGoneError) {
          this.log('info', 'watch expired, relisting');
          needList = true;
          continue;
        }
        const random = this.options.random ?? Math.random;
        const delay = Math.round(backoff * (0.5 + random()));
        this.log('warn', 'list/watch failed, retrying', {
          error: describe(error),
          retryInMs: delay,
        });
        await this.clock.sleep(delay, signal).catch(() => undefined);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await this.source.list(signal);
    const seen = new Set<string>();
    for (const item of items) {
      const key = objectKey(item);
      seen.add(key);
      this.apply('ADDED', item);
    }
    for (const [key, object] of [...this.store]) {
      if (!seen.has(key)) {
        this.store.delete(key);
        this.handlers.forEach((h) => h.onDelete?.(object));
      }
    }
    this.resourceVersion = resourceVersion;
    this.synced = true;
  }

  private apply(type: WatchEventType, object: T): void {
    const key = objectKey(object);
    const previous = this.store.get(key);
    if (type === 'DELETED') {
      this.store.delete(key);
      this.handlers.forEach((h) => h.onDelete?.(previous ?? object));
      return;
    }
    if (
      previous?.metadata?.resourceVersion === object.metadata?.resourceVersion &&
      previous !== undefined
    )
      return;
    this.store.set(key, object);
    if (previous) this.handlers.forEach((h) => h.onUpdate?.(previous, object));
    else this.handlers.forEach((h) => h.onAdd?.(object));
  }

  /** One watch stream, until it closes (resolves) or fails (rejects). */
  private async watchOnce(signal: AbortSignal): Promise<void> {
    // An 'abort' listener never fires for a signal that has already aborted (e.g. during the list).
    if (signal.aborted) return;
    const watchdogMs = this.options.watchdogMs ?? 120_000;
    const stream = new AbortController();
    const state = { silent: false };
    const stop = (): void => {
      stream.abort();
    };
    signal.addEventListener('abort', stop, { once: true });
    let watchdog = this.clock.setTimer(watchdogMs, () => {
      state.silent = true;
      stream.abort();
    });
    const pet = (): void => {
      watchdog.cancel();
      watchdog = this.clock.setTimer(watchdogMs, () => {
        state.silent = true;
        stream.abort();
      });
    };
    try {
      await new Promise<void>((resolve, reject) => {
        stream.signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
        this.source
          .watch(
            this.resourceVersion,
            {
              onEvent: (type, object) => {
                pet();
                const version = object.metadata?.resourceVersion;
                if (version) this.resourceVersion = version;
                if (type !== 'BOOKMARK') this.apply(type, object);
              },
              onClose: (error) => {
                if (error === undefined) resolve();
                else reject(error instanceof Error ? error : new Error(describe(error)));
              },
            },
            stream.signal,
          )
          .catch(reject);
      });
      if (state.silent) this.log('warn', 'watch went silent, restarting', { watchdogMs });
    } finally {
      watchdog.cancel();
      signal.removeEventListener('abort', stop);
      stream.abort();
    }
  }

  private log(
    level: 'info' | 'warn' | 'error',
    message: string,
    fields: Record<string, unknown> = {},
  ): void {
    this.options.log?.(level, message, { informer: this.options.name, ...fields });
  }
}

/** Read through a call so TypeScript does not narrow a flag that changes asynchronously. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves once every informer has synced, or rejects when the signal aborts. */
export async function waitForCacheSync(
  informers: readonly { hasSynced(): boolean }[],
  signal: AbortSignal,
  clock: Clock = systemClock,
): Promise<void> {
  while (!informers.every((informer) => informer.hasSynced())) {
    await clock.sleep(50, signal);
  }
}
