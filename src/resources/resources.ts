/** Container resources (spec §2.9): the Locust container's three levels, and the exporter's. */
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { LocustTest, Role } from '../api/index.ts';
import type {
  OperatorConfig,
  Quantities,
  ResourceName,
  ResourceSettings,
} from './operator-config.ts';
import { present, verbatim } from './object.ts';

const resourceNames: readonly ResourceName[] = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * Whether CR-level resources count as set: any entry in `requests`, `limits` or `claims`. The Go
 * operator ignored `claims`, replacing claims-only resources with the operator defaults (upstream
 * weak spot 28); here they are used verbatim like any other CR-level resources.
 */
export function hasResourcesSpecified(resources: V1ResourceRequirements | undefined): boolean {
  if (resources === undefined) return false;
  return (
    Object.keys(resources.requests ?? {}).length > 0 ||
    Object.keys(resources.limits ?? {}).length > 0 ||
    (resources.claims?.length ?? 0) > 0
  );
}

function quantities(...levels: Quantities[]): Record<string, string> | undefined {
  const entries: [string, string][] = [];
  for (const name of resourceNames) {
    // Field by field: the first level with a non-empty value for this resource wins.
    const value = levels.map((level) => level[name]).find((q) => q !== undefined && q !== '');
    if (value !== undefined) entries.push([name, value]);
  }
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * Requirements from operator settings, falling back field by field through `levels` (first
 * wins); keys cpu, memory, ephemeral-storage; undefined when nothing resolves.
 */
export function resourcesFromSettings(
  ...levels: ResourceSettings[]
): V1ResourceRequirements | undefined {
  const requests = quantities(...levels.map((level) => level.requests));
  const limits = quantities(...levels.map((level) => level.limits));
  if (requests === undefined && limits === undefined) return undefined;
  return { ...present('requests', requests), ...present('limits', limits) };
}

/**
 * The Locust container's resources for a role: the CR's `spec.<role>.resources` verbatim and
 * alone when specified; otherwise MASTER_POD_* / WORKER_POD_* over POD_*, field by field.
 */
export function buildContainerResources(
  test: LocustTest,
  role: Role,
  config: OperatorConfig,
): V1ResourceRequirements | undefined {
  const own = role === 'master' ? test.spec.master.resources : test.spec.worker.resources;
  if (hasResourcesSpecified(own)) return verbatim(own);
  const roleSettings = role === 'master' ? config.masterPodResources : config.workerPodResources;
  return resourcesFromSettings(roleSettings, config.podResources);
}
