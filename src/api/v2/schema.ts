/**
 * The locust.io/v2 LocustTest API: the single source of the TypeScript types, the CRD's structural
 * openAPIV3Schema (via scripts/gen-crd.ts) and the offline validator. Field for field compatible
 * with the Go operator's v2 CRD; deliberate differences are listed in docs/compatibility.md.
 */
import Type, { type Static } from 'typebox';
import type {
  V1Affinity,
  V1EnvVar,
  V1LocalObjectReference,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import { k8sType, stringEnum, stringMap } from '../schema-helpers.ts';

const core = 'io.k8s.api.core.v1';

export const imagePullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;
export const volumeMountTargets = ['master', 'worker', 'both'] as const;
export const otelProtocols = ['grpc', 'http/protobuf'] as const;
export const phases = ['Pending', 'Running', 'Succeeded', 'Failed'] as const;

const int32 = (
  options: { minimum?: number; maximum?: number; default?: number; description?: string } = {},
) => Type.Integer({ format: 'int32', ...options });

export const AutoquitSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'Enabled turns --autoquit on.' }),
    timeout: Type.Optional(
      int32({
        minimum: 0,
        default: 60,
        description: 'Timeout is the seconds to wait after the test ends before quitting.',
      }),
    ),
  },
  { description: 'Autoquit makes the master quit after the test completes.' },
);

export const MasterSpecSchema = Type.Object(
  {
    command: Type.String({
      description:
        'Command is the master command seed: split on whitespace into container args, e.g. "--locustfile /lotest/src/test.py --host https://example.com".',
    }),
    resources: Type.Optional(
      k8sType<V1ResourceRequirements>(`${core}.ResourceRequirements`, {
        description:
          'Resources of the master container; when set, replaces the operator defaults completely.',
      }),
    ),
    labels: Type.Optional(stringMap('Labels added to the master pod.')),
    annotations: Type.Optional(stringMap('Annotations added to the master pod.')),
    autostart: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Autostart starts the test without the web UI (--autostart).',
      }),
    ),
    autoquit: Type.Optional(AutoquitSchema),
    extraArgs: Type.Optional(
      Type.Array(Type.String(), {
        description: 'ExtraArgs are appended after the operator-managed flags.',
      }),
    ),
  },
  { description: 'Master configures the Locust master.' },
);

export const WorkerSpecSchema = Type.Object(
  {
    command: Type.String({
      description: 'Command is the worker command seed, split on whitespace into container args.',
    }),
    replicas: int32({
      minimum: 1,
      maximum: 500,
      description: 'Replicas is the number of worker pods.',
    }),
    resources: Type.Optional(
      k8sType<V1ResourceRequirements>(`${core}.ResourceRequirements`, {
        description:
          'Resources of the worker containers; when set, replaces the operator defaults completely.',
      }),
    ),
    labels: Type.Optional(stringMap('Labels added to the worker pods.')),
    annotations: Type.Optional(stringMap('Annotations added to the worker pods.')),
    extraArgs: Type.Optional(
      Type.Array(Type.String(), {
        description: 'ExtraArgs are appended after the operator-managed flags.',
      }),
    ),
  },
  { description: 'Worker configures the Locust workers.' },
);

export const TestFilesSchema = Type.Object(
  {
    configMapRef: Type.Optional(
      Type.String({ description: 'ConfigMapRef names the ConfigMap holding the locustfile(s).' }),
    ),
    libConfigMapRef: Type.Optional(
      Type.String({ description: 'LibConfigMapRef names the ConfigMap holding library files.' }),
    ),
    srcMountPath: Type.Optional(
      Type.String({
        default: '/lotest/src',
        description: 'SrcMountPath is where test files are mounted.',
      }),
    ),
    libMountPath: Type.Optional(
      Type.String({
        default: '/opt/locust/lib',
        description: 'LibMountPath is where library files are mounted.',
      }),
    ),
  },
  { description: 'TestFiles configures where the test files come from.' },
);

export const SchedulingSchema = Type.Object(
  {
    affinity: Type.Optional(
      k8sType<V1Affinity>(`${core}.Affinity`, { description: 'Affinity of the Locust pods.' }),
    ),
    tolerations: Type.Optional(
      Type.Array(k8sType<V1Toleration>(`${core}.Toleration`), {
        description: 'Tolerations of the Locust pods.',
      }),
    ),
    nodeSelector: Type.Optional(stringMap('NodeSelector of the Locust pods.')),
    runtimeClassName: Type.Optional(
      Type.String({
        maxLength: 253,
        pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        description:
          'RuntimeClassName of the Locust pods: a DNS-1123 subdomain, or "" to opt out of the operator default.',
      }),
    ),
  },
  { description: 'Scheduling configures where the Locust pods run.' },
);

const PrefixedRefSchema = (what: string) =>
  Type.Object({
    name: Type.String({ description: `Name of the ${what}.` }),
    prefix: Type.Optional(Type.String({ description: 'Prefix added to every variable name.' })),
  });

export const SecretMountSchema = Type.Object({
  name: Type.String({ description: 'Name of the Secret to mount.' }),
  mountPath: Type.String({ description: 'MountPath is where the Secret is mounted.' }),
  readOnly: Type.Optional(
    Type.Boolean({ default: true, description: 'ReadOnly mounts the Secret read-only.' }),
  ),
});

export const EnvSchema = Type.Object(
  {
    configMapRefs: Type.Optional(
      Type.Array(PrefixedRefSchema('ConfigMap'), {
        description: 'ConfigMaps whose keys become environment variables.',
      }),
    ),
    secretRefs: Type.Optional(
      Type.Array(PrefixedRefSchema('Secret'), {
        description: 'Secrets whose keys become environment variables.',
      }),
    ),
    variables: Type.Optional(
      Type.Array(k8sType<V1EnvVar>(`${core}.EnvVar`), {
        description: 'Variables are added to both containers, after the operator’s.',
      }),
    ),
    secretMounts: Type.Optional(
      Type.Array(SecretMountSchema, { description: 'Secrets mounted as files.' }),
    ),
  },
  { description: 'Env configures environment variables and secret mounts.' },
);

