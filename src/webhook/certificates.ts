/**
 * The webhook's serving certificate, read from a directory in cert-manager's Secret layout
 * (`tls.crt`, `tls.key`) and reloaded when the files change, as controller-runtime's certwatcher
 * does: cert-manager renews the Secret, the kubelet swaps the mounted files, and new TLS
 * handshakes present the new certificate without a restart.
 */
import { X509Certificate } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';

export { generateSelfSigned, writeSelfSigned, type SelfSignedCertificate } from './self-signed.ts';

/** Where the serving certificate lives; names default to cert-manager's. */
export interface CertificateFiles {
  readonly dir: string;
  /** `--webhook-cert-name`, default `tls.crt`. */
  readonly certName?: string;
  /** `--webhook-cert-key`, default `tls.key`. */
  readonly keyName?: string;
}

/** A loaded certificate and key, PEM, checked to belong together. */
export interface ServingCertificate {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint of the leaf, `AA:BB:...`, for logs and tests. */
  readonly fingerprint256: string;
  readonly validTo: string;
}

function paths(files: CertificateFiles): { cert: string; key: string } {
  return {
    cert: join(files.dir, files.certName ?? 'tls.crt'),
    key: join(files.dir, files.keyName ?? 'tls.key'),
  };
}

/**
 * Reads the pair and checks it the way the TLS server will use it (parsable, key matches the
 * certificate), so a half-written or mismatched pair is refused instead of breaking handshakes.
 */
export async function loadCertificate(files: CertificateFiles): Promise<ServingCertificate> {
  const where = paths(files);
  const [cert, key] = await Promise.all([
    readFile(where.cert, 'utf8'),
    readFile(where.key, 'utf8'),
  ]);
  createSecureContext({ cert, key });
  const leaf = new X509Certificate(cert);
  return { cert, key, fingerprint256: leaf.fingerprint256, validTo: leaf.validTo };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Options of {@link waitForCertificateFiles}. */
export interface WaitOptions extends CertificateFiles {
  /** `--webhook-cert-wait-timeout` in ms; 0 waits forever. Default 120 000. */
  readonly timeoutMs?: number;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Default 1 000 (upstream's poll interval). */
  readonly pollMs?: number;
  /** Default 10 000 (upstream logs every 10 s while waiting). */
  readonly logEveryMs?: number;
}

/**
 * Resolves once both files exist. Rejects after the timeout with an error naming the files and
 * cert-manager (the usual reason they are missing), or with the signal's reason when it aborts.
 */
export async function waitForCertificateFiles(options: WaitOptions): Promise<void> {
  const where = paths(options);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 1_000;
  const logEveryMs = options.logEveryMs ?? 10_000;
  const started = Date.now();
  let lastLog = started;
  for (;;) {
    options.signal.throwIfAborted();
    if ((await exists(where.cert)) && (await exists(where.key))) return;
    const waited = Date.now() - started;
    if (timeoutMs > 0 && waited >= timeoutMs) {
      throw new Error(
        `webhook certificate files ${where.cert} and ${where.key} did not appear within ` +
          `${String(Math.round(timeoutMs / 1000))}s: is cert-manager installed and has it issued ` +
          `the webhook Certificate (and is its Secret mounted at ${options.dir})? ` +
          'Raise --webhook-cert-wait-timeout (0 waits forever) if issuance is slow',
      );
    }
    if (Date.now() - lastLog >= logEveryMs) {
      lastLog = Date.now();
      options.log.info(
        { cert: where.cert, key: where.key, waitedSeconds: Math.round(waited / 1000) },
        'waiting for the webhook certificate files (issued by cert-manager)',
      );
    }
    const delay = timeoutMs > 0 ? Math.min(pollMs, timeoutMs - waited) : pollMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(1, delay));
      function done(): void {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      }
      options.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Options of {@link watchCertificate}. */
export interface WatchOptions extends CertificateFiles {
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Called with each newly loaded pair that differs from the previous one. */
  readonly onChange: (certificate: ServingCertificate) => void;
  /** The pair already in use, if the caller loaded it first. */
  readonly initial?: ServingCertificate;
  /** The fallback stat check; default 10 000 ms. */
  readonly pollMs?: number;
  /** Quiet time after a file event before reloading, so both files are replaced; default 100. */
  readonly debounceMs?: number;
}

/** A running watch. */
export interface CertificateWatch {
  /** True once a pair has been loaded (for the operator's `/readyz`). */
  ready(): boolean;
  /** The pair in use, if any. */
  current(): ServingCertificate | undefined;
  /** Re-reads the files now; resolves true when a new pair was taken. */
  reload(): Promise<boolean>;
}

async function statSignature(files: CertificateFiles): Promise<string> {
  const where = paths(files);
  const parts = await Promise.all(
    [where.cert, where.key].map((path) =>
      stat(path).then(
        // stat follows the kubelet's ..data symlink, so an atomic swap changes ino and times.
        (s) => `${String(s.ino)}:${String(s.size)}:${String(s.mtimeMs)}:${String(s.ctimeMs)}`,
        () => 'missing',
      ),
    ),
  );
  return parts.join('|');
}

/**
 * Watches the directory (fs.watch: renames and writes of either file, including the kubelet's
 * `..data` symlink swap) and, as a fallback for file systems without events, stats both files
 * every `pollMs`. A change reloads the pair; a pair that fails to load (e.g. the key replaced but
 * not yet the certificate) is logged and the previous one kept until the next change. Stops when
 * the signal aborts.
 */
export function watchCertificate(options: WatchOptions): CertificateWatch {
  let current = options.initial;
  let signature = '';
  let reloading: Promise<boolean> | undefined;
  let debounce: NodeJS.Timeout | undefined;

  async function load(): Promise<boolean> {
    signature = await statSignature(options);
    const next = await loadCertificate(options).catch((error: unknown) => {
      options.log.warn({ err: error, dir: options.dir }, 'webhook certificate not (re)loaded');
      // Forget what was seen, so the next poll retries even if the files do not change again.
      signature = '';
      return undefined;
    });
    if (!next || (next.cert === current?.cert && next.key === current.key)) return false;
    options.onChange(next);
    current = next;
    options.log.info(
      { dir: options.dir, fingerprint256: next.fingerprint256, validTo: next.validTo },
      'webhook certificate loaded',
    );
    return true;
  }

  function reload(): Promise<boolean> {
    // One load at a time; a change seen during a load is picked up by the next event or poll.
    reloading ??= load()
      .catch((error: unknown) => {
        // onChange refused the pair: keep serving the previous one rather than crash.
        options.log.error({ err: error, dir: options.dir }, 'webhook certificate not applied');
        return false;
      })
      .finally(() => {
        reloading = undefined;
      });
    return reloading;
  }

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.dir, { persistent: false }, () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void reload(), options.debounceMs ?? 100);
      debounce.unref();
    });
    watcher.on('error', (error) => {
      options.log.warn({ err: error, dir: options.dir }, 'certificate directory watch failed');
    });
  } catch (error) {
    options.log.warn({ err: error, dir: options.dir }, 'cannot watch the certificate directory');
  }
  const poll = setInterval(() => {
    void statSignature(options).then((next) => {
      if (next !== signature) void reload();
    });
  }, options.pollMs ?? 10_000);
  poll.unref();

  const stop = (): void => {
    watcher?.close();
    clearInterval(poll);
    clearTimeout(debounce);
  };
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  void statSignature(options).then((s) => {
    signature = s;
  });
  if (!current) void reload();

  return { ready: () => current !== undefined, current: () => current, reload };
}
