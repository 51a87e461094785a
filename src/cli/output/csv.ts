import { stringify } from 'csv-stringify/sync';

/**
 * RFC 4180 CSV: a header line, then one line per row; fields holding a comma, quote, CR or LF are
 * quoted (quotes doubled). Cells starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so a
 * spreadsheet opening the file never runs an Epicor value as a formula (CSV injection).
 */
export function toCsv(
  /** `null` for a continuation page (rows only). */
  headers: readonly string[] | null,
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return stringify(
    [
      ...(headers === null ? [] : [[...headers]]),
      ...rows.map((row) => row.map((v) => (v === null || v === undefined ? '' : String(v)))),
    ],
    {
      escape_formulas: true,
      record_delimiter: '\n',
    },
  );
}
