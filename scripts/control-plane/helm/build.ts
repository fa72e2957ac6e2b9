/**
 * Builds the pinned Helm CLI from its own Go wrapper module (this directory), once per version set,
 * with the control plane's caching scheme: the cache key hashes go.mod, go.sum, tools.go, the Go
 * version and the ldflags, so only a pin change rebuilds. Helm has its own module because it
 * requires newer k8s.io modules than the control plane's v0.36.3 pins.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { toolCacheDir } from '../versions.ts';

export const helmModuleDir = import.meta.dirname;

const goEnv = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-trimpath' };
const hashedFiles = ['go.mod', 'go.sum', 'tools.go'];

/** The version go.mod requires of `module` (e.g. "v3.22.0"). */
function requiredVersion(module: string): string {
  const goMod = readFileSync(join(helmModuleDir, 'go.mod'), 'utf8');
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`${module} is not required by ${helmModuleDir}/go.mod`);
  return match[1];
}

/** The pinned Helm version, read from go.mod so there is a single source of truth. */
export function helmVersion(): string {
  return requiredVersion('helm.sh/helm/v3');
}

/**
 * Helm's release ldflags (its Makefile's): the version `helm version` prints, and the Kubernetes
 * version `helm template`/`lint` assume for `.Capabilities.KubeVersion`, which Helm derives from
 * its client-go version (v0.X.Y means Kubernetes 1.X).
 */
export function helmLdflags(): string {
  const [, minor] = requiredVersion('k8s.io/client-go').replace(/^v/, '').split('.');
  if (minor === undefined) throw new Error('cannot read the client-go version from go.mod');
  return [
    '-s -w',
    `-X helm.sh/helm/v3/internal/version.version=${helmVersion()}`,
    '-X helm.sh/helm/v3/internal/version.gitTreeState=clean',
    ...['pkg/lint/rules', 'pkg/chartutil'].flatMap((pkg) => [
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1`,
      `-X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${minor}`,
    ]),
  ].join(' ');
}

/** The directory holding the helm binary for the current pins (may not exist yet). */
export function helmBinDir(): string {
  const hash = createHash('sha256');
  for (const file of hashedFiles) {
    hash.update(file).update(readFileSync(join(helmModuleDir, file)));
  }
  const go = execFileSync('go', ['version'], { env: goEnv, encoding: 'utf8' }).trim();
  hash.update(go).update(helmLdflags());
  return join(toolCacheDir, 'bin', `helm-${hash.digest('hex').slice(0, 16)}`);
}

/** Path of the pinned helm binary (it may not be built yet; see ensureHelm). */
export function helmBinaryPath(): string {
  return join(helmBinDir(), 'helm');
}

/** Builds helm unless the cache already holds this version set. Returns the binary's path. */
export async function ensureHelm(log: (line: string) => void = console.error): Promise<string> {
  const binary = helmBinaryPath();
  if (existsSync(binary)) return binary;
  const staging = `${binary}.partial-${String(process.pid)}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`building helm ${helmVersion()} into ${binary} (first time: expect 5-10 minutes on 2 cores)`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'go',
      ['build', '-ldflags', helmLdflags(), '-o', `${staging}/`, 'helm.sh/helm/v3/cmd/helm'],
      { cwd: helmModuleDir, env: goEnv, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`go build of helm exited with ${String(code)}`));
    });
  });
  // A rename of one file is atomic, so concurrent builders (two test files) never see half a binary.
  mkdirSync(join(binary, '..'), { recursive: true });
  renameSync(join(staging, 'helm'), binary);
  rmSync(staging, { recursive: true, force: true });
  log(`built helm in ${String(Math.round((Date.now() - started) / 1000))}s`);
  return binary;
}
