/** Object metadata shared by the generated objects: names, namespace, owner reference. */
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import { constants, type LocustTest } from '../api/index.ts';
import { present } from './object.ts';

/** The test's `metadata.name`; a test without one cannot be rendered, so this throws. */
export function testName(test: LocustTest): string {
  const name = test.metadata.name;
  if (name === undefined || name === '') {
    throw new TypeError('cannot render a LocustTest without metadata.name');
  }
  return name;
}

/**
 * The controller reference every generated object carries: locust.io/v2 LocustTest, with
 * `controller` and `blockOwnerDeletion` true, so garbage collection removes it with the test.
 * `uid` is omitted when the test has none yet (an offline render of a manifest).
 */
export function buildOwnerReference(test: LocustTest): V1OwnerReference {
  const reference = {
    apiVersion: `${constants.apiGroup}/${constants.storageVersion}`,
    kind: constants.kind,
    name: testName(test),
    ...present('uid', test.metadata.uid),
    controller: true,
    blockOwnerDeletion: true,
  };
  // uid is required by the type but unknown before the API server has stored the test.
  return reference as V1OwnerReference;
}

/**
 * Metadata of a generated object: `name`, the test's namespace (omitted when the test has none),
 * the given labels if any, and the owner reference. The test's own labels and annotations are
 * never propagated.
 */
export function buildObjectMeta(
  test: LocustTest,
  name: string,
  labels?: Record<string, string>,
): V1ObjectMeta {
  return {
    name,
    ...present('namespace', test.metadata.namespace),
    ...present('labels', labels),
    ownerReferences: [buildOwnerReference(test)],
  };
}
