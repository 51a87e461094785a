import type { FieldType } from '../schema.js';

/** A column value as the simulator holds it. Dates are naive text; SysRevID is a bigint. */
export type Value = string | number | boolean | bigint | null;
export type Values = Record<string, Value>;

/** What the query engine reads from a row: its values and, for date columns, their wall-clock numbers. */
export interface QueryRow {
  readonly values: Readonly<Values>;
  /** Wall-clock ms (naive time read as UTC) of every date/datetime column; NaN when the value is null. */
  readonly wall: Readonly<Record<string, number>>;
}

export type StringComparison = 'ordinal' | 'case-insensitive';

export function compareStrings(mode: StringComparison): (a: string, b: string) => number {
  if (mode === 'ordinal') return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

export const EDM_TYPES: Readonly<Record<FieldType, string>> = {
  string: 'Edm.String',
  int: 'Edm.Int32',
  int64: 'Edm.Int64',
  decimal: 'Edm.Decimal',
  bool: 'Edm.Boolean',
  date: 'Edm.DateTimeOffset',
  datetime: 'Edm.DateTimeOffset',
  guid: 'Edm.Guid',
};

/** JSON text of a value; bigints are written as plain integers, without quotes or precision loss. */
export function jsonValue(value: Value): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    default:
      return value ? 'true' : 'false';
  }
}
