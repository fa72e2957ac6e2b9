/**
 * Merging a v1 object back onto the v2 spec it was converted from (kept in an annotation), so a
 * write through the deprecated v1 API changes only what v1 shows and erases nothing else.
 *
 * The rule, per v1 field: if the v1 value still equals what the stored v2 spec converts to, the
 * stored v2 part is kept unchanged (so everything v1 flattened or dropped survives); otherwise the
 * v1 value wins and replaces, or removes, exactly the v2 part it maps to.
 */
import type {
  V1Affinity,
  V1NodeAffinity,
  V1NodeSelector,
  V1Toleration,
} from '@kubernetes/client-node';
import type { LocustTestV1Spec } from './v1/schema.ts';
import type { LocustTestSpec } from './v2/schema.ts';
import { jsonEqual, nonEmptyObject, setOptional } from './conversion-json.ts';
import { tolerationToV1, v1SpecFromV2, v2SpecFromV1 } from './conversion-mapping.ts';

type Master = LocustTestSpec['master'];
type Worker = LocustTestSpec['worker'];
type TestFiles = NonNullable<LocustTestSpec['testFiles']>;

/** One field v1 expresses: how to read it from a v1 spec and how to apply it to a v2 spec. */
interface V1Field {
  read: (spec: LocustTestV1Spec) => unknown;
  /** Copies the field's v2 counterpart from `mapped` (the plain v1 → v2 mapping) into `target`. */
  apply: (target: LocustTestSpec, mapped: LocustTestSpec, stored: LocustTestSpec) => void;
}

function roleMap(
  read: V1Field['read'],
  role: 'master' | 'worker',
  key: 'labels' | 'annotations',
): V1Field {
  return {
    read,
    apply: (target, mapped) => {
      const part: Master | Worker = target[role];
      setOptional(part, key, mapped[role][key]);
    },
  };
}

function testFile(read: V1Field['read'], key: 'configMapRef' | 'libConfigMapRef'): V1Field {
  return {
    read,
    apply: (target, mapped) => {
      const testFiles: TestFiles = { ...target.testFiles };
      setOptional(testFiles, key, mapped.testFiles?.[key]);
      // Mount paths are v2-only and survive; an emptied block goes, as the plain mapping has none.
      setOptional(target, 'testFiles', nonEmptyObject(testFiles));
    },
  };
}

/** Replaces the required node selector only: v1 cannot see preferred terms or pod (anti)affinity. */
function setRequiredNodeAffinity(target: LocustTestSpec, required: V1NodeSelector | undefined) {
  // `target` is the caller's own copy, so its nested objects may be changed in place.
  const scheduling = target.scheduling ?? {};
  const affinity: V1Affinity = scheduling.affinity ?? {};
  const nodeAffinity: V1NodeAffinity = affinity.nodeAffinity ?? {};
  setOptional(nodeAffinity, 'requiredDuringSchedulingIgnoredDuringExecution', required);
  setOptional(affinity, 'nodeAffinity', nonEmptyObject(nodeAffinity));
  setOptional(scheduling, 'affinity', nonEmptyObject(affinity));
  setOptional(target, 'scheduling', nonEmptyObject(scheduling));
}

/**
 * The v1 tolerations, each replaced by a stored v2 toleration that shows the same in v1 (keeping
 * its tolerationSeconds), followed by the stored ones v1 never showed (its user cannot have
 * removed them).
 */
function mergeTolerations(mapped: LocustTestSpec, stored: LocustTestSpec): V1Toleration[] {
  const storedList = stored.scheduling?.tolerations ?? [];
  const unused = [...storedList];
  const merged = (mapped.scheduling?.tolerations ?? []).map((toleration) => {
    const view = tolerationToV1(toleration);
    const index = unused.findIndex((candidate) => jsonEqual(tolerationToV1(candidate), view));
    return index < 0 ? toleration : (unused.splice(index, 1)[0] ?? toleration);
  });
  const hidden = storedList.filter((toleration) => tolerationToV1(toleration) === undefined);
  return [...merged, ...hidden];
}

function setTolerations(target: LocustTestSpec, tolerations: V1Toleration[]) {
  const scheduling = { ...target.scheduling };
  setOptional(scheduling, 'tolerations', tolerations.length === 0 ? undefined : tolerations);
  setOptional(target, 'scheduling', nonEmptyObject(scheduling));
}

/** Every field v1 expresses, with the v2 part it maps to (spec §1.7). */
const v1Fields: readonly V1Field[] = [
  { read: (s) => s.image, apply: (t, m) => (t.image = m.image) },
  {
    read: (s) => s.imagePullPolicy,
    apply: (t, m) => {
      setOptional(t, 'imagePullPolicy', m.imagePullPolicy);
    },
  },
  {
    read: (s) => s.imagePullSecrets,
    apply: (t, m) => {
      setOptional(t, 'imagePullSecrets', m.imagePullSecrets);
    },
  },
  { read: (s) => s.masterCommandSeed, apply: (t, m) => (t.master.command = m.master.command) },
  { read: (s) => s.workerCommandSeed, apply: (t, m) => (t.worker.command = m.worker.command) },
  { read: (s) => s.workerReplicas, apply: (t, m) => (t.worker.replicas = m.worker.replicas) },
  roleMap((s) => s.labels?.master, 'master', 'labels'),
  roleMap((s) => s.labels?.worker, 'worker', 'labels'),
  roleMap((s) => s.annotations?.master, 'master', 'annotations'),
  roleMap((s) => s.annotations?.worker, 'worker', 'annotations'),
  testFile((s) => s.configMap, 'configMapRef'),
  testFile((s) => s.libConfigMap, 'libConfigMapRef'),
  {
    read: (s) => s.affinity,
    apply: (t, m) => {
      setRequiredNodeAffinity(
        t,
        m.scheduling?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      );
    },
  },
  {
    read: (s) => s.tolerations,
    apply: (t, m, stored) => {
      setTolerations(t, mergeTolerations(m, stored));
    },
  },
];

/**
 * The v2 spec for a v1 spec that was converted from `stored`: `stored`, with every field the v1
 * object changed (compared with what `stored` converts to) taken from the v1 object. Pure; neither
 * argument is modified.
 */
export function overlayV1Spec(stored: LocustTestSpec, spec: LocustTestV1Spec): LocustTestSpec {
  const mapped = v2SpecFromV1(spec);
  // Compare canonical v1 forms, so `labels: {master: {}}` or `configMap: ""` equal "absent".
  const edited = v1SpecFromV2(mapped);
  const shown = v1SpecFromV2(stored);
  const target = structuredClone(stored);
  for (const field of v1Fields) {
    if (!jsonEqual(field.read(edited), field.read(shown))) field.apply(target, mapped, stored);
  }
  return target;
}
