/** Pod volumes and Locust container mounts (spec §2.8), per role. */
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import {
  constants,
  nodeName,
  type LocustTest,
  type Role,
  type TargetedVolumeMount,
} from '../api/index.ts';
import { testName } from './metadata.ts';
import { nonEmptyString, verbatim } from './object.ts';

/**
 * Whether a user mount applies to a role: `both` (also when absent or empty, the schema default)
 * → master and worker, `master` / `worker` → that role only, anything else → nowhere.
 */
export function mountTargetsRole(mount: TargetedVolumeMount, role: Role): boolean {
  const target: string = mount.target ?? '';
  return target === '' || target === 'both' || target === role;
}

/**
 * The pod's volumes, in order: the test-files ConfigMap (named `<test>-<role>`), the library
 * ConfigMap (`locust-lib`), one Secret volume per `env.secretMounts` entry (`secret-<name>`), then
 * each user volume that at least one mount targets this role with, verbatim.
 */
export function buildVolumes(test: LocustTest, role: Role): V1Volume[] {
  const { testFiles, env, volumes, volumeMounts } = test.spec;
  const result: V1Volume[] = [];
  const configMapRef = nonEmptyString(testFiles?.configMapRef);
  if (configMapRef !== undefined) {
    result.push({ name: nodeName(testName(test), role), configMap: { name: configMapRef } });
  }
  const libConfigMapRef = nonEmptyString(testFiles?.libConfigMapRef);
  if (libConfigMapRef !== undefined) {
    result.push({ name: constants.libVolumeName, configMap: { name: libConfigMapRef } });
  }
  for (const secret of env?.secretMounts ?? []) {
    result.push({
      name: `${constants.secretVolumePrefix}${secret.name}`,
      secret: { secretName: secret.name },
    });
  }
  const mounts = volumeMounts ?? [];
  for (const volume of volumes ?? []) {
    if (mounts.some((mount) => mount.name === volume.name && mountTargetsRole(mount, role))) {
      result.push(verbatim(volume));
    }
  }
  return result;
}

/**
 * The Locust container's mounts, in the same order as the volumes: test files at `srcMountPath`
 * (default /lotest/src), library at `libMountPath` (default /opt/locust/lib), each secret mount
 * (`readOnly` defaulting to true), then each user mount targeting this role, verbatim without
 * `target`. `readOnly: false` is omitted, as the API server would store it.
 */
export function buildVolumeMounts(test: LocustTest, role: Role): V1VolumeMount[] {
  const { testFiles, env, volumeMounts } = test.spec;
  const result: V1VolumeMount[] = [];
  if (nonEmptyString(testFiles?.configMapRef) !== undefined) {
    result.push({
      name: nodeName(testName(test), role),
      mountPath: nonEmptyString(testFiles?.srcMountPath) ?? constants.defaultSrcMountPath,
    });
  }
  if (nonEmptyString(testFiles?.libConfigMapRef) !== undefined) {
    result.push({
      name: constants.libVolumeName,
      mountPath: nonEmptyString(testFiles?.libMountPath) ?? constants.defaultLibMountPath,
    });
  }
  for (const secret of env?.secretMounts ?? []) {
    result.push({
      name: `${constants.secretVolumePrefix}${secret.name}`,
      mountPath: secret.mountPath,
      ...(secret.readOnly === false ? {} : { readOnly: true }),
    });
  }
  for (const mount of volumeMounts ?? []) {
    if (!mountTargetsRole(mount, role)) continue;
    const volumeMount: TargetedVolumeMount = verbatim(mount);
    delete volumeMount.target;
    result.push(volumeMount);
  }
  return result;
}