export type TargetedVolumeMount = V1VolumeMount & { target?: (typeof volumeMountTargets)[number] };

export const TargetedVolumeMountSchema = k8sType<TargetedVolumeMount>(`${core}.VolumeMount`, {
  description: 'A volume mount with the pods it applies to.',
  extraProperties: {
    target: stringEnum(volumeMountTargets, {
      default: 'both',
      description: 'Target is the pod type the mount applies to: master, worker or both.',
    }),
  },
});

export const SecuritySchema = Type.Object(
  {
    podSecurityContext: Type.Optional(
      k8sType<V1PodSecurityContext>(`${core}.PodSecurityContext`, {
        description: 'Replaces the operator’s default pod security context.',
      }),
    ),
    containerSecurityContext: Type.Optional(
      k8sType<V1SecurityContext>(`${core}.SecurityContext`, {
        description: 'Security context of the Locust container.',
      }),
    ),
  },
  { description: 'Security configures pod and container security contexts.' },
);

export const OpenTelemetrySchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description: 'Enabled turns on Locust’s native OpenTelemetry (--otel).',
    }),
    endpoint: Type.Optional(
      Type.String({ description: 'Endpoint of the OTLP collector; required when enabled.' }),
    ),
    protocol: Type.Optional(
      stringEnum(otelProtocols, { default: 'grpc', description: 'Protocol of the OTLP exporter.' }),
    ),
    insecure: Type.Optional(
      Type.Boolean({ default: false, description: 'Insecure disables TLS to the collector.' }),
    ),
    extraEnvVars: Type.Optional(
      stringMap('ExtraEnvVars are added as OTEL_* environment variables.'),
    ),
  },
  { description: 'OpenTelemetry configures native OpenTelemetry export.' },
);

export const LocustTestSpecSchema = Type.Object(
  {
    image: Type.String({ description: 'Image of the Locust master and worker containers.' }),
    imagePullPolicy: Type.Optional(
      stringEnum(imagePullPolicies, {
        default: 'IfNotPresent',
        description: 'ImagePullPolicy of the Locust containers.',
      }),
    ),
    imagePullSecrets: Type.Optional(
      Type.Array(k8sType<V1LocalObjectReference>(`${core}.LocalObjectReference`), {
        description: 'ImagePullSecrets of the Locust pods.',
      }),
    ),
    master: MasterSpecSchema,
    worker: WorkerSpecSchema,
    testFiles: Type.Optional(TestFilesSchema),
    scheduling: Type.Optional(SchedulingSchema),
    env: Type.Optional(EnvSchema),
    volumes: Type.Optional(
      Type.Array(k8sType<V1Volume>(`${core}.Volume`), {
        description: 'Volumes available to the Locust pods.',
      }),
    ),
    volumeMounts: Type.Optional(
      Type.Array(TargetedVolumeMountSchema, {
        description: 'Mounts of those volumes, by pod type.',
      }),
    ),
    security: Type.Optional(SecuritySchema),
    observability: Type.Optional(
      Type.Object(
        { openTelemetry: Type.Optional(OpenTelemetrySchema) },
        { description: 'Observability configures telemetry.' },
      ),
    ),
  },
  { description: 'LocustTestSpec is the desired load test.' },
);

export const ConditionSchema = Type.Object({
  type: Type.String({
    maxLength: 316,
    pattern:
      '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    description: 'Type of the condition in CamelCase.',
  }),
  status: stringEnum(['True', 'False', 'Unknown'] as const, {
    description: 'Status of the condition.',
  }),
  observedGeneration: Type.Optional(
    Type.Integer({
      format: 'int64',
      minimum: 0,
      description: 'The generation the condition was set for.',
    }),
  ),
  lastTransitionTime: Type.String({
    format: 'date-time',
    description: 'When the status last changed.',
  }),
  reason: Type.String({
    maxLength: 1024,
    minLength: 1,
    pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    description: 'Reason for the last transition, in CamelCase.',
  }),
  message: Type.String({ maxLength: 32768, description: 'Message for humans.' }),
});

export const LocustTestStatusSchema = Type.Object(
  {
    phase: Type.Optional(stringEnum(phases, { description: 'Phase of the test.' })),
    observedGeneration: Type.Optional(
      Type.Integer({ format: 'int64', description: 'The generation last processed.' }),
    ),
    expectedWorkers: Type.Optional(int32({ description: 'Workers the test expects.' })),
    connectedWorkers: Type.Optional(int32({ description: 'Workers currently connected.' })),
    startTime: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the test started.' }),
    ),
    completionTime: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the test finished.' }),
    ),
    conditions: Type.Optional(
      Type.Array(ConditionSchema, {
        description: 'Conditions of the test.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      }),
    ),
  },
  { description: 'LocustTestStatus is the observed state of the test.' },
);

export type LocustTestSpec = Static<typeof LocustTestSpecSchema>;
export type LocustTestStatus = Static<typeof LocustTestStatusSchema>;
export type Condition = Static<typeof ConditionSchema>;
export type Phase = (typeof phases)[number];

/** Object metadata as far as this operator reads it. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/** A locust.io/v2 LocustTest. */
export interface LocustTest {
  apiVersion: 'locust.io/v2';
  kind: 'LocustTest';
  metadata: ObjectMeta;
  spec: LocustTestSpec;
  status?: LocustTestStatus;
}
