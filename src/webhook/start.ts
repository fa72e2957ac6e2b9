/**
 * The webhook as the operator starts it (`--enable-webhooks`): wait for cert-manager's files, load
 * them, serve, and reload them when they change. The operator adds `ready()` to `/readyz`.
 */
import type { Logger } from 'pino';
import { loadCertificate, waitForCertificateFiles, watchCertificate } from './certificates.ts';
import { serveWebhooks, type WebhookServerOptions } from './server.ts';

/** Upstream's fixed webhook port. */
export const defaultWebhookPort = 9443;

/** Options of {@link startWebhookServer}. */
export interface StartWebhookOptions extends Omit<
  WebhookServerOptions,
  'certificate' | 'host' | 'port'
> {
  /** Default 9443. */
  readonly port?: number;
  /** Default `0.0.0.0` (all interfaces, as upstream). */
  readonly host?: string;
  /** `--webhook-cert-path`. */
  readonly certDir: string;
  /** `--webhook-cert-name`, default `tls.crt`. */
  readonly certName?: string;
  /** `--webhook-cert-key`, default `tls.key`. */
  readonly keyName?: string;
  /** `--webhook-cert-wait-timeout` in ms; default 120 000; 0 waits forever. */
  readonly certWaitTimeoutMs?: number;
  /** The fallback stat interval of the certificate watch; default 10 000 ms. */
  readonly certPollMs?: number;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** A started webhook. */
export interface StartedWebhook {
  readonly host: string;
  readonly port: number;
  /** True while serving with a loaded certificate: the `/readyz` `webhook` check. */
  ready(): boolean;
  /** Resolves once the server has closed after the signal aborted. */
  readonly closed: Promise<void>;
}

/**
 * Waits for the certificate files (rejecting after the timeout with an error that mentions
 * cert-manager), loads them (rejecting if they do not form a valid pair), starts the HTTPS server
 * and keeps the certificate current. Rejects if the port cannot be bound.
 */
export async function startWebhookServer(options: StartWebhookOptions): Promise<StartedWebhook> {
  const files = {
    dir: options.certDir,
    ...(options.certName === undefined ? {} : { certName: options.certName }),
    ...(options.keyName === undefined ? {} : { keyName: options.keyName }),
  };
  const log = options.log.child({ server: 'webhook' });
  await waitForCertificateFiles({
    ...files,
    signal: options.signal,
    log,
    ...(options.certWaitTimeoutMs === undefined ? {} : { timeoutMs: options.certWaitTimeoutMs }),
  });
  const initial = await loadCertificate(files);
  const server = await serveWebhooks({
    ...options,
    log,
    host: options.host ?? '0.0.0.0',
    port: options.port ?? defaultWebhookPort,
    certificate: initial,
  });
  const watch = watchCertificate({
    ...files,
    signal: options.signal,
    log,
    initial,
    onChange: (pair) => {
      server.setCertificate(pair);
    },
    ...(options.certPollMs === undefined ? {} : { pollMs: options.certPollMs }),
  });
  log.info(
    { dir: options.certDir, fingerprint256: initial.fingerprint256, validTo: initial.validTo },
    'webhook certificate loaded',
  );
  let closed = false;
  return {
    host: server.host,
    port: server.port,
    ready: () => !closed && !options.signal.aborted && watch.ready(),
    closed: server.closed.then(() => {
      closed = true;
    }),
  };
}
