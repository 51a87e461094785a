/** One JSON document per line (JSON Lines). Newlines inside strings are escaped by JSON itself. */
export function toJsonLines(rows: readonly unknown[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** Pretty JSON for one result document (`--json`). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
