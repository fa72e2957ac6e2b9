/**
 * Builds the control-plane binaries from the pinned Go wrapper module, once per version set.
 * The cache key hashes everything that determines the output (go.mod, go.sum, our sources, the Go
 * version and the ldflags), so a pin change triggers a rebuild and nothing else does.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  binaries,
  binaryPackages,
  goModuleDir,
  kubernetesLdflags,
  toolCacheDir,
  type Binary,
} from './versions.ts';

const goEnv = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-trimpath' };

function goVersion(): string {
  return execFileSync('go', ['version'], { env: goEnv, encoding: 'utf8' }).trim();
}

/** The directory holding the binaries for the current pins (may not exist yet). */
export function binDir(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'tools.go', 'cmd/etcd/main.go']) {
    hash.update(file).update(readFileSync(join(goModuleDir, file)));
  }
  hash.update(goVersion()).update(kubernetesLdflags());
  return join(toolCacheDir, 'bin', hash.digest('hex').slice(0, 16));
}

export function binaryPath(name: Binary): string {
  return join(binDir(), name);
}

function isBuilt(dir: string): boolean {
  return binaries.every((name) => existsSync(join(dir, name)));
}

/** Builds every binary unless the cache already holds this version set. Returns the bin dir. */
export async function ensureBinaries(log: (line: string) => void = console.error): Promise<string> {
  const dir = binDir();
  if (isBuilt(dir)) return dir;
  const staging = `${dir}.partial-${String(process.pid)}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`building control-plane binaries into ${dir} (first time: expect 15-30 minutes on 2 cores)`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'go',
      [
        'build',
        '-ldflags',
        kubernetesLdflags(),
        '-o',
        `${staging}/`,
        ...binaries.map((b) => binaryPackages[b]),
      ],
      { cwd: goModuleDir, env: goEnv, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`go build exited with ${String(code)}`));
    });
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  log(`built control-plane binaries in ${String(Math.round((Date.now() - started) / 1000))}s`);
  return dir;
}
