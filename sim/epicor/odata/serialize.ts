import type { FieldDef } from '../schema.js';
import { jsonValue, type Value } from './values.js';

/** Row → JSON text with column order preserved and bigints written as bare integers. */
export class RowSerializer {
  readonly #names: ReadonlyMap<string, string>;
  readonly #fields: readonly FieldDef[];

  constructor(fields: readonly FieldDef[]) {
    this.#fields = fields;
    this.#names = new Map(fields.map((f) => [f.name, `${JSON.stringify(f.name)}:`]));
  }

  /** Every column (the full row), or only `select`ed ones; `extra` adds pre-rendered members. */
  render(values: Readonly<Record<string, Value>>, select?: readonly string[], extra?: string): string {
    const parts: string[] = [];
    const names = select ?? this.#fields.map((f) => f.name);
    for (const name of names) {
      const prefix = this.#names.get(name);
      if (prefix !== undefined) parts.push(prefix + jsonValue(values[name] ?? null));
    }
    if (extra) parts.push(extra);
    return `{${parts.join(',')}}`;
  }
}

/** JSON.stringify that writes bigints as bare integers (for control-API answers). */
export function stringifyJson(value: unknown, indent?: number): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v),
    indent,
  );
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
