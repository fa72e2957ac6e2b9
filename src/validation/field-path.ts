/**
 * Field paths in the API server's notation: `.` between properties, `[i]` for list indexes and
 * `[key]` for map keys (`spec.volumes[0].name`, `spec.master.labels[prometheus.io/port]`).
 */

/** One step of a parsed path: a property or map key (string) or a list index (number). */
export type PathSegment = string | number;

/** `base.name`, or `name` at the root. */
export function childPath(base: string, name: string): string {
  return base === '' ? name : `${base}.${name}`;
}

/** `base[index]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${String(index)}]`;
}

/** `base[key]`: a key of a map (additionalProperties), which may itself contain dots. */
export function keyPath(base: string, key: string): string {
  return `${base}[${key}]`;
}

const segmentPattern = /\[([^\]]*)\]|([^.[\]]+)/g;

/**
 * The segments of a path. A bracketed all-digit segment is a list index; other bracketed segments
 * are map keys. Inverse of the builders above for every key without `]`.
 */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(segmentPattern)) {
    const bracketed = match[1];
    if (bracketed !== undefined) {
      segments.push(/^\d+$/.test(bracketed) ? Number(bracketed) : bracketed);
    } else if (match[2] !== undefined) {
      segments.push(match[2]);
    }
  }
  return segments;
}
