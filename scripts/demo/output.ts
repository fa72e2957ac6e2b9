/**
 * The demo's plain-text output: steps stamped with the time since the demo started, sections,
 * indented command output, and a table of conditions. Styles only when stdout is a terminal
 * (util.styleText drops them otherwise and honours NO_COLOR).
 */
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

const started = Date.now();

export function style(format: Style, text: string): string {
  return styleText(format, text, { stream: process.stdout });
}

/** Seconds with one decimal, e.g. "12.3s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Local wall-clock time with milliseconds, e.g. "14:02:03.417". */
export function clockTime(at: number = Date.now()): string {
  const date = new Date(at);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A step of the demo, stamped with the time since it started. */
export function step(text: string): void {
  const stamp = `[${seconds(Date.now() - started).padStart(6)}]`;
  console.log(`${style('dim', stamp)} ${text}`);
}

/** Indented detail under a step. */
export function detail(text: string): void {
  for (const line of text.trimEnd().split('\n')) console.log(`         ${line}`);
}

export function section(title: string): void {
  console.log(`\n${style('bold', `== ${title}`)}`);
}

/** Command output, indented by two spaces. */
export function block(text: string): void {
  const trimmed = text.trimEnd();
  if (trimmed === '') {
    console.log('  (none)');
    return;
  }
  for (const line of trimmed.split('\n')) console.log(`  ${line}`);
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** Conditions as aligned columns, like kubectl's tables. */
export function conditionsTable(conditions: ConditionView[]): string {
  const rows = [
    ['TYPE', 'STATUS', 'REASON', 'MESSAGE'],
    ...conditions.map((c) => [c.type, c.status, c.reason, c.message]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows
    .map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd((widths[i] ?? 0) + 3) : cell)).join(''))
    .join('\n');
}
