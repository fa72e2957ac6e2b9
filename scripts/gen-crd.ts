/**
 * `npm run gen:crd`: reads the OpenAPI v3 components of the embedded Kubernetes types from the
 * local kube-apiserver (starting the local cluster if needed), stores their closure as a snapshot
 * in src/api/crd/, and writes the CRD and the generated JSON schemas. `--offline` skips the API
 * server and uses the committed snapshot.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { embeddedComponents } from '../src/api/crd/crd.ts';
import { componentClosure, type OpenApiComponents } from '../src/api/crd/structural.ts';
import { binaryPath } from './control-plane/build.ts';
import { clusterUp } from './control-plane/cluster.ts';
import { clusterLayout } from './control-plane/layout.ts';
import { repoRoot } from './control-plane/versions.ts';
import { generatedFiles, snapshotPath, type ComponentsSnapshot } from './crd/files.ts';

async function readSnapshotFromApiServer(): Promise<ComponentsSnapshot> {
  const layout = await clusterUp(clusterLayout());
  const kubectl = (path: string): unknown =>
    JSON.parse(
      execFileSync(binaryPath('kubectl'), ['get', '--raw', path], {
        env: { ...process.env, KUBECONFIG: layout.kubeconfig },
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      }),
    );
  const version = kubectl('/version') as { gitVersion: string };
  const document = kubectl('/openapi/v3/api/v1') as { components: { schemas: OpenApiComponents } };
  const all = document.components.schemas;
  const names = componentClosure(embeddedComponents, all);
  const components = Object.fromEntries(names.map((name) => [name, all[name] ?? {}]));
  return { kubernetesVersion: version.gitVersion, components };
}

async function main(): Promise<void> {
  const offline = process.argv.includes('--offline');
  const snapshot = offline
    ? (JSON.parse(readFileSync(join(repoRoot, snapshotPath), 'utf8')) as ComponentsSnapshot)
    : await readSnapshotFromApiServer();
  const files: Record<string, string> = {
    ...(offline ? {} : { [snapshotPath]: `${JSON.stringify(snapshot, null, 1)}\n` }),
    ...generatedFiles(snapshot),
  };
  for (const [path, content] of Object.entries(files)) {
    const absolute = join(repoRoot, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    console.error(`wrote ${path} (${String(Math.round(content.length / 1024))} KiB)`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
