/**
 * The Go operator's validating-webhook rules (spec §5.2), in its evaluation order and with its
 * messages, each returning every problem it finds rather than stopping at the first.
 */
import {
  libVolumeName,
  maxGeneratedNameLength,
  maxTestNameLength,
  secretVolumePrefix,
} from '../api/constants.ts';
import { nodeName } from '../api/names.ts';
import type { FieldProblem } from './field-problem.ts';
import { pathsConflict, reservedPaths } from './mount-paths.ts';
import type { RuleView } from './rule-view.ts';

/** A rule: the facts of one test in, problems out. */
export type Rule = (view: RuleView) => FieldProblem[];

/** The API server appends this many random characters to `generateName`. */
export const generateNameSuffixLength = 5;

/** Rule 1: `<name>-worker`, the longest generated name, must fit in 63 characters. */
export const nameLengthRule: Rule = ({ name }) => {
  if (name === undefined) return [];
  if (name.field === 'metadata.name') {
    if (name.value.length <= maxTestNameLength) return [];
    const message = `name "${name.value}" is too long: generated Job names would exceed ${String(maxGeneratedNameLength)} characters (max CR name length is ${String(maxTestNameLength)})`;
    return [{ field: name.field, message }];
  }
  const max = maxTestNameLength - generateNameSuffixLength;
  if (name.value.length <= max) return [];
  const message = `generateName "${name.value}" is too long: with the ${String(generateNameSuffixLength)} random characters the API server adds, generated Job names would exceed ${String(maxGeneratedNameLength)} characters (max generateName length is ${String(max)})`;
  return [{ field: name.field, message }];
};

/** Rule 2: Secrets may not be mounted over the test-file paths. */
export const secretMountPathRule: Rule = (view) => {
  const reserved = reservedPaths(view);
  return view.secretMounts.flatMap(({ index, mountPath }) =>
    mountPath === undefined || mountPath === ''
      ? []
      : reserved
          .filter((r) => pathsConflict(mountPath, r.path))
          .map((r) => ({
            field: `spec.env.secretMounts[${String(index)}].mountPath`,
            message: `secretMount path "${mountPath}" conflicts with reserved path "${r.path}"; operator uses this path for test files`,
          })),
  );
};

/** Rule 3: user volumes may not take the names of the operator's volumes. */
export const volumeNameRule: Rule = (view) => {
  const generated =
    view.name?.field === 'metadata.name'
      ? [nodeName(view.name.value, 'master'), nodeName(view.name.value, 'worker')]
      : [];
  return view.volumes.flatMap(({ index, name }) => {
    if (name === undefined) return [];
    const field = `spec.volumes[${String(index)}].name`;
    if (name.startsWith(secretVolumePrefix)) {
      return [
        { field, message: `volume name "${name}" uses reserved prefix "${secretVolumePrefix}"` },
      ];
    }
    if (name === libVolumeName) {
      return [{ field, message: `volume name "${name}" is reserved by the operator` }];
    }
    if (generated.includes(name)) {
      return [{ field, message: `volume name "${name}" conflicts with operator-generated name` }];
    }
    return [];
  });
};

/** Rule 4: user volume mounts may not cover the test-file paths. */
export const volumeMountPathRule: Rule = (view) => {
  const reserved = reservedPaths(view);
  return view.volumeMounts.flatMap(({ index, mountPath }) =>
    mountPath === undefined || mountPath === ''
      ? []
      : reserved
          .filter((r) => pathsConflict(mountPath, r.path))
          .map((r) => ({
            field: `spec.volumeMounts[${String(index)}].mountPath`,
            message: `volumeMount path "${mountPath}" conflicts with reserved path "${r.path}"`,
          })),
  );
};

/** Rule 5: every volume mount names a volume of `spec.volumes`. */
export const mountReferenceRule: Rule = (view) => {
  const defined = view.volumes.flatMap(({ name }) => (name === undefined ? [] : [name]));
  const allowed =
    defined.length === 0
      ? 'spec.volumes defines no volumes'
      : `defined volumes: ${defined.map((n) => `"${n}"`).join(', ')}`;
  return view.volumeMounts.flatMap(({ index, name }) =>
    name === undefined || defined.includes(name)
      ? []
      : [
          {
            field: `spec.volumeMounts[${String(index)}].name`,
            message: `volumeMount "${name}" references undefined volume; ${allowed}`,
          },
        ],
  );
};

/** Rule 6: OpenTelemetry needs an endpoint. */
export const openTelemetryRule: Rule = (view) =>
  view.openTelemetryEnabled && view.openTelemetryEndpoint === undefined
    ? [
        {
          field: 'spec.observability.openTelemetry.endpoint',
          message:
            'Required value: observability.openTelemetry.endpoint is required when OpenTelemetry is enabled',
        },
      ]
    : [];

/** The Go webhook's rules, in its order. */
export const webhookRules: readonly Rule[] = [
  nameLengthRule,
  secretMountPathRule,
  volumeNameRule,
  volumeMountPathRule,
  mountReferenceRule,
  openTelemetryRule,
];
