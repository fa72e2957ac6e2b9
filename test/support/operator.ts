/**
 * The operator as a child process (the real entry point, src/main.ts), watching one test's
 * namespace so tests running side by side never see each other's LocustTests; and the CRD it needs.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot } from '../../scripts/control-plane/versions.ts';
import { testKubeconfigPath } from './cluster.ts';
import { eventually } from './eventually.ts';
import type { TestClients } from './kube.ts';
import { kubectl } from './kubectl.ts';
import { superviseOperator, type OperatorChild } from './operator-child.ts';

let crdInstalled: Promise<void> | undefined;

/** Applies deploy/crd once per process and waits until the API server serves it. */
export function ensureCrd(clients: TestClients): Promise<void> {
  crdInstalled ??= (async () => {
    const applied = kubectl([
      'apply',
      '-f',
      join(repoRoot, 'deploy/crd/locust.io_locusttests.yaml'),
    ]);
    assert.equal(applied.status, 0, applied.stderr);
    await waitForCrdEstablished(clients);
  })();
  return crdInstalled;
}

/** Waits until the API server reports the LocustTest CRD Established (it then serves it). */
export async function waitForCrdEstablished(
  clients: TestClients,
  description = 'the LocustTest CRD to be Established',
): Promise<void> {
  await eventually(
    async () => {
      const crd = await clients.apiextensions.readCustomResourceDefinition({
        name: 'locusttests.locust.io',
      });
      return (
        crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ||
        undefined
      );
    },
    { description },
  );
}

export interface OperatorProcess extends OperatorChild {
  child: ChildProcess;
  hasLogged(message: string): boolean;
}

export interface OperatorProcessOptions {
  namespace: string;
  podGracePeriod?: string;
  args?: string[];
}

/** Starts the operator for one namespace; it is killed when the test ends. */
export function startOperator(t: TestContext, options: OperatorProcessOptions): OperatorProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src/main.ts'),
      `--kubeconfig=${testKubeconfigPath()}`,
      `--watch-namespace=${options.namespace}`,
      '--health-probe-bind-address=127.0.0.1:0',
      `--pod-health-grace-period=${options.podGracePeriod ?? '2m'}`,
      '--shutdown-timeout=5s',
      ...(options.args ?? []),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const supervised = superviseOperator(t, child);
  const operator: OperatorProcess = {
    child,
    ...supervised,
    hasLogged: (message) => supervised.logs.some((line) => line.msg === message),
  };
  return operator;
}

/** Waits until the operator's workers run (its caches are synced). */
export async function waitUntilReconciling(operator: OperatorProcess): Promise<void> {
  await eventually(() => operator.hasLogged('starting workers') || undefined, {
    description: 'the operator to start its workers',
    timeoutMs: 60_000,
  });
}
