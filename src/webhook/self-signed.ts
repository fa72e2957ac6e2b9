/**
 * A throwaway CA and serving certificate for local runs and tests, where cert-manager is absent:
 * the API server (or a test client) trusts the CA through `caBundle`, and the webhook serves the
 * leaf. ECDSA P-256 keys: fast to generate and accepted by every TLS 1.2+ client.
 */
import { webcrypto } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { loadX509 } from './reflect-metadata.ts';

/** A CA and a serving certificate it signed, PEM-encoded. */
export interface SelfSignedCertificate {
  /** The CA certificate: what clients trust (a webhook's `caBundle`, base64 of this). */
  readonly caPem: string;
  /** The serving certificate. */
  readonly certPem: string;
  /** The serving certificate's private key, PKCS#8. */
  readonly keyPem: string;
}

/** Options of {@link generateSelfSigned}. */
export interface SelfSignedOptions {
  /** Validity from now; default 365 days. */
  readonly validityDays?: number;
  /** Start of validity; default one hour ago, so a slightly slow client clock still accepts it. */
  readonly notBefore?: Date;
  /** The CA's common name; default `locust-operator-webhook-ca`. */
  readonly caName?: string;
}

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 86_400_000;

/** Escapes a value for an X.500 name string (RFC 4514), so any host can be a common name. */
function rdnValue(value: string): string {
  return value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`);
}

/**
 * Creates a CA and a serving certificate for `hosts`: DNS names and IP addresses (e.g.
 * `['localhost', '127.0.0.1']`, or `['<svc>.<ns>.svc']` in a cluster), all as subjectAltNames,
 * the first also as the common name. Throws when `hosts` is empty.
 */
export async function generateSelfSigned(
  hosts: readonly string[],
  options: SelfSignedOptions = {},
): Promise<SelfSignedCertificate> {
  const first = hosts[0];
  if (first === undefined) throw new Error('generateSelfSigned: at least one host is required');
  const x509 = await loadX509();
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 365) * dayMs);

  const caKeys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${rdnValue(options.caName ?? 'locust-operator-webhook-ca')}`,
      keys: caKeys,
      signingAlgorithm: algorithm,
      notBefore,
      notAfter,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );

  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const names = hosts.map((host) => ({ type: isIP(host) ? 'ip' : 'dns', value: host }) as const);
  const leaf = await x509.X509CertificateGenerator.create(
    {
      subject: `CN=${rdnValue(first)}`,
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: algorithm,
      notBefore,
      notAfter,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.AuthorityKeyIdentifierExtension.create(ca, false, webcrypto),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );

  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    caPem: ca.toString('pem') + '\n',
    certPem: leaf.toString('pem') + '\n',
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n',
  };
}

/** File names written by {@link writeSelfSigned}; cert-manager's Secret layout. */
export const selfSignedFileNames = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;

/**
 * Writes `tls.crt`, `tls.key` (mode 0600) and `ca.crt` into `dir`, creating it. Each file is
 * written to a temporary name and renamed, so a watcher never reads half a file; the key is
 * renamed first, the certificate last, so the pair is complete when the certificate changes.
 */
export async function writeSelfSigned(dir: string, pair: SelfSignedCertificate): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: [string, string, number][] = [
    [selfSignedFileNames.key, pair.keyPem, 0o600],
    [selfSignedFileNames.ca, pair.caPem, 0o644],
    [selfSignedFileNames.cert, pair.certPem, 0o644],
  ];
  for (const [name, content, mode] of files) {
    const temporary = join(dir, `.${name}.${String(process.pid)}.tmp`);
    await writeFile(temporary, content, { mode });
    await rename(temporary, join(dir, name));
  }
}
