/**
 * Creating a LocustTest and the ConfigMaps that came with it. ConfigMaps are created first, so
 * the pods find them; the ones locustctl created are then owned by the test, so deleting the test
 * removes them too. With generated names, each ConfigMap gets one as well and the test is pointed
 * at it, so concurrent CI runs of one manifest never share (or overwrite) test files.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { LocustTest } from '../api/index.ts';
import { isApiError } from '../runtime/errors.ts';
import type { KubeClient } from '../runtime/kube-client.ts';
import { resourceTypes } from '../runtime/resources.ts';
import { renameConfigMapRefs } from './config-map-refs.ts';
import type { ConfigMapObject } from './manifest-objects.ts';

/** What was done to a ConfigMap. */
export interface AppliedConfigMap {
  readonly name: string;
  /** `created` by us (and to be owned by the test) or `configured` (it existed: data replaced). */
  readonly action: 'created' | 'configured';
}

function withMetadata(
  manifest: Readonly<Record<string, unknown>>,
  metadata: Record<string, unknown>,
): V1ConfigMap {
  const own =
    typeof manifest.metadata === 'object' && manifest.metadata !== null ? manifest.metadata : {};
  return { ...manifest, metadata: { ...own, ...metadata } };
}

function metadataWithoutName(manifest: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const own =
    typeof manifest.metadata === 'object' && manifest.metadata !== null
      ? (manifest.metadata as Record<string, unknown>)
      : {};
  return Object.fromEntries(Object.entries(own).filter(([key]) => key !== 'name'));
}

/**
 * Creates each ConfigMap in `namespace`. With `generateNames`, as `<name>-<random>`; otherwise
 * under its own name, replacing the data of one that already exists (as `kubectl apply` would;
 * its owners are kept). Returns what was done and the name each ConfigMap got. On an error, the
 * ones created so far are deleted again and the error is rethrown.
 */
export async function applyConfigMaps(
  client: KubeClient,
  namespace: string,
  configMaps: readonly ConfigMapObject[],
  generateNames: boolean,
): Promise<{ applied: AppliedConfigMap[]; renames: Map<string, string> }> {
  const applied: AppliedConfigMap[] = [];
  const renames = new Map<string, string>();
  try {
    for (const configMap of configMaps) {
      if (generateNames) {
        const body = withMetadata(
          { ...configMap.manifest, metadata: metadataWithoutName(configMap.manifest) },
          { namespace, generateName: `${configMap.name}-` },
        );
        const created = await client.create(resourceTypes.configMaps, namespace, body);
        const name = created.metadata?.name ?? '';
        renames.set(configMap.name, name);
        applied.push({ name, action: 'created' });
        continue;
      }
      const body = withMetadata(configMap.manifest, { namespace });
      try {
        await client.create(resourceTypes.configMaps, namespace, body);
        applied.push({ name: configMap.name, action: 'created' });
      } catch (error) {
        if (!isApiError(error, 'AlreadyExists')) throw error;
        const existing = await client.get<V1ConfigMap>(
          resourceTypes.configMaps,
          namespace,
          configMap.name,
        );
        await client.update(
          resourceTypes.configMaps,
          namespace,
          configMap.name,
          withMetadata(configMap.manifest, {
            namespace,
            resourceVersion: existing.metadata?.resourceVersion,
            ownerReferences: existing.metadata?.ownerReferences,
          }),
        );
        applied.push({ name: configMap.name, action: 'configured' });
      }
    }
  } catch (error) {
    await deleteCreated(client, namespace, applied);
    throw error;
  }
  return { applied, renames };
}

/** Deletes the ConfigMaps we created (best effort: this runs on the way out of a failure). */
export async function deleteCreated(
  client: KubeClient,
  namespace: string,
  applied: readonly AppliedConfigMap[],
): Promise<void> {
  for (const { name, action } of applied) {
    if (action !== 'created') continue;
    await client.delete(resourceTypes.configMaps, namespace, name).catch(() => undefined);
  }
}

/**
 * Creates the test from its manifest `value` in `namespace` (with `generateName: <name>-` when
 * asked) pointing at the renamed ConfigMaps; returns the created object.
 */
export async function createTest(
  client: KubeClient,
  namespace: string,
  value: unknown,
  options: { generateName: boolean; renames: ReadonlyMap<string, string> },
): Promise<LocustTest> {
  const manifest = renameConfigMapRefs(value, options.renames) as LocustTest;
  const { name, ...metadata } = manifest.metadata;
  const body: LocustTest = {
    ...manifest,
    metadata: options.generateName
      ? { ...metadata, namespace, generateName: `${name ?? 'locusttest'}-` }
      : { ...manifest.metadata, namespace },
  };
  return client.create(resourceTypes.locustTests, namespace, body);
}

/** Makes `test` an owner of the ConfigMaps we created, so they go when it goes. */
export async function adoptConfigMaps(
  client: KubeClient,
  namespace: string,
  test: LocustTest,
  applied: readonly AppliedConfigMap[],
): Promise<void> {
  const owner = {
    apiVersion: test.apiVersion,
    kind: test.kind,
    name: test.metadata.name ?? '',
    uid: test.metadata.uid ?? '',
  };
  for (const { name, action } of applied) {
    if (action !== 'created') continue;
    await client.mergePatch(resourceTypes.configMaps, namespace, name, {
      metadata: { ownerReferences: [owner] },
    });
  }
}
