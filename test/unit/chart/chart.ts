/**
 * The Helm chart rendered by the pinned helm (built through the tool cache on first use), parsed
 * into objects that tests look up by kind and name.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureHelm } from '../../../scripts/control-plane/helm/build.ts';
import { repoRoot } from '../../../scripts/control-plane/versions.ts';

export const chartDir = join(repoRoot, 'charts', 'locust-operator');
export const valuesDir = join(import.meta.dirname, 'values');
/** The release namespace every render uses. */
export const releaseNamespace = 'ops';

const helm = await ensureHelm();

/** A rendered Kubernetes object, loosely typed; tests cast to the client-node model they need. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the pinned helm; never throws on a non-zero exit. */
export function runHelm(args: readonly string[]): HelmResult {
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    // No cluster: template and lint must not depend on one (lookup returns nothing).
    env: { ...process.env, KUBECONFIG: '/dev/null' },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The `-f` arguments for values files under test/unit/chart/values. */
export function valuesArgs(files: readonly string[]): string[] {
  return files.flatMap((file) => ['-f', join(valuesDir, file)]);
}

/** The objects of a successful render. */
export class Rendered {
  constructor(readonly objects: readonly ManifestObject[]) {}

  all(kind: string): ManifestObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  /** The one object of this kind (and name); fails when there is none or several. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the model it expects
  get<T>(kind: string, name?: string): T {
    const found = this.all(kind).filter((o) => name === undefined || o.metadata.name === name);
    if (found.length !== 1) {
      const names = this.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
      throw new Error(
        `expected one ${kind}${name === undefined ? '' : ` ${name}`}, found ${String(found.length)} among: ${names}`,
      );
    }
    return found[0] as T;
  }

  has(kind: string, name?: string): boolean {
    return this.all(kind).some((o) => name === undefined || o.metadata.name === name);
  }
}

/** `helm template` with the given values files and `--set` pairs; throws on failure. */
export function renderChart(files: readonly string[], sets: readonly string[] = []): Rendered {
  const result = runHelm([
    'template',
    'rel',
    chartDir,
    '--namespace',
    releaseNamespace,
    ...valuesArgs(files),
    ...sets.flatMap((set) => ['--set', set]),
  ]);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  const objects = parseAllDocuments(result.stdout)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors.join('; '));
      return document.toJS() as unknown;
    })
    .filter((object): object is ManifestObject => object !== null && typeof object === 'object');
  return new Rendered(objects);
}

/** The env of a container as a plain map (only literal values; references are left out). */
export function literalEnv(
  env: readonly { name: string; value?: string; valueFrom?: unknown }[] | undefined,
): Record<string, string> {
  return Object.fromEntries(
    (env ?? []).flatMap((entry) => (entry.value === undefined ? [] : [[entry.name, entry.value]])),
  );
}
