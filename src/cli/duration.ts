/**
 * Durations on the command line, written as kubectl and the operator take them (Go's syntax:
 * `90s`, `10m`, `1h30m`, `1.5h`, `500ms`), and durations in output (`1m30s`, `01:30`).
 */

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

// "ms" before "m" and "s": alternatives are tried in order, and "10ms" must not read as 10 m + "s".
const component = /(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/y;

/**
 * Milliseconds of a duration such as `90s`, `10m`, `1h30m` or `250ms`; `0` alone is allowed.
 * Undefined for anything else (a bare number, a negative value, an unknown unit, spaces).
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    component.lastIndex = index;
    const match = component.exec(text);
    if (match === null) return undefined;
    const [, amount = '', unit = 's'] = match;
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
    index = component.lastIndex;
  }
  return index === 0 ? undefined : Math.round(total);
}

/** `1h2m3s`, `2m`, `45s`, `0s`: whole seconds, as Go prints a rounded duration. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [
    h > 0 ? `${String(h)}h` : '',
    m > 0 ? `${String(m)}m` : '',
    s > 0 ? `${String(s)}s` : '',
  ];
  const text = parts.join('');
  return text === '' ? '0s' : text;
}

/** Elapsed time as a clock, `mm:ss` or `h:mm:ss`, for progress lines that should not jitter. */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(seconds / 3600);
  const rest = `${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return h > 0 ? `${String(h)}:${rest}` : rest;
}
