/** The pinned kubectl against the test cluster, for tests that exercise the user's own path. */
import { spawnSync } from 'node:child_process';
import { binaryPath } from '../../scripts/control-plane/build.ts';
import { testKubeconfigPath } from './cluster.ts';

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with the given arguments (and optional stdin); never throws on a non-zero exit. */
export function kubectl(args: readonly string[], input?: string): KubectlResult {
  const result = spawnSync(binaryPath('kubectl'), args, {
    env: { ...process.env, KUBECONFIG: testKubeconfigPath() },
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
