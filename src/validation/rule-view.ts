/**
 * The facts the admission rules look at, read leniently from an unchecked object: a field of the
 * wrong type reads as absent (the schema check reports it), so every rule can run on any input
 * and all problems are reported together. Empty strings read as absent where the Go operator
 * tested for "" (its zero value).
 */
import type { Role } from '../api/names.ts';

/** An item of a list, with its index for field paths. */
export interface Indexed {
  readonly index: number;
}

/** One `spec.env.secretMounts` entry. */
export interface SecretMountView extends Indexed {
  readonly name: string | undefined;
  readonly mountPath: string | undefined;
}

/** One `spec.volumes` entry. */
export interface VolumeView extends Indexed {
  readonly name: string | undefined;
}

/** One `spec.volumeMounts` entry. */
export interface VolumeMountView extends Indexed {
  readonly name: string | undefined;
  readonly mountPath: string | undefined;
  /** `master`, `worker` or `both` (the schema default); anything else mounts nowhere. */
  readonly target: string;
}

/** One string of an `extraArgs` list. */
export interface ArgView extends Indexed {
  readonly value: string;
}

/** The command line inputs of one role (master or worker). */
export interface RoleView {
  readonly command: string | undefined;
  readonly extraArgs: readonly ArgView[];
}

/** The name the generated objects derive from: `metadata.name`, else `metadata.generateName`. */
export interface NameView {
  readonly field: 'metadata.name' | 'metadata.generateName';
  readonly value: string;
}

/** Everything the admission rules read, with absent or mistyped fields as undefined/empty. */
export interface RuleView {
  readonly name: NameView | undefined;
  /** `metadata.name` and `metadata.generateName` as given, for type checks (YAML 1.1 `name: y`). */
  readonly rawNames: Readonly<Record<'name' | 'generateName', unknown>>;
  readonly configMapRef: string | undefined;
  readonly libConfigMapRef: string | undefined;
  readonly srcMountPath: string | undefined;
  readonly libMountPath: string | undefined;
  readonly secretMounts: readonly SecretMountView[];
  readonly volumes: readonly VolumeView[];
  readonly volumeMounts: readonly VolumeMountView[];
  readonly openTelemetryEnabled: boolean;
  readonly openTelemetryEndpoint: string | undefined;
  readonly roles: Readonly<Record<Role, RoleView>>;
}

type JsonObject = Readonly<Record<string, unknown>>;

function object(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readName(metadata: JsonObject): NameView | undefined {
  const name = text(metadata.name);
  if (name !== undefined && name !== '') return { field: 'metadata.name', value: name };
  const generateName = nonEmpty(metadata.generateName);
  return generateName === undefined
    ? undefined
    : { field: 'metadata.generateName', value: generateName };
}

function readRole(spec: JsonObject, role: Role): RoleView {
  const roleSpec = object(spec[role]);
  return {
    command: text(roleSpec.command),
    extraArgs: list(roleSpec.extraArgs).flatMap((value, index) =>
      typeof value === 'string' ? [{ index, value }] : [],
    ),
  };
}

/** Reads the facts the rules need from `test`, which may be anything. */
export function readRuleView(test: unknown): RuleView {
  const root = object(test);
  const metadata = object(root.metadata);
  const spec = object(root.spec);
  const testFiles = object(spec.testFiles);
  const env = object(spec.env);
  const openTelemetry = object(object(spec.observability).openTelemetry);
  return {
    name: readName(metadata),
    rawNames: { name: metadata.name, generateName: metadata.generateName },
    configMapRef: nonEmpty(testFiles.configMapRef),
    libConfigMapRef: nonEmpty(testFiles.libConfigMapRef),
    srcMountPath: nonEmpty(testFiles.srcMountPath),
    libMountPath: nonEmpty(testFiles.libMountPath),
    secretMounts: list(env.secretMounts).map((item, index) => {
      const mount = object(item);
      return { index, name: text(mount.name), mountPath: text(mount.mountPath) };
    }),
    volumes: list(spec.volumes).map((item, index) => ({ index, name: text(object(item).name) })),
    volumeMounts: list(spec.volumeMounts).map((item, index) => {
      const mount = object(item);
      const target = mount.target === undefined ? 'both' : mount.target;
      return {
        index,
        name: text(mount.name),
        mountPath: text(mount.mountPath),
        target: typeof target === 'string' ? target : '',
      };
    }),
    openTelemetryEnabled: openTelemetry.enabled === true,
    openTelemetryEndpoint: nonEmpty(openTelemetry.endpoint),
    roles: { master: readRole(spec, 'master'), worker: readRole(spec, 'worker') },
  };
}
