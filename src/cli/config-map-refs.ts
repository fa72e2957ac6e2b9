/**
 * Every place a LocustTest manifest names a ConfigMap, so `apply --generate-name` can give the
 * ConfigMaps it creates unique names too and point the test at them: two CI runs of the same
 * manifest must not overwrite each other's test files. Pure; works on the manifest as written.
 */

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(object: unknown, key: string): JsonObject | undefined {
  if (!isObject(object)) return undefined;
  const value = object[key];
  return isObject(value) ? value : undefined;
}

function arrayAt(object: unknown, key: string): unknown[] {
  if (!isObject(object)) return [];
  const value = object[key];
  return Array.isArray(value) ? value : [];
}

type NameMapper = (name: string) => string | undefined;

// Replaces object[key] when it is a name the mapper maps.
function rename(object: JsonObject | undefined, key: string, map: NameMapper): void {
  if (object === undefined) return;
  const current = object[key];
  if (typeof current !== 'string') return;
  const renamed = map(current);
  if (renamed !== undefined) object[key] = renamed;
}

// Visits every ConfigMap reference of a manifest (a copy, so the caller's value is untouched).
function mapConfigMapRefs(value: unknown, map: NameMapper): unknown {
  const copy: unknown = structuredClone(value);
  const spec = objectAt(copy, 'spec');
  const testFiles = objectAt(spec, 'testFiles');
  rename(testFiles, 'configMapRef', map);
  rename(testFiles, 'libConfigMapRef', map);
  const env = objectAt(spec, 'env');
  for (const ref of arrayAt(env, 'configMapRefs')) {
    rename(isObject(ref) ? ref : undefined, 'name', map);
  }
  for (const variable of arrayAt(env, 'variables')) {
    rename(objectAt(objectAt(variable, 'valueFrom'), 'configMapKeyRef'), 'name', map);
  }
  for (const volume of arrayAt(spec, 'volumes')) {
    rename(objectAt(volume, 'configMap'), 'name', map);
    for (const source of arrayAt(objectAt(volume, 'projected'), 'sources')) {
      rename(objectAt(source, 'configMap'), 'name', map);
    }
  }
  return copy;
}

/**
 * A copy of the LocustTest manifest `value` with each ConfigMap name in `renames` replaced at:
 * `spec.testFiles.configMapRef` and `.libConfigMapRef`, `spec.env.configMapRefs[].name`,
 * `spec.env.variables[].valueFrom.configMapKeyRef.name`, `spec.volumes[].configMap.name` and
 * `spec.volumes[].projected.sources[].configMap.name`. Other names are left alone.
 */
export function renameConfigMapRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  return mapConfigMapRefs(value, (name) => renames.get(name));
}

/** The names of the ConfigMaps the manifest refers to, at the places renameConfigMapRefs knows. */
export function referencedConfigMaps(value: unknown): Set<string> {
  const names = new Set<string>();
  mapConfigMapRefs(value, (name) => {
    names.add(name);
    return undefined;
  });
  return names;
}
