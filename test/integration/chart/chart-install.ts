/**
 * Installing the Helm chart into a local cluster and running the operator as a local process with
 * the identity the chart gives it: a token of the chart's ServiceAccount, the args and env of the
 * chart's Deployment. Nothing runs in a pod (there is no container runtime), so `replicaCount=0`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { ensureHelm } from '../../../scripts/control-plane/helm/build.ts';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';
import { eventually } from '../../support/eventually.ts';
import type { TestClients } from '../../support/kube.ts';
import { superviseOperator, type OperatorChild } from '../../support/operator-child.ts';

export const chartDir = join(repoRoot, 'charts', 'locust-operator');

const helm = await ensureHelm();

/** Runs the pinned helm against the cluster of `kubeconfig`; fails the test on a non-zero exit. */
export function runHelm(kubeconfig: string, args: readonly string[]): string {
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  assert.equal(result.status, 0, `helm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export interface Installation {
  release: string;
  namespace: string;
  /** The chart's full name (fullnameOverride): the Deployment, Role and ServiceAccount name. */
  fullname: string;
  /** `helm install` output, NOTES included. */
  notes: string;
}

/**
 * `helm install` of the chart into `namespace` with no operator pod. The full name is unique so
 * cluster-scoped objects of several installations never collide; `helm uninstall` runs at the end.
 */
export function installChart(
  t: TestContext,
  kubeconfig: string,
  namespace: string,
  sets: readonly string[] = [],
): Installation {
  const suffix = randomBytes(3).toString('hex');
  const release = `lo-${suffix}`;
  const fullname = `locust-operator-${suffix}`;
  const notes = runHelm(kubeconfig, [
    'install',
    release,
    chartDir,
    '--namespace',
    namespace,
    '--set',
    'replicaCount=0',
    '--set',
    `fullnameOverride=${fullname}`,
    ...sets.flatMap((set) => ['--set', set]),
  ]);
  t.after(() => {
    // Best effort: a test may have uninstalled it already.
    spawnSync(helm, ['uninstall', release, '--namespace', namespace, '--ignore-not-found'], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
  });
  return { release, namespace, fullname, notes };
}

/** `helm uninstall`; fails the test on a non-zero exit. */
export function uninstallChart(kubeconfig: string, installation: Installation): void {
  runHelm(kubeconfig, ['uninstall', installation.release, '--namespace', installation.namespace]);
}

/**
 * A kubeconfig for the ServiceAccount: a fresh token from the TokenRequest API, with the server
 * and CA of the admin kubeconfig. Deleted when the test ends.
 */
export async function serviceAccountKubeconfig(
  t: TestContext,
  clients: TestClients,
  namespace: string,
  serviceAccount: string,
): Promise<string> {
  const request = await clients.core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  assert.ok(token, 'the API server issued a token');
  const cluster = clients.kubeConfig.getCurrentCluster();
  assert.ok(cluster);
  const dir = mkdtempSync(join(tmpdir(), 'locust-operator-sa-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'cluster',
        cluster: {
          server: cluster.server,
          ...(cluster.caData === undefined ? {} : { 'certificate-authority-data': cluster.caData }),
          ...(cluster.caFile === undefined ? {} : { 'certificate-authority': cluster.caFile }),
        },
      },
    ],
    users: [{ name: serviceAccount, user: { token } }],
    contexts: [
      { name: serviceAccount, context: { cluster: 'cluster', user: serviceAccount, namespace } },
    ],
    'current-context': serviceAccount,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

export interface ChartCommand {
  args: string[];
  env: Record<string, string>;
}

/**
 * The operator's args and env exactly as the installed Deployment gives them, with the downward-API
 * POD_NAMESPACE resolved as the kubelet would.
 */
export async function chartCommand(
  clients: TestClients,
  installation: Installation,
): Promise<ChartCommand> {
  const deployment: V1Deployment = await clients.apps.readNamespacedDeployment({
    name: installation.fullname,
    namespace: installation.namespace,
  });
  const container = deployment.spec?.template.spec?.containers[0];
  assert.ok(container?.args);
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = entry.value;
    else if (entry.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace')
      env[entry.name] = installation.namespace;
  }
  assert.equal(env.POD_NAMESPACE, installation.namespace);
  return { args: container.args, env };
}

export interface OperatorProcess extends OperatorChild {
  /** The first log line any of whose string values matches. */
  logged(pattern: RegExp): Record<string, unknown> | undefined;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/**
 * Starts src/main.ts with the chart's args and env, as the ServiceAccount of `kubeconfig`. Local
 * overrides come last (the last occurrence of a flag wins): the kubeconfig, a free probe port.
 */
export function startOperatorAs(
  t: TestContext,
  kubeconfig: string,
  command: ChartCommand,
  extraArgs: readonly string[] = [],
): OperatorProcess {
  // The admin kubeconfig must not leak in: the ServiceAccount's is the only identity.
  const inherited = { ...process.env };
  delete inherited.KUBECONFIG;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src/main.ts'),
      ...command.args,
      `--kubeconfig=${kubeconfig}`,
      '--health-probe-bind-address=127.0.0.1:0',
      ...extraArgs,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...inherited, ...command.env } },
  );
  const supervised = superviseOperator(t, child);
  const operator: OperatorProcess = {
    ...supervised,
    logged: (pattern) => supervised.logs.find((line) => strings(line).some((s) => pattern.test(s))),
  };
  return operator;
}

/** Waits for a log line matching the pattern and returns it. */
export function waitForLog(
  operator: OperatorProcess,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  return eventually(() => operator.logged(pattern), {
    description: `a log line matching ${String(pattern)}`,
    timeoutMs,
    intervalMs: 100,
  });
}

/** The log line's message and the part of it that matched, for test diagnostics. */
export function describeMatch(line: Record<string, unknown>, pattern: RegExp): string {
  const text = strings(line).find((s) => pattern.test(s)) ?? '';
  const at = text.search(pattern);
  return `${String(line.msg)}: …${text.slice(Math.max(0, at - 160), at + 120)}…`;
}

/** Any "forbidden" answer the operator logged (the API server's wording for a missing rule). */
export const forbidden = /forbidden: User "system:serviceaccount:/;
