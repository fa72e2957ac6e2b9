/**
 * Entry point of the npm scripts cluster:build, cluster:up, cluster:down, cluster:kubeconfig and
 * kubectl. The cluster is chosen by LOCUST_CLUSTER (default "local").
 */
import { spawnSync } from 'node:child_process';
import { binaryPath, ensureBinaries } from './build.ts';
import { clusterDown, clusterUp } from './cluster.ts';
import { clusterLayout } from './layout.ts';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const layout = clusterLayout();
  switch (command) {
    case 'build':
      await ensureBinaries();
      return 0;
    case 'up':
      await clusterUp(layout);
      return 0;
    case 'down':
      await clusterDown(layout);
      console.error(`cluster ${layout.name} stopped`);
      return 0;
    case 'kubeconfig':
      console.log(layout.kubeconfig);
      return 0;
    case 'kubectl': {
      const result = spawnSync(binaryPath('kubectl'), rest, {
        stdio: 'inherit',
        env: { ...process.env, KUBECONFIG: layout.kubeconfig },
      });
      return result.status ?? 1;
    }
    default:
      console.error('usage: cli.ts build|up|down|kubeconfig|kubectl [ARGS...]');
      return 2;
  }
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
