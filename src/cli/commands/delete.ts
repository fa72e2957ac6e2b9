/**
 * `locustctl delete NAME [--wait]`: deletes a LocustTest; the cluster's garbage collector then
 * deletes what it owns (master Service, Jobs and their pods, ConfigMaps `apply` created). With
 * --wait, returns once all of that is gone: 0 gone, 1 no such test, 2 timed out.
 */
import type { V1ConfigMap, V1Pod } from '@kubernetes/client-node';
import { constants, nodeName, type LocustTest } from '../../api/index.ts';
import { isApiError } from '../../runtime/errors.ts';
import type { KubeClient } from '../../runtime/kube-client.ts';
import { resourceTypes, type ResourceType } from '../../runtime/resources.ts';
import { connect, reportClusterError, type ClusterOptions } from '../cluster-target.ts';
import { formatDuration } from '../duration.ts';
import { exitCodes, type CliIo } from '../io.ts';

/** The command-line options of `delete`. */
export interface DeleteOptions extends ClusterOptions {
  readonly wait?: boolean;
  /** Milliseconds to wait with --wait. */
  readonly timeout: number;
}

async function exists(client: KubeClient, type: ResourceType, namespace: string, name: string) {
  try {
    await client.get(type, namespace, name);
    return true;
  } catch (error) {
    if (isApiError(error, 'NotFound')) return false;
    throw error;
  }
}

/** `kind/name` of what is left of test `name` (with uid `uid`) in `namespace`. */
export async function remainingObjects(
  client: KubeClient,
  namespace: string,
  name: string,
  uid: string,
): Promise<string[]> {
  const left: string[] = [];
  if (await exists(client, resourceTypes.locustTests, namespace, name))
    left.push(`locusttest/${name}`);
  const master = nodeName(name, 'master');
  if (await exists(client, resourceTypes.services, namespace, master))
    left.push(`service/${master}`);
  for (const job of [master, nodeName(name, 'worker')]) {
    if (await exists(client, resourceTypes.jobs, namespace, job)) left.push(`job/${job}`);
  }
  const pods = await client.list<V1Pod>(resourceTypes.pods, {
    namespace,
    labelSelector: `${constants.labelKeys.testName}=${name}`,
  });
  left.push(...pods.items.map((pod) => `pod/${pod.metadata?.name ?? ''}`));
  const configMaps = await client.list<V1ConfigMap>(resourceTypes.configMaps, { namespace });
  for (const configMap of configMaps.items) {
    if (configMap.metadata?.ownerReferences?.some((owner) => owner.uid === uid)) {
      left.push(`configmap/${configMap.metadata.name ?? ''}`);
    }
  }
  return left;
}

/** Runs the command; returns the process exit code. */
export async function deleteCommand(
  name: string,
  options: DeleteOptions,
  io: CliIo,
): Promise<number> {
  const target = connect(options, io);
  if (target === undefined) return exitCodes.usage;
  const { client, namespace } = target;
  let uid: string;
  try {
    const test = await client.get<LocustTest>(resourceTypes.locustTests, namespace, name);
    uid = test.metadata.uid ?? '';
    await client.delete(resourceTypes.locustTests, namespace, name);
  } catch (error) {
    return reportClusterError(`cannot delete ${namespace}/${name}`, error, io);
  }
  io.stdout(`locusttest.locust.io/${name} deleted\n`);
  if (options.wait !== true) return exitCodes.ok;
  const deadline = Date.now() + options.timeout;
  let shown = '';
  try {
    for (;;) {
      const left = await remainingObjects(client, namespace, name, uid);
      if (left.length === 0) {
        io.stdout(`all objects of ${name} are gone\n`);
        return exitCodes.ok;
      }
      if (Date.now() >= deadline) {
        io.stderr(
          `locustctl: timed out after ${formatDuration(options.timeout)}; still there: ${left.join(', ')}\n`,
        );
        return 2;
      }
      const text = left.join(', ');
      if (text !== shown) io.stdout(`waiting for ${text}\n`);
      shown = text;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    return reportClusterError(`waiting for ${namespace}/${name} to be gone`, error, io);
  }
}
