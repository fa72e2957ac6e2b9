/**
 * The ConfigMaps and Secrets that travel with a LocustTest in one multi-document file, read as
 * kubectl would create them (top-level objects and the items of `List` objects). Pure.
 */
import type { SourceDocument } from './yaml-documents.ts';

/** A ConfigMap from a manifest: text keys and binary keys, kept apart as the API keeps them. */
export interface ConfigMapObject {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly data: Readonly<Record<string, string>>;
  readonly binaryData: Readonly<Record<string, Uint8Array>>;
  /** The object as written, for creating it in a cluster. */
  readonly manifest: Readonly<Record<string, unknown>>;
}

/** A Secret's keys, decoded (`data` is base64; `stringData` is plain and wins, as in the API). */
export interface SecretObject {
  readonly name: string;
  readonly data: Readonly<Record<string, string>>;
}

/** What a file holds besides its LocustTests. */
export interface ManifestObjects {
  readonly configMaps: readonly ConfigMapObject[];
  readonly secrets: readonly SecretObject[];
  /** `kind/name` of every other object that is not a LocustTest. */
  readonly others: readonly string[];
  /** Objects that could not be read, e.g. a ConfigMap value that is not a string. */
  readonly problems: readonly string[];
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of the documents, with `List` items flattened one level deep. */
export function manifestObjects(documents: readonly SourceDocument[]): JsonObject[] {
  return documents.flatMap(({ value }) => {
    if (!isObject(value)) return [];
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items))
      return value.items.filter(isObject);
    return [value];
  });
}

function metadataOf(object: JsonObject): { name: string; namespace: string | undefined } {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace:
      typeof metadata.namespace === 'string' && metadata.namespace !== ''
        ? metadata.namespace
        : undefined,
  };
}

// kubectl refuses a non-string value ("cannot unmarshal number into ... of type string"); so do we,
// rather than guess how YAML's 1.0 or `yes` should have been spelled.
function stringMap(value: unknown, where: string, problems: string[]): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.push(`${where} must be a map of strings`);
    return {};
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') result[key] = entry;
    else problems.push(`${where}.${key} must be a string (quote it)`);
  }
  return result;
}

function base64Map(value: unknown, where: string, problems: string[]): Record<string, Buffer> {
  const result: Record<string, Buffer> = {};
  for (const [key, text] of Object.entries(stringMap(value, where, problems))) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, ''))) {
      problems.push(`${where}.${key} is not valid base64`);
    } else {
      result[key] = Buffer.from(text, 'base64');
    }
  }
  return result;
}

function readConfigMap(object: JsonObject, problems: string[]): ConfigMapObject {
  const { name, namespace } = metadataOf(object);
  const where = `ConfigMap ${name}`;
  return {
    name,
    namespace,
    data: stringMap(object.data, `${where}: data`, problems),
    binaryData: base64Map(object.binaryData, `${where}: binaryData`, problems),
    manifest: object,
  };
}

/** A Secret object's keys as text; `stringData` wins over `data`, as the API server merges them. */
export function readSecret(object: JsonObject, problems: string[]): SecretObject {
  const { name } = metadataOf(object);
  const where = `Secret ${name}`;
  const data = Object.fromEntries(
    Object.entries(base64Map(object.data, `${where}: data`, problems)).map(([key, bytes]) => [
      key,
      bytes.toString('utf8'),
    ]),
  );
  return {
    name,
    data: { ...data, ...stringMap(object.stringData, `${where}: stringData`, problems) },
  };
}

/** The ConfigMaps, Secrets and other objects (not LocustTests) of the documents, in order. */
export function readManifestObjects(documents: readonly SourceDocument[]): ManifestObjects {
  const configMaps: ConfigMapObject[] = [];
  const secrets: SecretObject[] = [];
  const others: string[] = [];
  const problems: string[] = [];
  for (const object of manifestObjects(documents)) {
    if (object.kind === 'ConfigMap') configMaps.push(readConfigMap(object, problems));
    else if (object.kind === 'Secret') secrets.push(readSecret(object, problems));
    else if (object.kind !== 'LocustTest') {
      others.push(`${String(object.kind)}/${metadataOf(object).name}`);
    }
  }
  return { configMaps, secrets, others, problems };
}
