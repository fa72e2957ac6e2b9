/**
 * The file-system side of a local run: reading a directory as a ConfigMap would hold it
 * (`--files DIR`, like `kubectl create configmap --from-file=DIR`) and writing volume files into
 * the run's temp directory.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  isValidKey,
  isSafeRelativePath,
  type VolumeFile,
  type VolumeSource,
} from './config-map-files.ts';

/**
 * The regular files directly in `dir` as binary keys (subdirectories are skipped, as kubectl
 * skips them; symbolic links to files count as the files). Names that are not valid ConfigMap
 * keys are skipped and reported, since a cluster could not hold them either.
 */
export async function readDirectoryAsSource(
  dir: string,
): Promise<{ source: VolumeSource; skipped: string[] }> {
  const binaryData: Record<string, Uint8Array> = {};
  const skipped: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    if (!isValidKey(name)) {
      skipped.push(name);
      continue;
    }
    binaryData[name] = await readFile(path);
  }
  return { source: { data: {}, binaryData }, skipped };
}

/** Writes `files` under `dir` (created if needed); paths were checked by volumeFiles. */
export async function writeVolumeFiles(dir: string, files: readonly VolumeFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    // A last line of defence: a path that escapes the directory is never written.
    if (!isSafeRelativePath(file.path)) throw new Error(`unsafe volume path ${file.path}`);
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}
