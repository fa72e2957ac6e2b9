/**
 * Everything `run --local` does before Locust starts: render the test with the operator's own
 * render(), write the ConfigMaps and Secrets its pods would mount into a temp directory, resolve
 * its env, pick free loopback ports and plan the processes with planLocalRun().
 */
import type { V1Job, V1Volume } from '@kubernetes/client-node';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants } from '../api/index.ts';
import type { LocustTest } from '../api/index.ts';
import { freeLoopbackPorts } from '../local/free-port.ts';
import { locustContainerOf, planLocalRun, type LocalPlan } from '../local/local-plan.ts';
import { defaultOperatorConfig, render } from '../resources/index.ts';
import {
  configMapMaxBytes,
  totalBytes,
  volumeFiles,
  type VolumeSource,
} from './config-map-files.ts';
import { readDirectoryAsSource, writeVolumeFiles } from './local-files.ts';
import type { ConfigMapObject, SecretObject } from './manifest-objects.ts';

/** Where the pods' files come from, beyond the manifest. */
export interface LocalSources {
  readonly configMaps: readonly ConfigMapObject[];
  readonly secrets: ReadonlyMap<string, SecretObject>;
  /** `--files DIR`: the test-files ConfigMap. */
  readonly filesDir?: string | undefined;
  /** `--lib-files DIR`: the library ConfigMap. */
  readonly libFilesDir?: string | undefined;
}

/** A planned run and its temp directory (to be removed when the run ends). */
export interface PreparedRun {
  readonly plan: LocalPlan;
  readonly tempDir: string;
  readonly webPort: number;
  readonly warnings: readonly string[];
}

/** A ConfigMap the test needs but that was not given: the run cannot start. */
export class MissingSourceError extends Error {
  override readonly name = 'MissingSourceError';
}

async function sourceFor(
  ref: string,
  field: string,
  dir: string | undefined,
  flag: string,
  sources: LocalSources,
): Promise<{ source: VolumeSource; warnings: string[] }> {
  if (dir !== undefined) {
    const { source, skipped } = await readDirectoryAsSource(dir);
    return {
      source,
      warnings: skipped.map((name) => `${flag}: ${name} is not a valid ConfigMap key; skipped`),
    };
  }
  const configMap = sources.configMaps.find((candidate) => candidate.name === ref);
  if (configMap === undefined) {
    throw new MissingSourceError(
      `ConfigMap ${ref} (${field}) is not in the file: add it there or pass ${flag} DIR`,
    );
  }
  return { source: configMap, warnings: [] };
}

async function materialise(
  dir: string,
  what: string,
  source: VolumeSource,
  items?: readonly { key: string; path: string }[],
  optional?: boolean,
): Promise<string[]> {
  const { files, problems } = volumeFiles(source, items, optional);
  await writeVolumeFiles(dir, files);
  const warnings = problems.map((problem) => `${what}: ${problem}`);
  if (totalBytes(files) > configMapMaxBytes) {
    warnings.push(`${what}: more than 1 MiB, too large for a ConfigMap in a cluster`);
  }
  return warnings;
}

// A user volume (or a secret mount) as a local directory; undefined when it cannot be had here,
// which planLocalRun then reports for each mount that uses it.
async function volumeDir(
  volume: V1Volume,
  dir: string,
  sources: LocalSources,
  warnings: string[],
): Promise<string | undefined> {
  if (volume.emptyDir !== undefined) {
    await mkdir(dir, { recursive: true });
    return dir;
  }
  if (volume.configMap !== undefined) {
    const name = volume.configMap.name ?? '';
    const configMap = sources.configMaps.find((candidate) => candidate.name === name);
    if (configMap === undefined) return undefined;
    warnings.push(
      ...(await materialise(
        dir,
        `ConfigMap ${name}`,
        configMap,
        volume.configMap.items,
        volume.configMap.optional,
      )),
    );
    return dir;
  }
  if (volume.secret !== undefined) {
    const name = volume.secret.secretName ?? '';
    const secret = sources.secrets.get(name);
    if (secret === undefined) {
      warnings.push(`Secret ${name} is not given: pass --secret-file ${name}=PATH to mount it`);
      return undefined;
    }
    warnings.push(
      ...(await materialise(
        dir,
        `Secret ${name}`,
        secret,
        volume.secret.items,
        volume.secret.optional,
      )),
    );
    return dir;
  }
  return undefined;
}

