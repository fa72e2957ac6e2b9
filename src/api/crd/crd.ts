/**
 * The LocustTest CustomResourceDefinition, built from the TypeBox schemas and the API server's
 * OpenAPI components. Pure: the same inputs always give the same object, which the generator
 * writes to deploy/crd/ and a unit test compares with the committed file.
 */
import * as constants from '../constants.ts';
import { LocustTestV1SpecSchema } from '../v1/schema.ts';
import { LocustTestSpecSchema, LocustTestStatusSchema } from '../v2/schema.ts';
import { toStructural, type OpenApiComponents, type SchemaNode } from './structural.ts';

function plain(schema: unknown): SchemaNode {
  return JSON.parse(JSON.stringify(schema)) as SchemaNode;
}

function rootSchema(spec: SchemaNode, status: SchemaNode, description: string): SchemaNode {
  return {
    description,
    type: 'object',
    properties: {
      apiVersion: {
        description:
          'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
        type: 'string',
      },
      kind: {
        description:
          'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
        type: 'string',
      },
      metadata: { type: 'object' },
      spec,
      status,
    },
  };
}

/** The structural openAPIV3Schema of locust.io/v2. */
export function v2OpenApiSchema(components: OpenApiComponents): SchemaNode {
  return rootSchema(
    toStructural(plain(LocustTestSpecSchema), components),
    toStructural(plain(LocustTestStatusSchema), components),
    'LocustTest is a distributed Locust load test: one master and N workers.',
  );
}

/** The structural openAPIV3Schema of the deprecated locust.io/v1. */
export function v1OpenApiSchema(components: OpenApiComponents): SchemaNode {
  return rootSchema(
    toStructural(plain(LocustTestV1SpecSchema), components),
    { description: 'LocustTestStatus (v1) has no fields.', type: 'object' },
    'LocustTest (v1, deprecated) is a distributed Locust load test; use locust.io/v2.',
  );
}

/** The CustomResourceDefinition (without a conversion webhook; the installer adds it). */
export function buildCrd(components: OpenApiComponents): SchemaNode {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: constants.crdName,
      annotations: { 'locust-operator.dev/generated-by': 'npm run gen:crd' },
    },
    spec: {
      group: constants.apiGroup,
      names: {
        kind: constants.kind,
        listKind: constants.listKind,
        plural: constants.plural,
        singular: constants.singular,
        shortNames: [...constants.shortNames],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: false,
          deprecated: true,
          deprecationWarning: constants.v1DeprecationWarning,
          additionalPrinterColumns: [
            {
              name: 'master_cmd',
              type: 'string',
              description: 'Master pod command seed',
              jsonPath: '.spec.masterCommandSeed',
            },
            {
              name: 'worker_replica_count',
              type: 'integer',
              description: 'Number of requested worker pods',
              jsonPath: '.spec.workerReplicas',
            },
            { name: 'Image', type: 'string', description: 'Locust image', jsonPath: '.spec.image' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema: v1OpenApiSchema(components) },
          subresources: { status: {} },
        },
        {
          name: 'v2',
          served: true,
          storage: true,
          additionalPrinterColumns: [
            {
              name: 'Phase',
              type: 'string',
              description: 'Current test phase',
              jsonPath: '.status.phase',
            },
            {
              name: 'Workers',
              type: 'integer',
              description: 'Requested worker count',
              jsonPath: '.spec.worker.replicas',
            },
            {
              name: 'Connected',
              type: 'integer',
              description: 'Connected workers',
              jsonPath: '.status.connectedWorkers',
            },
            { name: 'Image', type: 'string', priority: 1, jsonPath: '.spec.image' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema: v2OpenApiSchema(components) },
          subresources: { status: {} },
        },
      ],
    },
  };
}

/** Root components the CRD embeds (their closure is what the snapshot must hold). */
export const embeddedComponents = [
  'io.k8s.api.core.v1.Affinity',
  'io.k8s.api.core.v1.EnvVar',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.PodSecurityContext',
  'io.k8s.api.core.v1.ResourceRequirements',
  'io.k8s.api.core.v1.SecurityContext',
  'io.k8s.api.core.v1.Toleration',
  'io.k8s.api.core.v1.Volume',
  'io.k8s.api.core.v1.VolumeMount',
];
