/**
 * The pinned kubectl against one local cluster, asynchronous so the demo keeps handling Ctrl-C
 * while a call is in flight (cluster.ts's `kubectl` is synchronous and blocks the event loop).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterLayout } from '../control-plane/layout.ts';

/** Runs kubectl from `binDir` against `layout`'s admin kubeconfig; calls bound to one cluster. */
export type Kubectl = (args: string[]) => Promise<string>;

export function kubectlFor(layout: ClusterLayout, binDir: string): Kubectl {
  const binary = join(binDir, 'kubectl');
  // Another cluster's KUBECONFIG in the caller's environment must never leak into the demo's calls.
  const env = { ...process.env, KUBECONFIG: layout.kubeconfig };
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        binary,
        args,
        { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
        (error, stdout, stderr) => {
          if (error) {
            // kubectl can dump whole objects into an error; the first lines say what went wrong.
            const detail = (stderr.trim() || error.message)
              .split('\n')
              .slice(0, 3)
              .join('\n')
              .slice(0, 600);
            reject(new Error(`kubectl ${args.join(' ')}: ${detail}`));
          } else {
            resolve(stdout);
          }
        },
      );
    });
}

/**
 * Polls until the LocustTest CRD is Established. Neither `kubectl wait` nor a jsonpath filter:
 * right after creation the CRD has no conditions yet and both fail instead of waiting.
 */
export async function waitForEstablished(kubectl: Kubectl, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  const established = async (): Promise<boolean> => {
    const crd = JSON.parse(await kubectl(['get', 'crd/locusttests.locust.io', '-o', 'json'])) as {
      status?: { conditions?: { type?: string; status?: string }[] };
    };
    const conditions = crd.status?.conditions ?? [];
    return conditions.some((c) => c.type === 'Established' && c.status === 'True');
  };
  while (!(await established())) {
    if (Date.now() > deadline) throw new Error('the CRD was not Established within 60s');
    await sleep(200, undefined, { signal });
  }
}
