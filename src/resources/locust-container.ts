/** The Locust container of a master or worker pod (spec §2.6). */
import type { V1Container, V1ContainerPort } from '@kubernetes/client-node';
import { constants, nodeName, type LocustTest, type Role } from '../api/index.ts';
import { buildMasterArgs, buildWorkerArgs } from './args.ts';
import { buildEnv, buildEnvFrom } from './env.ts';
import { testName } from './metadata.ts';
import { nonEmpty, nonEmptyString, present, verbatim } from './object.ts';
import type { OperatorConfig } from './operator-config.ts';
import { buildContainerResources } from './resources.ts';
import { buildVolumeMounts } from './volumes.ts';

/** Container ports of a role: master 5557, 5558, 8089; worker 8080 (unnamed, protocol default). */
export function containerPorts(role: Role): V1ContainerPort[] {
  const ports =
    role === 'master'
      ? [constants.masterPort, constants.masterBindPort, constants.webUiPort]
      : [constants.workerPort];
  return ports.map((containerPort) => ({ containerPort }));
}

/**
 * The Locust container: named `<test>-<role>`, the test's image with its pull policy
 * (IfNotPresent when unset), no command (the image's `locust` entrypoint), the role's args, ports,
 * env, envFrom, resources, mounts, and `security.containerSecurityContext` verbatim when set.
 */
export function buildLocustContainer(
  test: LocustTest,
  role: Role,
  config: OperatorConfig,
): V1Container {
  const { spec } = test;
  // Widened: a test converted from v1 may carry an empty policy, which the enum type hides.
  const pullPolicy: string | undefined = spec.imagePullPolicy;
  return {
    name: nodeName(testName(test), role),
    image: spec.image,
    imagePullPolicy: nonEmptyString(pullPolicy) ?? 'IfNotPresent',
    args: role === 'master' ? buildMasterArgs(test) : buildWorkerArgs(test),
    ports: containerPorts(role),
    ...present('env', buildEnv(test, config)),
    ...present('envFrom', buildEnvFrom(test)),
    ...present('resources', buildContainerResources(test, role, config)),
    ...present('volumeMounts', nonEmpty(buildVolumeMounts(test, role))),
    ...present('securityContext', verbatim(spec.security?.containerSecurityContext)),
  };
}
