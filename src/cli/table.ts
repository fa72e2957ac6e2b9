/** Plain-text tables for terminal and CI output, aligned with spaces like kubectl's. Pure. */

/** How a column's cells are aligned: text left, numbers right. */
export type Align = 'left' | 'right';

/**
 * Lines of a table: a header row then one row per entry, columns separated by two spaces and
 * padded to the widest cell. Trailing spaces are trimmed, so logs and golden outputs stay clean.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? '';
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
