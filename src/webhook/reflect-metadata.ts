/**
 * The smallest Reflect metadata API that lets `@peculiar/x509` load. Its dependency `tsyringe`
 * throws at import time unless `Reflect.getMetadata` exists (the library's README asks for the
 * `reflect-metadata` package); tsyringe only stores and reads per-class metadata through
 * defineMetadata / getOwnMetadata / getMetadata, so a WeakMap-backed version is enough and spares
 * the operator a dependency. A real polyfill, if one is ever loaded first, is left untouched.
 */

type MetadataTable = Map<unknown, unknown>;

const tables = new WeakMap<object, MetadataTable>();

function ownValue(target: unknown, key: unknown): unknown {
  return typeof target === 'object' || typeof target === 'function'
    ? target === null
      ? undefined
      : tables.get(target)?.get(key)
    : undefined;
}

function defineMetadata(key: unknown, value: unknown, target: unknown): void {
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) {
    throw new TypeError('Reflect.defineMetadata: target must be an object');
  }
  let table = tables.get(target);
  if (!table) {
    table = new Map();
    tables.set(target, table);
  }
  table.set(key, value);
}

function getOwnMetadata(key: unknown, target: unknown): unknown {
  return ownValue(target, key);
}

/** Looks up the prototype chain, as reflect-metadata's getMetadata does. */
function getMetadata(key: unknown, target: unknown): unknown {
  for (let current: unknown = target; current !== null && current !== undefined;) {
    const value = ownValue(current, key);
    if (value !== undefined) return value;
    if (typeof current !== 'object' && typeof current !== 'function') return undefined;
    current = Object.getPrototypeOf(current) as unknown;
  }
  return undefined;
}

/**
 * Installs the three functions on the global Reflect when no polyfill provides them. Idempotent;
 * call before importing `@peculiar/x509` (which {@link loadX509} does).
 */
export function installReflectMetadata(): void {
  if ('getMetadata' in Reflect) return;
  for (const [name, fn] of Object.entries({ defineMetadata, getOwnMetadata, getMetadata })) {
    Object.defineProperty(Reflect, name, { value: fn, writable: true, configurable: true });
  }
}

/** The `@peculiar/x509` module, loaded on first use with the Reflect API it needs in place. */
export async function loadX509(): Promise<typeof import('@peculiar/x509')> {
  installReflectMetadata();
  return import('@peculiar/x509');
}
