/**
 * Starts and stops one local cluster: etcd, kube-apiserver (RBAC, admission, service-account
 * tokens), kube-controller-manager, kube-scheduler and kwok, all on loopback, then registers the
 * fake nodes and waits until they are Ready.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureBinaries } from './build.ts';
import { clusterLayout, type ClusterLayout } from './layout.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { ensurePki } from './pki.ts';
import { livePid, startProcess, stopProcess, type ProcessSpec } from './processes.ts';

const components = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];
const serviceCidr = '10.96.0.0/16';

function processSpecs(layout: ClusterLayout, bin: string): ProcessSpec[] {
  const { ports, pkiDir, dir } = layout;
  const pki = (file: string): string => join(pkiDir, file);
  const kubeconfigOf = (name: string): string => join(dir, `${name}.kubeconfig`);
  const componentAuth = (name: string): string[] => [
    `--kubeconfig=${kubeconfigOf(name)}`,
    `--authentication-kubeconfig=${kubeconfigOf(name)}`,
    `--authorization-kubeconfig=${kubeconfigOf(name)}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
  ];
  return [
    {
      name: 'etcd',
      binary: join(bin, 'etcd'),
      args: [
        '--name=local',
        `--data-dir=${layout.etcdDataDir}`,
        `--listen-client-urls=http://127.0.0.1:${String(ports.etcdClient)}`,
        `--advertise-client-urls=http://127.0.0.1:${String(ports.etcdClient)}`,
        `--listen-peer-urls=http://127.0.0.1:${String(ports.etcdPeer)}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${String(ports.etcdPeer)}`,
        `--initial-cluster=local=http://127.0.0.1:${String(ports.etcdPeer)}`,
        '--quota-backend-bytes=8589934592',
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
    },
    {
      name: 'kube-apiserver',
      binary: join(bin, 'kube-apiserver'),
      args: [
        `--etcd-servers=http://127.0.0.1:${String(ports.etcdClient)}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${String(ports.apiserver)}`,
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--client-ca-file=${pki('ca.crt')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki('service-account.pub')}`,
        `--service-account-signing-key-file=${pki('service-account.key')}`,
        `--service-cluster-ip-range=${serviceCidr}`,
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        '--allow-privileged=true',
        '--profiling=false',
        '--v=1',
      ],
    },
    {
      name: 'kube-controller-manager',
      binary: join(bin, 'kube-controller-manager'),
      args: [
        ...componentAuth('kube-controller-manager'),
        `--secure-port=${String(ports.controllerManager)}`,
        `--cert-dir=${join(dir, 'controller-manager-certs')}`,
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki('service-account.key')}`,
        `--root-ca-file=${pki('ca.crt')}`,
        `--cluster-signing-cert-file=${pki('ca.crt')}`,
        `--cluster-signing-key-file=${pki('ca.key')}`,
        `--service-cluster-ip-range=${serviceCidr}`,
        // The local control plane must not be the bottleneck when benchmarks create thousands of pods.
        '--kube-api-qps=200',
        '--kube-api-burst=400',
        '--concurrent-job-syncs=20',
        '--v=1',
      ],
    },
    {
      name: 'kube-scheduler',
      binary: join(bin, 'kube-scheduler'),
      args: [
        ...componentAuth('kube-scheduler'),
        `--secure-port=${String(ports.scheduler)}`,
        `--cert-dir=${join(dir, 'scheduler-certs')}`,
        '--v=1',
      ],
    },
    {
      name: 'kwok',
      binary: join(bin, 'kwok'),
      args: [
        `--kubeconfig=${kubeconfigOf('kwok')}`,
        `--config=${join(dir, 'kwok.yaml')}`,
        '--v=WARN',
      ],
    },
  ];
}

function writeKwokConfig(layout: ClusterLayout): void {
  const options = [
    'apiVersion: config.kwok.x-k8s.io/v1alpha1',
    'kind: KwokConfiguration',
    'options:',
    '  manageAllNodes: false',
    '  manageNodesWithAnnotationSelector: kwok.x-k8s.io/node=fake',
    '  cidr: 10.244.0.1/16',
    '  nodeIP: 10.0.0.1',
    '  nodeLeaseDurationSeconds: 40',
    `  serverAddress: 127.0.0.1:${String(layout.ports.kwok)}`,
    '  podPlayStageParallelism: 16',
    '  nodePlayStageParallelism: 4',
    '  nodeLeaseParallelism: 4',
    '  podsOnNodeSyncParallelism: 4',
    '',
  ].join('\n');
  const stages = readFileSync(join(import.meta.dirname, 'kwok-stages.yaml'), 'utf8');
  writeFileSync(join(layout.dir, 'kwok.yaml'), `${options}---\n${stages}`);
}

function get(url: string, layout: ClusterLayout): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = url.startsWith('https:')
      ? {
          ca: readFileSync(join(layout.pkiDir, 'ca.crt')),
          cert: readFileSync(join(layout.pkiDir, 'admin.crt')),
          key: readFileSync(join(layout.pkiDir, 'admin.key')),
          // Controller-manager and scheduler serve self-signed certificates.
          rejectUnauthorized: url.includes(`:${String(layout.ports.apiserver)}/`),
          timeout: 2000,
        }
      : { timeout: 2000 };
    const req = (url.startsWith('https:') ? request : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  layout: ClusterLayout,
  component: string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    if (livePid(layout.dir, component) === undefined) {
      throw new Error(
        `${component} exited while waiting for ${what}; see ${join(layout.logDir, `${component}.log`)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; see ${join(layout.logDir, `${component}.log`)}`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () =>
      server.close(() => {
        resolve(true);
      }),
    );
  });
}

/** True when every component of the cluster is alive and the API server is ready. */
export async function isClusterUp(layout: ClusterLayout = clusterLayout()): Promise<boolean> {
  if (components.some((name) => livePid(layout.dir, name) === undefined)) return false;
  const ready = await get(
    `https://127.0.0.1:${String(layout.ports.apiserver)}/readyz`,
    layout,
  ).catch(() => undefined);
  return ready?.status === 200;
}

