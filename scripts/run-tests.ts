/**
 * Runs one tier of tests with node:test: `unit` (pure, seconds) or `integration` (the real local
 * control plane and real Locust). For integration it makes sure Locust's virtualenv exists and the
 * cluster is up, and stops the cluster afterwards if it started it (KEEP_CLUSTER=1 keeps it).
 * Extra arguments narrow the file list (substring match), e.g. `npm run test:unit -- render`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { clusterDown, clusterUp, isClusterUp } from './control-plane/cluster.ts';
import { clusterLayout } from './control-plane/layout.ts';
import { repoRoot } from './control-plane/versions.ts';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)))
    .sort();
}

function runNodeTest(files: string[], concurrency: number, env: NodeJS.ProcessEnv): number {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${String(concurrency)}`,
      '--test-reporter=spec',
      ...files,
    ],
    { cwd: repoRoot, stdio: 'inherit', env },
  );
  return result.status ?? 1;
}

async function main(): Promise<number> {
  const [tier, ...filters] = process.argv.slice(2);
  if (tier !== 'unit' && tier !== 'integration') {
    console.error('usage: run-tests.ts unit|integration [FILTER...]');
    return 2;
  }
  const files = testFiles(join(repoRoot, 'test', tier)).filter(
    (file) => filters.length === 0 || filters.some((filter) => file.includes(filter)),
  );
  if (files.length === 0) {
    console.error(`no ${tier} tests match ${filters.join(' ')}`);
    return 1;
  }
  if (tier === 'unit') return runNodeTest(files, 2, process.env);

  const setup = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-locust.sh')], {
    stdio: 'inherit',
  });
  if (setup.status !== 0) return setup.status ?? 1;
  const layout = clusterLayout();
  const wasUp = await isClusterUp(layout);
  await clusterUp(layout);
  try {
    return runNodeTest(files, 2, { ...process.env, KUBECONFIG: layout.kubeconfig });
  } finally {
    if (!wasUp && process.env.KEEP_CLUSTER !== '1') await clusterDown(layout);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
