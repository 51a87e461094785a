/**
 * Pure OData v4 query building for Epicor: literals, keyset comparisons and the ordered parameter list.
 * Literal rules (reference §3.2): strings single-quoted with `'` doubled; numbers and bigints bare;
 * datetimes unquoted ISO (quoted dates are a 400); `null` bare.
 */

/** `O'Brien` → `'O''Brien'` */
export function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A bare integer literal; accepts numbers, bigints and decimal strings of any length. */
export function intLiteral(value: string | number | bigint): string {
  const text = typeof value === 'string' ? value.trim() : String(value);
  if (!/^-?\d+$/.test(text)) throw new TypeError(`not an integer: ${JSON.stringify(String(value))}`);
  return text.replace(/^(-?)0+(?=\d)/, '$1');
}

/** A comparison column: the field and its literal, `null` meaning OData `null`. */
export interface FilterColumn {
  readonly field: string;
  readonly literal: string | null;
}

function eq(column: FilterColumn): string {
  return `${column.field} eq ${column.literal ?? 'null'}`;
}

/** `field > literal`; with nulls sorting first (SQL Server), "greater than null" is "not null". */
function gt(column: FilterColumn): string {
  return column.literal === null ? `${column.field} ne null` : `${column.field} gt ${column.literal}`;
}

function ge(column: FilterColumn): string | undefined {
  return column.literal === null ? undefined : `${column.field} ge ${column.literal}`;
}

/**
 * Lexicographic tuple comparison `(c1, c2, …) > (v1, v2, …)` (or `>=` when `inclusive`), expanded to
 * `(c1 gt v1) or (c1 eq v1 and c2 gt v2) or …`. This is the keyset-paging predicate: with
 * `$orderby=c1,c2,…` it selects exactly the rows after the cursor, however many rows share `v1`.
 * Returns undefined when the predicate is always true (inclusive comparison against nulls only).
 */
export function tupleAfter(columns: readonly FilterColumn[], inclusive = false): string | undefined {
  if (columns.length === 0) return undefined;
  const disjuncts: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const prefix = columns.slice(0, i).map(eq);
    const current = columns[i] as FilterColumn;
    const isLast = i === columns.length - 1;
    if (isLast && inclusive) {
      const last = ge(current);
      if (last === undefined && prefix.length === 0) return undefined;
      disjuncts.push(last === undefined ? prefix.join(' and ') : [...prefix, last].join(' and '));
    } else {
      disjuncts.push([...prefix, gt(current)].join(' and '));
    }
  }
  return disjuncts.length === 1 ? (disjuncts[0] as string) : disjuncts.map((d) => `(${d})`).join(' or ');
}

/** Joins filter parts with `and`, parenthesising each; undefined when there are none. */
export function andFilters(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p !== '');
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return present.map((p) => `(${p})`).join(' and ');
}

/** The OData options of one request; serialisable as-is (audit rows store it for replay). */
export interface ODataParams {
  readonly $select?: string;
  readonly $filter?: string;
  readonly $orderby?: string;
  readonly $top?: number;
  readonly $skip?: number;
  readonly $expand?: string;
}

/** Stable parameter order (`$select,$filter,$orderby,$top,$skip,$expand`), then extra (BAQ) params. */
export function queryParameters(
  params: ODataParams,
  extra: Readonly<Record<string, string>> = {},
): [string, string][] {
  const out: [string, string][] = [];
  if (params.$select !== undefined) out.push(['$select', params.$select]);
  if (params.$filter !== undefined) out.push(['$filter', params.$filter]);
  if (params.$orderby !== undefined) out.push(['$orderby', params.$orderby]);
  if (params.$top !== undefined) out.push(['$top', String(params.$top)]);
  if (params.$skip !== undefined && params.$skip > 0) out.push(['$skip', String(params.$skip)]);
  if (params.$expand !== undefined) out.push(['$expand', params.$expand]);
  for (const [name, value] of Object.entries(extra)) out.push([name, value]);
  return out;
}
