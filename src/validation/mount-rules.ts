/**
 * Checks of volumes and mounts that the Go webhook missed (weak spot 15) and that Kubernetes
 * would enforce later, on the generated Jobs: unique volume names, valid volume names (including
 * the `secret-<name>` volumes made from secretMounts), non-empty and unique mount paths per
 * container. Overlapping (nested) secret and volume mounts are legal but usually a mistake, so
 * they are warnings.
 */
import { secretVolumePrefix } from '../api/constants.ts';
import type { Role } from '../api/names.ts';
import type { FieldProblem, ValidationResult } from './field-problem.ts';
import { dns1123LabelProblems } from './k8s-names.ts';
import { pathsConflict } from './mount-paths.ts';
import type { RuleView } from './rule-view.ts';

interface MountEntry {
  readonly field: string;
  readonly path: string;
  readonly isSecret: boolean;
  readonly roles: readonly Role[];
}

const rolesOfTarget: Readonly<Record<string, readonly Role[]>> = {
  both: ['master', 'worker'],
  master: ['master'],
  worker: ['worker'],
};

function containers(roles: readonly Role[]): string {
  return roles.length === 2 ? 'master and worker containers' : `${roles.join('')} container`;
}

function mountEntries(view: RuleView, errors: FieldProblem[]): MountEntry[] {
  const entries: MountEntry[] = [];
  const add = (
    field: string,
    path: string | undefined,
    isSecret: boolean,
    roles: readonly Role[],
  ) => {
    if (path === undefined) return;
    if (path === '') {
      errors.push({ field, message: 'Required value: a mount path must not be empty' });
    } else {
      entries.push({ field, path, isSecret, roles });
    }
  };
  const bothRoles: readonly Role[] = ['master', 'worker'];
  for (const m of view.secretMounts) {
    add(`spec.env.secretMounts[${String(m.index)}].mountPath`, m.mountPath, true, bothRoles);
  }
  for (const m of view.volumeMounts) {
    add(
      `spec.volumeMounts[${String(m.index)}].mountPath`,
      m.mountPath,
      false,
      rolesOfTarget[m.target] ?? [],
    );
  }
  return entries;
}

function checkMountPaths(entries: readonly MountEntry[], out: ValidationResult): void {
  entries.forEach((later, j) => {
    for (const earlier of entries.slice(0, j)) {
      const shared = later.roles.filter((role) => earlier.roles.includes(role));
      if (shared.length === 0) continue;
      if (later.path === earlier.path) {
        out.errors.push({
          field: later.field,
          message: `Invalid value: "${later.path}": must be unique: ${earlier.field} already mounts this path in the ${containers(shared)}`,
        });
        return;
      }
      if ((later.isSecret || earlier.isSecret) && pathsConflict(later.path, earlier.path)) {
        out.warnings.push({
          field: later.field,
          message: `mount path "${later.path}" overlaps "${earlier.path}" (${earlier.field}) in the ${containers(shared)}; the inner mount hides part of the outer one`,
        });
      }
    }
  });
}

function checkSecretMounts(view: RuleView, out: ValidationResult): void {
  const firstIndex = new Map<string, number>();
  for (const { index, name } of view.secretMounts) {
    if (name === undefined) continue;
    const field = `spec.env.secretMounts[${String(index)}].name`;
    if (name === '') {
      out.errors.push({ field, message: 'Required value: the name of the Secret to mount' });
      continue;
    }
    const volume = `${secretVolumePrefix}${name}`;
    const first = firstIndex.get(name);
    if (first !== undefined) {
      out.errors.push({
        field,
        message: `Duplicate value: "${name}": spec.env.secretMounts[${String(first)}] already mounts this Secret; both would create the volume "${volume}" and volume names must be unique`,
      });
      continue;
    }
    firstIndex.set(name, index);
    const problems = dns1123LabelProblems(volume);
    if (problems.length > 0) {
      out.errors.push({
        field,
        message: `Invalid value: "${name}": the generated volume name "${volume}" is not a valid volume name: ${problems.join('; ')}`,
      });
    }
  }
}

function checkVolumes(view: RuleView, out: ValidationResult): void {
  const mounted = new Set(
    view.volumeMounts.flatMap(({ name }) => (name === undefined ? [] : [name])),
  );
  const firstIndex = new Map<string, number>();
  for (const { index, name } of view.volumes) {
    if (name === undefined) continue;
    const field = `spec.volumes[${String(index)}].name`;
    const first = firstIndex.get(name);
    if (first !== undefined) {
      out.errors.push({
        field,
        message: `Duplicate value: "${name}": spec.volumes[${String(first)}] has the same name; volume names must be unique`,
      });
      continue;
    }
    firstIndex.set(name, index);
    if (!mounted.has(name)) {
      out.warnings.push({
        field,
        message: `volume "${name}" is not used by any spec.volumeMounts entry, so it is added to no pod`,
      });
      continue;
    }
    const problems = dns1123LabelProblems(name);
    if (problems.length > 0) {
      out.errors.push({ field, message: `Invalid value: "${name}": ${problems.join('; ')}` });
    }
  }
}

/** Volume, secret-mount and mount-path checks for the pods the operator will create. */
export function checkMounts(view: RuleView): ValidationResult {
  const out: ValidationResult = { errors: [], warnings: [] };
  checkSecretMounts(view, out);
  checkVolumes(view, out);
  checkMountPaths(mountEntries(view, out.errors), out);
  return out;
}
