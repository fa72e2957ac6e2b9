/**
 * Entry point of `npm run helm -- ARGS`: the pinned helm (built on first use), pointed at the
 * local cluster named by LOCUST_CLUSTER like `npm run kubectl` (helm's own `--kubeconfig` flag
 * still wins, so another cluster is always an explicit choice).
 */
import { spawnSync } from 'node:child_process';
import { clusterLayout } from '../layout.ts';
import { ensureHelm } from './build.ts';

async function main(args: string[]): Promise<number> {
  const helm = await ensureHelm();
  const result = spawnSync(helm, args, {
    stdio: 'inherit',
    env: { ...process.env, KUBECONFIG: clusterLayout().kubeconfig },
  });
  return result.status ?? 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
