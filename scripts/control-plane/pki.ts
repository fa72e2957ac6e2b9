/**
 * Certificates and keys for one local cluster, made with the system's openssl: a CA, the API
 * server's serving certificate, client certificates for each component, and the service-account
 * signing key pair. Idempotent: existing files are kept.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientIdentity {
  /** File stem, e.g. "admin". */
  name: string;
  commonName: string;
  organization?: string;
}

export const clientIdentities: ClientIdentity[] = [
  { name: 'admin', commonName: 'kubernetes-admin', organization: 'system:masters' },
  { name: 'kube-controller-manager', commonName: 'system:kube-controller-manager' },
  { name: 'kube-scheduler', commonName: 'system:kube-scheduler' },
  // kwok plays every kubelet: it writes node and pod status and node leases.
  { name: 'kwok', commonName: 'kwok-controller', organization: 'system:masters' },
];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(dir: string, stem: string): void {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${stem}.key`], dir);
}

function signedCert(dir: string, stem: string, subject: string, extensions: string): void {
  newKey(dir, stem);
  openssl(['req', '-new', '-key', `${stem}.key`, '-out', `${stem}.csr`, '-subj', subject], dir);
  writeFileSync(join(dir, `${stem}.ext`), extensions);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${stem}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${stem}.crt`,
      '-days',
      '3650',
      '-sha256',
      '-extfile',
      `${stem}.ext`,
    ],
    dir,
  );
}

/** Creates the cluster's PKI in dir unless it is already there. */
export function ensurePki(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, 'complete'))) return;
  newKey(dir, 'ca');
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-sha256',
      '-subj',
      '/CN=locust-operator-local-ca',
    ],
    dir,
  );
  signedCert(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
        'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
      '',
    ].join('\n'),
  );
  for (const identity of clientIdentities) {
    const subject = identity.organization
      ? `/O=${identity.organization}/CN=${identity.commonName}`
      : `/CN=${identity.commonName}`;
    signedCert(
      dir,
      identity.name,
      subject,
      'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
    );
  }
  newKey(dir, 'service-account');
  openssl(['ec', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub'], dir);
  writeFileSync(join(dir, 'complete'), '');
}