// Local directories for the mounts other than test files and library, keyed by mount path.
async function mountDirs(
  jobs: readonly V1Job[],
  tempDir: string,
  sources: LocalSources,
  warnings: string[],
): Promise<Record<string, string>> {
  const dirs: Record<string, string> = {};
  const volumeDirs = new Map<string, string | undefined>();
  for (const job of jobs) {
    const container = locustContainerOf(job);
    const volumes = job.spec?.template.spec?.volumes ?? [];
    for (const mount of container.volumeMounts ?? []) {
      if (mount.name === container.name || mount.name === constants.libVolumeName) continue;
      const volume = volumes.find((candidate) => candidate.name === mount.name);
      if (volume === undefined || mount.mountPath in dirs) continue;
      if (!volumeDirs.has(volume.name)) {
        const dir = join(tempDir, 'volumes', volume.name);
        volumeDirs.set(volume.name, await volumeDir(volume, dir, sources, warnings));
      }
      const dir = volumeDirs.get(volume.name);
      if (dir !== undefined) dirs[mount.mountPath] = mount.subPath ? join(dir, mount.subPath) : dir;
    }
  }
  return dirs;
}

function envSources(sources: LocalSources) {
  return {
    configMaps: new Map(sources.configMaps.map((configMap) => [configMap.name, configMap.data])),
    secrets: new Map([...sources.secrets].map(([name, secret]) => [name, secret.data])),
  };
}

// --workers changes the replicas before rendering, so the master's --expect-workers agrees.
function withWorkers(test: LocustTest, workers: number | undefined): LocustTest {
  if (workers === undefined) return test;
  return { ...test, spec: { ...test.spec, worker: { ...test.spec.worker, replicas: workers } } };
}

/**
 * Prepares a run of `test` with `locust` and `workers` workers (default: the spec's replicas).
 * Throws MissingSourceError when a ConfigMap the test files come from is missing. The caller
 * owns the returned temp directory, also on failure after it was made (`onTempDir`).
 */
export async function prepareLocalRun(
  test: LocustTest,
  sources: LocalSources,
  options: { locust: string; workers?: number | undefined; onTempDir: (dir: string) => void },
): Promise<PreparedRun> {
  const rendered = render(withWorkers(test, options.workers), defaultOperatorConfig);
  const tempDir = await mkdtemp(join(tmpdir(), 'locustctl-run-'));
  options.onTempDir(tempDir);
  const warnings: string[] = [];
  const { configMapRef, libConfigMapRef } = test.spec.testFiles ?? {};
  const testFilesDir = join(tempDir, 'files');
  await mkdir(testFilesDir);
  if (configMapRef) {
    const found = await sourceFor(
      configMapRef,
      'spec.testFiles.configMapRef',
      sources.filesDir,
      '--files',
      sources,
    );
    warnings.push(
      ...found.warnings,
      ...(await materialise(testFilesDir, `ConfigMap ${configMapRef}`, found.source)),
    );
  }
  let libDir: string | undefined;
  if (libConfigMapRef) {
    libDir = join(tempDir, 'lib');
    const found = await sourceFor(
      libConfigMapRef,
      'spec.testFiles.libConfigMapRef',
      sources.libFilesDir,
      '--lib-files',
      sources,
    );
    warnings.push(
      ...found.warnings,
      ...(await materialise(libDir, `ConfigMap ${libConfigMapRef}`, found.source)),
    );
  }
  const workDir = join(tempDir, 'work');
  await mkdir(workDir);
  for (const ref of test.spec.env?.secretRefs ?? []) {
    if (!sources.secrets.has(ref.name)) {
      warnings.push(
        `Secret ${ref.name} is not given: pass --secret-file ${ref.name}=PATH for its env`,
      );
    }
  }
  const dirs = await mountDirs(
    [rendered.masterJob, rendered.workerJob],
    tempDir,
    sources,
    warnings,
  );
  const [masterPort, webPort] = await freeLoopbackPorts(2);
  if (masterPort === undefined || webPort === undefined) throw new Error('no free loopback ports');
  const plan = planLocalRun(rendered, {
    locustExecutable: options.locust,
    testFilesDir,
    ...(libDir === undefined ? {} : { libDir }),
    mountDirs: dirs,
    workDir,
    masterPort,
    webPort,
    envSources: envSources(sources),
  });
  return { plan, tempDir, webPort, warnings: [...new Set([...warnings, ...plan.warnings])] };
}
