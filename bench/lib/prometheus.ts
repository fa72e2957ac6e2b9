/** Reading the operator's /metrics: the text exposition format, and counter differences. */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of a text exposition (comments and blank lines skipped). */
export function parseExposition(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) continue;
    const [, name = '', labelText = '', value = ''] = match;
    const labels: Record<string, string> = {};
    for (const pair of labelText.matchAll(labelPair)) {
      const [, key = '', raw = ''] = pair;
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** GETs /metrics and parses it. */
export async function scrape(url: string, timeoutMs = 10_000): Promise<PromSample[]> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${String(response.status)}`);
  return parseExposition(await response.text());
}

/**
 * How much each series of counter `name` grew between two scrapes, grouped by `key(labels)`.
 * A series absent before counts from zero (prom-client creates a series on its first increment).
 */
export function counterIncrease(
  before: readonly PromSample[],
  after: readonly PromSample[],
  name: string,
  key: (labels: Record<string, string>) => string,
): Map<string, number> {
  const seriesKey = (labels: Record<string, string>): string =>
    JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  const start = new Map<string, number>();
  for (const sample of before) {
    if (sample.name === name) start.set(seriesKey(sample.labels), sample.value);
  }
  const increase = new Map<string, number>();
  for (const sample of after) {
    if (sample.name !== name) continue;
    const delta = sample.value - (start.get(seriesKey(sample.labels)) ?? 0);
    if (delta === 0) continue;
    const group = key(sample.labels);
    increase.set(group, (increase.get(group) ?? 0) + delta);
  }
  return increase;
}

/** Sum of every series of `name` (e.g. all requests, whatever their labels). */
export function total(samples: readonly PromSample[], name: string): number {
  return samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
}
