import { displayWidth, padToWidth, singleLine, truncateToWidth } from './text.js';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | null | undefined;
  readonly align?: 'left' | 'right';
  /** Cells wider than this are cut with `…` (default: no limit). */
  readonly maxWidth?: number;
}

/**
 * A plain-text table: a header, a rule of dashes, one line per row, columns separated by two spaces,
 * trailing spaces trimmed. Cells are made single-line (see `singleLine`); empty values show as `-`.
 * No colours or box-drawing, so it pipes cleanly into `grep` and `less`.
 */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const raw = column.value(row);
      const text = raw === null || raw === undefined || raw === '' ? '-' : singleLine(String(raw));
      return column.maxWidth === undefined ? text : truncateToWidth(text, column.maxWidth);
    }),
  );
  const widths = columns.map((column, i) =>
    Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[i] ?? ''))),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((value, i) => padToWidth(value, widths[i] ?? 0, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w)))];
  for (const row of cells) out.push(line(row));
  return `${out.join('\n')}\n`;
}

/** `key: value` lines with the keys aligned, for one record (e.g. a run summary). */
export function renderKeyValues(
  pairs: readonly (readonly [string, string | number | null | undefined])[],
): string {
  const width = Math.max(0, ...pairs.map(([key]) => displayWidth(key)));
  return pairs
    .map(
      ([key, value]) =>
        `${padToWidth(`${key}:`, width + 1)} ${value === null || value === undefined || value === '' ? '-' : singleLine(String(value))}`,
    )
    .join('\n')
    .concat('\n');
}
