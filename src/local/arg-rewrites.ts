/**
 * Pure rewrites that move a rendered Locust command line from a pod onto this machine: the
 * master's address and port, and container mount paths. Nothing else in an arg is touched, so a
 * local run exercises exactly the flags the operator rendered.
 */

/** Replaces the value of `flag` in both spellings argparse accepts: `--flag=v` and `--flag v`. */
export function replaceFlagValue(args: readonly string[], flag: string, value: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith(`${flag}=`)) {
      result.push(`${flag}=${value}`);
    } else if (arg === flag && i + 1 < args.length) {
      result.push(arg, value);
      i++;
    } else {
      result.push(arg);
    }
  }
  return result;
}

/** Whether `flag` occurs in `args`, as `--flag`, `--flag=v` or `--flag v`. */
export function hasFlag(args: readonly string[], flag: string): boolean {
  return args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
}

/** The value of the last occurrence of `flag` (argparse: the last one wins), if any. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  args.forEach((arg, i) => {
    if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
    else if (arg === flag) value = args[i + 1];
  });
  return value;
}

// Mount paths compare without trailing slashes; "/" stays "/" and is never rewritten (below).
function normalizeMountPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A function that rewrites container mount paths inside one string (an arg or an env value) to
 * local directories. A mount path matches only as a whole path at the start of the string or
 * after `=`, `,` or `:` (so `--locustfile=/lotest/src/a.py`, `-f /lotest/src/a.py,/lotest/src/b.py`
 * and `PYTHONPATH=/opt/locust/lib:/x` work), and only when followed by the end, `/`, `,` or `:`
 * (so `/lotest/srcfoo` is left alone). The longest mount wins and each match is rewritten once,
 * so a local directory that happens to lie under another mount path is not rewritten again.
 * The root mount `/` is ignored: rewriting every absolute path would be a guess.
 */
export function mountPathRewriter(mounts: ReadonlyMap<string, string>): (text: string) => string {
  const byPath = new Map<string, string>();
  for (const [mountPath, localDir] of mounts) {
    const normalized = normalizeMountPath(mountPath);
    if (normalized !== '/') byPath.set(normalized, localDir.replace(/\/+$/, '') || '/');
  }
  if (byPath.size === 0) return (text) => text;
  const alternatives = [...byPath.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const pattern = new RegExp(`(^|[=,:])(${alternatives})(?=$|[/,:])`, 'g');
  return (text) =>
    text.replace(pattern, (_match, prefix: string, mountPath: string) => {
      const localDir = byPath.get(mountPath) ?? mountPath;
      return `${prefix}${localDir}`;
    });
}
