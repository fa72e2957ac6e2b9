/**
 * Resolves a container's env the way the kubelet would, from ConfigMaps and Secrets that are
 * available on this machine (given in the manifest or on the command line) instead of the
 * cluster. Pure: the sources are a parameter.
 */
import type { V1Container, V1EnvVar } from '@kubernetes/client-node';

/** ConfigMaps and Secrets available locally, by name: their keys and text values. */
export interface LocalEnvSources {
  readonly configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly secrets: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

type Lookup = { kind: 'ConfigMap' | 'Secret'; name: string; optional: boolean };

function sourceOf(
  sources: LocalEnvSources,
  lookup: Lookup,
): Readonly<Record<string, string>> | undefined {
  const map = lookup.kind === 'ConfigMap' ? sources.configMaps : sources.secrets;
  return map.get(lookup.name);
}

// One env entry with valueFrom: its value, or why it has none here. Only ConfigMap and Secret
// keys can be known off-cluster; fieldRef and resourceFieldRef describe a pod that does not exist.
function valueFrom(
  variable: V1EnvVar,
  sources: LocalEnvSources,
  container: string,
): { value?: string; warning?: string } {
  const from = variable.valueFrom ?? {};
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (ref === undefined) {
    return { warning: `env ${variable.name} of ${container} uses valueFrom; skipped` };
  }
  const lookup: Lookup = {
    kind: from.configMapKeyRef === undefined ? 'Secret' : 'ConfigMap',
    name: ref.name ?? '',
    optional: ref.optional === true,
  };
  const data = sourceOf(sources, lookup);
  const value = data?.[ref.key];
  if (value !== undefined) return { value };
  // The kubelet leaves an optional reference out silently and refuses to start the container
  // otherwise; here the run goes on, so the user gets told instead.
  if (lookup.optional) return {};
  const missing = data === undefined ? 'is not available locally' : `has no key ${ref.key}`;
  return {
    warning: `env ${variable.name} of ${container}: ${lookup.kind} ${lookup.name} ${missing}; skipped`,
  };
}

/**
 * The container's env as the kubelet builds it: every `envFrom` source's keys (with its prefix),
 * in order, then `env` in order, a later duplicate winning. ConfigMap and Secret references are
 * looked up in `sources`; what cannot be resolved is skipped with a warning (silently when the
 * reference is optional). `rewrite` is applied to every value (mount paths → local directories).
 */
export function resolveEnv(
  container: V1Container,
  sources: LocalEnvSources,
  rewrite: (text: string) => string,
): { env: Record<string, string>; warnings: string[] } {
  const env: Record<string, string> = {};
  const warnings: string[] = [];
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const lookup: Lookup = {
      kind: source.configMapRef === undefined ? 'Secret' : 'ConfigMap',
      name: ref?.name ?? '',
      optional: ref?.optional === true,
    };
    const data = sourceOf(sources, lookup);
    if (data === undefined) {
      if (!lookup.optional) {
        warnings.push(
          `envFrom ${lookup.kind} ${lookup.name} of ${container.name} is not available locally; skipped`,
        );
      }
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      env[`${source.prefix ?? ''}${key}`] = rewrite(value);
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.valueFrom === undefined) {
      env[variable.name] = rewrite(variable.value ?? '');
      continue;
    }
    const resolved = valueFrom(variable, sources, container.name);
    if (resolved.warning !== undefined) warnings.push(resolved.warning);
    if (resolved.value !== undefined) env[variable.name] = rewrite(resolved.value);
  }
  return { env, warnings };
}
