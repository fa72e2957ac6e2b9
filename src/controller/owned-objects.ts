/**
 * Which test an event is about: children map to their controlling LocustTest by owner reference;
 * Pods by their `performance-test-name` label first, then by the owner chain Pod → Job → LocustTest.
 */
import type { V1Job, V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import { constants } from '../api/index.ts';

export interface Owned {
  metadata?:
    | { namespace?: string | undefined; ownerReferences?: V1OwnerReference[] | undefined }
    | undefined;
}

/** `namespace/name` of the LocustTest controlling the object, if any. */
export function controllingTestKey(object: Owned): string | undefined {
  const owner = object.metadata?.ownerReferences?.find(
    (ref) => ref.kind === constants.kind && ref.apiVersion.startsWith(`${constants.apiGroup}/`),
  );
  const namespace = object.metadata?.namespace;
  return owner && namespace ? `${namespace}/${owner.name}` : undefined;
}

/** `namespace/name` of the test a Pod belongs to. */
export function testKeyOfPod(
  pod: V1Pod,
  jobByKey: (key: string) => V1Job | undefined,
): string | undefined {
  const namespace = pod.metadata?.namespace;
  if (!namespace) return undefined;
  const label = pod.metadata?.labels?.[constants.labelKeys.testName];
  if (label) return `${namespace}/${label}`;
  const jobOwner = pod.metadata?.ownerReferences?.find(
    (ref) => ref.kind === 'Job' && ref.apiVersion === 'batch/v1',
  );
  if (!jobOwner) return undefined;
  const job = jobByKey(`${namespace}/${jobOwner.name}`);
  return job ? controllingTestKey(job) : undefined;
}
