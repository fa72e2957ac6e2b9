/**
 * Which files a ConfigMap or Secret volume shows a container, computed the way the kubelet lays
 * them out: each key becomes a file named after it, or, with `items`, only the listed keys at
 * their `path`s. Pure; writing the files is local-files.ts's job.
 */

/** One file of a volume: a path relative to the mount and its bytes or text. */
export interface VolumeFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** The keys of a ConfigMap (text and binary) or of a Secret (text). */
export interface VolumeSource {
  readonly data: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, Uint8Array>>;
}

/** An entry of a volume's `items`: which key, at which relative path. */
export interface KeyToPath {
  readonly key: string;
  readonly path: string;
}

// The API server's rule for ConfigMap and Secret keys (IsConfigMapKey): they are file names.
const validKey = /^[-._a-zA-Z0-9]+$/;

/** Whether `key` is a valid ConfigMap/Secret key, and so a safe single file name. */
export function isValidKey(key: string): boolean {
  return key.length <= 253 && validKey.test(key) && key !== '.' && key !== '..';
}

/** Whether an `items[].path` stays inside the volume: relative, no `..` element, not empty. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/')) return false;
  return path.split('/').every((element) => element !== '' && element !== '..');
}

/**
 * The files of a volume of `source`. Without `items`, every key becomes a file of that name.
 * With `items`, only those keys, each at its path; a missing key is a problem unless `optional`.
 * Keys and paths that would escape the directory are problems, never files.
 */
export function volumeFiles(
  source: VolumeSource,
  items?: readonly KeyToPath[],
  optional = false,
): { files: VolumeFile[]; problems: string[] } {
  const all = new Map<string, string | Uint8Array>([
    ...Object.entries(source.data),
    ...Object.entries(source.binaryData ?? {}),
  ]);
  const files: VolumeFile[] = [];
  const problems: string[] = [];
  if (items === undefined || items.length === 0) {
    for (const [key, content] of all) {
      if (isValidKey(key)) files.push({ path: key, content });
      else problems.push(`key ${JSON.stringify(key)} is not a valid file name; skipped`);
    }
    return { files, problems };
  }
  for (const item of items) {
    const content = all.get(item.key);
    if (!isSafeRelativePath(item.path)) {
      problems.push(
        `path ${JSON.stringify(item.path)} of key ${item.key} leaves the volume; skipped`,
      );
    } else if (content === undefined) {
      if (!optional) problems.push(`key ${item.key} does not exist; skipped`);
    } else {
      files.push({ path: item.path, content });
    }
  }
  return { files, problems };
}

/** Total size in bytes, for the 1 MiB limit a ConfigMap has in a cluster. */
export function totalBytes(files: readonly VolumeFile[]): number {
  return files.reduce(
    (sum, file) =>
      sum +
      (typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.length),
    0,
  );
}

/** The limit the API server puts on a ConfigMap's data (etcd's default request size). */
export const configMapMaxBytes = 1024 * 1024;
