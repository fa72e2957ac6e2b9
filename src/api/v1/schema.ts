/**
 * The deprecated locust.io/v1 LocustTest API, as the Go operator served it. Served for existing
 * manifests; stored as v2 through the conversion webhook.
 */
import Type, { type Static } from 'typebox';
import { stringEnum, stringMap } from '../schema-helpers.ts';
import { imagePullPolicies } from '../v2/schema.ts';
import type { ObjectMeta } from '../v2/schema.ts';

const roleMaps = (what: string) =>
  Type.Object(
    {
      master: Type.Optional(stringMap(`${what} of the master pod.`)),
      worker: Type.Optional(stringMap(`${what} of the worker pods.`)),
    },
    { description: `${what} by pod type.` },
  );

export const V1TolerationSchema = Type.Object({
  key: Type.String(),
  operator: stringEnum(['Exists', 'Equal'] as const),
  value: Type.Optional(Type.String()),
  effect: stringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const),
});

export const LocustTestV1SpecSchema = Type.Object(
  {
    masterCommandSeed: Type.String({ description: 'Master command seed.' }),
    workerCommandSeed: Type.String({ description: 'Worker command seed.' }),
    workerReplicas: Type.Integer({
      format: 'int32',
      minimum: 1,
      maximum: 500,
      default: 1,
      description: 'Number of worker pods.',
    }),
    image: Type.String({ description: 'Locust image.' }),
    imagePullPolicy: Type.Optional(
      stringEnum(imagePullPolicies, { description: 'Image pull policy.' }),
    ),
    imagePullSecrets: Type.Optional(
      Type.Array(Type.String(), { description: 'Names of image pull secrets.' }),
    ),
    configMap: Type.Optional(Type.String({ description: 'ConfigMap with the test files.' })),
    libConfigMap: Type.Optional(Type.String({ description: 'ConfigMap with library files.' })),
    labels: Type.Optional(roleMaps('Labels')),
    annotations: Type.Optional(roleMaps('Annotations')),
    affinity: Type.Optional(
      Type.Object({
        nodeAffinity: Type.Optional(
          Type.Object({
            requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(
              stringMap('Node label key to the one value it must have.'),
            ),
          }),
        ),
      }),
    ),
    tolerations: Type.Optional(Type.Array(V1TolerationSchema)),
  },
  { description: 'LocustTestSpec (v1, deprecated) is the desired load test.' },
);

export type LocustTestV1Spec = Static<typeof LocustTestV1SpecSchema>;

/** A locust.io/v1 LocustTest (deprecated). */
export interface LocustTestV1 {
  apiVersion: 'locust.io/v1';
  kind: 'LocustTest';
  metadata: ObjectMeta;
  spec: LocustTestV1Spec;
  status?: Record<string, never>;
}
