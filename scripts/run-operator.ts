/**
 * `npm run operator -- [flags]`: builds and runs the operator (dist/main.js) with the given flags.
 * Kubeconfig: `--kubeconfig`, else KUBECONFIG, else the local cluster's admin kubeconfig (cluster
 * from LOCUST_CLUSTER, default "local"). Exits with the operator's code.
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { clusterLayout } from './control-plane/layout.ts';
import { buildOperator, startOperator } from './demo/operator-process.ts';
import { onParentLost } from './demo/parent-watch.ts';

/** Signals the terminal and npm both deliver for one Ctrl-C arrive within this window. */
const duplicateSignalWindowMs = 1000;

function kubeconfigArgs(args: string[]): string[] {
  const given = args.some((arg) => arg === '--kubeconfig' || arg.startsWith('--kubeconfig='));
  if (given || process.env.KUBECONFIG) return [];
  const layout = clusterLayout();
  if (!existsSync(layout.kubeconfig)) {
    throw new Error(
      `no --kubeconfig, no KUBECONFIG, and cluster ${layout.name} has no kubeconfig at ${layout.kubeconfig}: start it with \`npm run cluster:up\` (LOCUST_CLUSTER=${layout.name})`,
    );
  }
  console.error(`using cluster ${layout.name} (kubeconfig ${layout.kubeconfig})`);
  return ['--kubeconfig', layout.kubeconfig];
}

async function main(args: string[]): Promise<number> {
  const extra = kubeconfigArgs(args);
  await buildOperator();
  const operator = startOperator({ args: [...extra, ...args] });
  let lastForwarded = 0;
  const forward = (signal: NodeJS.Signals): void => {
    // One Ctrl-C reaches us twice (from the terminal and from npm, which forwards it); pass it on
    // once, so the operator shuts down gracefully. A later one is the user insisting.
    const now = Date.now();
    if (now - lastForwarded < duplicateSignalWindowMs) return;
    lastForwarded = now;
    operator.child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  onParentLost(() => {
    forward('SIGTERM');
  });
  // The child is in its own process group; never leave it behind if we die of an error.
  process.on('exit', () => {
    if (operator.child.exitCode === null && operator.child.signalCode === null) {
      operator.child.kill('SIGTERM');
    }
  });
  const { code, signal } = await operator.exited;
  if (code !== null) return code;
  return 128 + (signal === null ? 0 : constants.signals[signal]);
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