export function kubectl(
  layout: ClusterLayout,
  bin: string,
  args: string[],
  input?: string,
): string {
  return execFileSync(join(bin, 'kubectl'), args, {
    env: { ...process.env, KUBECONFIG: layout.kubeconfig },
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Brings the cluster up (building binaries first if needed). Idempotent. */
export async function clusterUp(
  layout: ClusterLayout = clusterLayout(),
  log: (line: string) => void = console.error,
): Promise<ClusterLayout> {
  const bin = await ensureBinaries(log);
  if (await isClusterUp(layout)) {
    log(`cluster ${layout.name} already running (kubeconfig ${layout.kubeconfig})`);
    return layout;
  }
  await clusterDown(layout);
  for (const [name, port] of Object.entries(layout.ports)) {
    if (!(await portFree(port))) {
      throw new Error(
        `port ${String(port)} (${name}) on 127.0.0.1 is in use: another cluster or program holds it; stop it or pick another LOCUST_CLUSTER name`,
      );
    }
  }
  const started = Date.now();
  rmSync(layout.logDir, { recursive: true, force: true });
  mkdirSync(layout.logDir, { recursive: true });
  ensurePki(layout.pkiDir);
  const server = `https://127.0.0.1:${String(layout.ports.apiserver)}`;
  writeKubeconfig(layout.kubeconfig, layout.pkiDir, 'admin', server, layout.name);
  for (const identity of ['kube-controller-manager', 'kube-scheduler', 'kwok']) {
    writeKubeconfig(
      join(layout.dir, `${identity}.kubeconfig`),
      layout.pkiDir,
      identity,
      server,
      layout.name,
    );
  }
  writeKwokConfig(layout);
  const specs = processSpecs(layout, bin);
  const spec = (name: string): ProcessSpec => {
    const found = specs.find((s) => s.name === name);
    if (!found) throw new Error(`no process spec for ${name}`);
    return found;
  };

  startProcess(layout.dir, layout.logDir, spec('etcd'));
  await waitUntil(
    'etcd health',
    async () =>
      (
        await get(`http://127.0.0.1:${String(layout.ports.etcdClient)}/health`, layout)
      ).body.includes('true'),
    30_000,
    layout,
    'etcd',
  );
  startProcess(layout.dir, layout.logDir, spec('kube-apiserver'));
  await waitUntil(
    'kube-apiserver readiness',
    async () => (await get(`${server}/readyz`, layout)).status === 200,
    120_000,
    layout,
    'kube-apiserver',
  );
  for (const name of ['kube-controller-manager', 'kube-scheduler', 'kwok']) {
    startProcess(layout.dir, layout.logDir, spec(name));
  }
  await waitUntil(
    'kube-controller-manager health',
    async () =>
      (await get(`https://127.0.0.1:${String(layout.ports.controllerManager)}/healthz`, layout))
        .status === 200,
    60_000,
    layout,
    'kube-controller-manager',
  );
  await waitUntil(
    'kube-scheduler health',
    async () =>
      (await get(`https://127.0.0.1:${String(layout.ports.scheduler)}/healthz`, layout)).status ===
      200,
    60_000,
    layout,
    'kube-scheduler',
  );

  kubectl(layout, bin, ['apply', '--server-side', '-f', join(import.meta.dirname, 'nodes.yaml')]);
  await waitUntil(
    'the fake nodes to be Ready',
    () =>
      Promise.resolve(
        kubectl(layout, bin, [
          'get',
          'nodes',
          '--selector=type=kwok',
          '-o',
          'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
        ])
          .trim()
          .split('\n')
          .every((status) => status === 'True'),
      ),
    120_000,
    layout,
    'kwok',
  );
  // Pods can only be admitted once the controller manager has created a namespace's default ServiceAccount.
  await waitUntil(
    'the default ServiceAccount',
    () =>
      Promise.resolve(
        kubectl(layout, bin, [
          'get',
          'serviceaccounts',
          '--namespace=default',
          '-o',
          'name',
        ]).includes('serviceaccount/default'),
      ),
    60_000,
    layout,
    'kube-controller-manager',
  );
  log(
    `cluster ${layout.name} up in ${String(Math.round((Date.now() - started) / 100) / 10)}s: ${server} (kubeconfig ${layout.kubeconfig})`,
  );
  return layout;
}

/** Stops every process of the cluster and deletes its state. Safe to call when nothing runs. */
export async function clusterDown(layout: ClusterLayout = clusterLayout()): Promise<void> {
  if (!existsSync(layout.dir)) return;
  for (const name of [...components].reverse()) {
    await stopProcess(layout.dir, name);
  }
  // Logs stay for post-mortems; everything else (data, credentials) goes.
  for (const entry of readdirSync(layout.dir)) {
    if (entry !== 'logs') rmSync(join(layout.dir, entry), { recursive: true, force: true });
  }
}
