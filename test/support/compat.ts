/**
 * The upstream compatibility data (the Go operator's CRD, samples and e2e manifests), shared
 * beside the repository in ../shared/compat; LOCUST_COMPAT_DIR overrides the location.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../../scripts/control-plane/versions.ts';

export function compatDir(): string {
  const dir = resolve(process.env.LOCUST_COMPAT_DIR ?? join(repoRoot, '..', 'shared', 'compat'));
  if (!existsSync(join(dir, 'upstream-crd.yaml'))) {
    throw new Error(
      `upstream compatibility data not found in ${dir}: check out ../shared beside the repository or set LOCUST_COMPAT_DIR`,
    );
  }
  return dir;
}

export interface SampleDocument {
  /** Path relative to upstream-samples/, e.g. "e2e/v2/locusttest-basic.yaml". */
  file: string;
  document: Record<string, unknown>;
}

/** Every YAML document of every file under upstream-samples/, in path order. */
export function upstreamSamples(): SampleDocument[] {
  const root = join(compatDir(), 'upstream-samples');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .flatMap((path) =>
      parseAllDocuments(readFileSync(path, 'utf8'))
        .map((doc) => doc.toJS() as unknown)
        .filter((doc): doc is Record<string, unknown> => typeof doc === 'object' && doc !== null)
        .map((document) => ({ file: relative(root, path), document })),
    );
}

/** Samples the Go operator's CRD rejects (schema bounds and patterns). */
export const invalidSampleFiles: readonly string[] = [
  'e2e/v2/locusttest-invalid.yaml',
  'e2e/v2/locusttest-invalid-runtimeclass.yaml',
];
