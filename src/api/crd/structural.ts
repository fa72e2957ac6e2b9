/**
 * Turns the TypeBox LocustTest schema into a Kubernetes structural schema: embedded Kubernetes
 * types (marked by `k8sType()`) are replaced by their OpenAPI v3 components from the API server,
 * converted the way controller-gen converts them, so the result matches the Go operator's CRD.
 */
import { k8sRefKey } from '../schema-helpers.ts';

/** A JSON-schema node as plain data. */
export type SchemaNode = Record<string, unknown>;
/** OpenAPI v3 `components.schemas` of the API server (the subset the CRD needs). */
export type OpenApiComponents = Record<string, SchemaNode>;

const quantity = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The shapes controller-gen emits for types with custom JSON (de)serialisation. */
const specialComponents: Record<string, SchemaNode> = {
  [quantity]: {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern:
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    'x-kubernetes-int-or-string': true,
  },
  [intOrString]: {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  // Embedded ObjectMeta is opaque in CRDs: the API server only keeps name/labels/annotations-like data.
  [objectMeta]: { type: 'object' },
};

/**
 * Keys of the API server's OpenAPI that have no place in a CRD schema, or that controller-gen
 * does not emit (enums: the Go operator's CRD has none on core types, and the API server still
 * checks them when the Jobs are created).
 */
const droppedKubernetesKeys = new Set([
  'enum',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-group-version-kind',
  'x-kubernetes-unions',
]);

/**
 * Where controller-gen's output differs from the API server's OpenAPI for reasons of its own:
 * it ignores `+default=ref(...)` markers, and it keeps the `atomic` map type of an inlined
 * LocalObjectReference. Matching it keeps our CRD identical to the Go operator's.
 */
const controllerGenDroppedDefaults: Record<string, readonly string[]> = {
  'io.k8s.api.core.v1.AzureDiskVolumeSource': ['cachingMode', 'kind'],
};
const controllerGenAtomicMaps = new Set([
  'io.k8s.api.core.v1.ConfigMapVolumeSource',
  'io.k8s.api.core.v1.ConfigMapProjection',
  'io.k8s.api.core.v1.SecretProjection',
]);

/** Zero values the OpenAPI generator emits as defaults of required or element fields. */
function isZeroDefault(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function componentName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function refOf(node: SchemaNode): string | undefined {
  if (typeof node.$ref === 'string') return componentName(node.$ref);
  const allOf = node.allOf;
  if (
    Array.isArray(allOf) &&
    allOf.length === 1 &&
    isNode(allOf[0]) &&
    typeof allOf[0].$ref === 'string'
  ) {
    return componentName(allOf[0].$ref);
  }
  return undefined;
}

function resolveComponent(
  name: string,
  components: OpenApiComponents,
  stack: readonly string[],
): SchemaNode {
  const special = specialComponents[name];
  if (special) return structuredClone(special);
  if (stack.includes(name)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const component = components[name];
  if (!component) throw new Error(`OpenAPI component ${name} is missing from the snapshot`);
  const converted = convertKubernetes(component, components, [...stack, name]);
  const properties = converted.properties;
  if (isNode(properties)) {
    for (const field of controllerGenDroppedDefaults[name] ?? []) {
      const property = properties[field];
      if (isNode(property)) delete property.default;
    }
  }
  if (controllerGenAtomicMaps.has(name)) converted['x-kubernetes-map-type'] = 'atomic';
  return converted;
}

/**
 * Converts a node of the API server's OpenAPI document to structural form. `zeroDefaultAllowed`
 * is false for required properties and for list/map elements, whose zero-value defaults the
 * OpenAPI generator emits but controller-gen does not.
 */
function convertKubernetes(
  node: SchemaNode,
  components: OpenApiComponents,
  stack: readonly string[],
  zeroDefaultAllowed = true,
): SchemaNode {
  const keepDefault = (value: unknown): boolean =>
    // Defaults of `{}` on objects are not emitted by controller-gen and would fail CRD
    // validation for objects with required fields.
    !isNode(value) && (zeroDefaultAllowed || !isZeroDefault(value));
  const ref = refOf(node);
  if (ref !== undefined) {
    const resolved = resolveComponent(ref, components, stack);
    if ('default' in node && keepDefault(node.default)) resolved.default = node.default;
    return resolved;
  }
  const required = Array.isArray(node.required) ? (node.required as string[]) : [];
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (droppedKubernetesKeys.has(key)) continue;
    if (key === 'default' && !keepDefault(value)) continue;
    if (key === 'properties' && isNode(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          convertKubernetes(child as SchemaNode, components, stack, !required.includes(name)),
        ]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isNode(value)) {
      out[key] = convertKubernetes(value, components, stack, false);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

/** Converts our own (TypeBox) schema, resolving embedded Kubernetes types. */
export function toStructural(node: SchemaNode, components: OpenApiComponents): SchemaNode {
  const component = node[k8sRefKey];
  if (typeof component === 'string') {
    const resolved = resolveComponent(component, components, []);
    if (typeof node.description === 'string') resolved.description = node.description;
    if (isNode(node.properties)) {
      const own = toStructural({ type: 'object', properties: node.properties }, components);
      resolved.properties = {
        ...(resolved.properties as SchemaNode),
        ...(own.properties as SchemaNode),
      };
    }
    return canonical(resolved);
  }
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isNode(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [
          name,
          toStructural(child as SchemaNode, components),
        ]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isNode(value)) {
      out[key] = toStructural(value, components);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return canonical(out);
}

const keyOrder = ['description', 'type', 'format', 'enum', 'default', 'anyOf', 'pattern'];

/** Deterministic key order (known keys first, properties sorted by name, required sorted). */
export function canonical(node: SchemaNode): SchemaNode {
  const keys = Object.keys(node).sort((a, b) => {
    const ia = keyOrder.indexOf(a);
    const ib = keyOrder.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a.localeCompare(b);
  });
  const out: SchemaNode = {};
  for (const key of keys) {
    const value = node[key];
    if (key === 'properties' && isNode(value)) {
      out.properties = Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((name) => [name, canonical(value[name] as SchemaNode)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isNode(value)) {
      out[key] = canonical(value);
    } else if (key === 'required' && Array.isArray(value)) {
      out.required = [...(value as string[])].sort();
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Names of every component reachable from the given roots (for the committed snapshot). */
export function componentClosure(
  roots: readonly string[],
  components: OpenApiComponents,
): string[] {
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (isNode(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string') enter(componentName(child));
        else visit(child);
      }
    }
  };
  const enter = (name: string): void => {
    if (seen.has(name) || name in specialComponents) return;
    seen.add(name);
    visit(components[name]);
  };
  roots.forEach(enter);
  return [...seen].sort();
}
