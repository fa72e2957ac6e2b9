/**
 * The mount-path arithmetic of the Go webhook: which paths the operator reserves for test files,
 * and when two paths conflict.
 */
import { defaultLibMountPath, defaultSrcMountPath } from '../api/constants.ts';
import type { RuleView } from './rule-view.ts';

/** A path the operator mounts test files at, with the field that sets it. */
export interface ReservedPath {
  readonly path: string;
  readonly field: string;
}

/**
 * The Go webhook's reserved paths: the source path if `configMapRef` is set, the library path if
 * `libConfigMapRef` is set, and both when neither is (kept as upstream had it, so a test without
 * test files still cannot mount over the default locations).
 */
export function reservedPaths(view: RuleView): ReservedPath[] {
  const src = {
    path: view.srcMountPath ?? defaultSrcMountPath,
    field: 'spec.testFiles.srcMountPath',
  };
  const lib = {
    path: view.libMountPath ?? defaultLibMountPath,
    field: 'spec.testFiles.libMountPath',
  };
  const reserved = [
    ...(view.configMapRef === undefined ? [] : [src]),
    ...(view.libConfigMapRef === undefined ? [] : [lib]),
  ];
  return reserved.length === 0 ? [src, lib] : reserved;
}

function trimOneSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Whether two mount paths conflict: after trimming one trailing `/` each, they are equal or one
 * lies inside the other (`/a` and `/a/b`, but not `/a` and `/ab`).
 */
export function pathsConflict(a: string, b: string): boolean {
  const x = trimOneSlash(a);
  const y = trimOneSlash(b);
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}
