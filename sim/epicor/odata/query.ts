import type { FieldDef } from '../schema.js';
import { ODataQueryError, propertyNotFound } from './errors.js';
import { compileFilterWithBounds, type FilterContext, type LowerBound, type Predicate } from './filter.js';
import { compareStrings, type QueryRow } from './values.js';

/**
 * The system query options Epicor's v2 entity sets accept ($filter, $orderby, $top, $skip, $select,
 * $count, $expand), parsed, validated against the row type and executed over in-memory rows.
 */

export interface OrderKey {
  readonly field: FieldDef;
  readonly descending: boolean;
}

export interface ExpandOption {
  readonly navigation: string;
  readonly query: CompiledQuery;
}

export interface CompiledQuery {
  readonly filter?: Predicate;
  /** Conjuncts of the filter usable with a sorted index (see LowerBound). */
  readonly lowerBounds: readonly LowerBound[];
  readonly orderBy: readonly OrderKey[];
  readonly top?: number;
  readonly skip: number;
  /** Selected field names in row-type order; undefined = every column. */
  readonly select?: readonly string[];
  readonly count: boolean;
  readonly expand: readonly ExpandOption[];
}

export interface QueryTarget extends FilterContext {
  /** Column order of the row type. */
  readonly fieldList: readonly FieldDef[];
  /** Navigation name → the child's query target. */
  readonly navigations: ReadonlyMap<string, QueryTarget>;
}

const KNOWN_OPTIONS = new Set([
  '$filter',
  '$orderby',
  '$top',
  '$skip',
  '$select',
  '$count',
  '$expand',
  '$format',
  '$search',
  '$apply',
  '$inlinecount',
]);

/** Parses the `$` options of a request (names are case-sensitive, as on Epicor). */
export function compileQuery(options: ReadonlyMap<string, string>, target: QueryTarget): CompiledQuery {
  for (const name of options.keys()) {
    if (name.startsWith('$') && !KNOWN_OPTIONS.has(name)) {
      throw new ODataQueryError(`The query parameter '${name}' is not supported.`);
    }
  }
  for (const unsupported of ['$search', '$apply', '$inlinecount']) {
    if (options.has(unsupported))
      throw new ODataQueryError(`The query parameter '${unsupported}' is not supported.`);
  }
  const filterText = options.get('$filter');
  const top = parseNonNegative('$top', options.get('$top'));
  const skip = parseNonNegative('$skip', options.get('$skip')) ?? 0;
  const countText = options.get('$count');
  if (countText !== undefined && countText !== 'true' && countText !== 'false') {
    throw new ODataQueryError(`'${countText}' is not a valid count option.`);
  }
  const compiled =
    filterText !== undefined && filterText.trim() !== ''
      ? compileFilterWithBounds(filterText, target)
      : undefined;
  const query: CompiledQuery = {
    lowerBounds: compiled?.lowerBounds ?? [],
    orderBy: parseOrderBy(options.get('$orderby'), target),
    skip,
    count: countText === 'true',
    expand: parseExpand(options.get('$expand'), target),
    ...(compiled ? { filter: compiled.predicate } : {}),
    ...(top !== undefined ? { top } : {}),
    ...(options.has('$select') ? { select: parseSelect(options.get('$select') ?? '', target) } : {}),
  };
  return query;
}

function parseNonNegative(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text.trim()))) {
    throw new ODataQueryError(
      `Invalid value '${text}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
    );
  }
  return Number(text.trim());
}

function field(name: string, target: QueryTarget): FieldDef {
  const found = target.fields.get(name);
  if (!found) throw propertyNotFound(name, target.qualifiedType);
  return found;
}

function parseOrderBy(text: string | undefined, target: QueryTarget): OrderKey[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const words = part.trim().split(/\s+/);
    const [name = '', direction, ...rest] = words;
    if (rest.length > 0 || (direction !== undefined && direction !== 'asc' && direction !== 'desc')) {
      throw new ODataQueryError(`Syntax error at position ${text.indexOf(part)} in '${text}'.`);
    }
    if (name.includes('/'))
      throw new ODataQueryError(`Navigation paths are not supported in $orderby: '${name}'.`);
    return { field: field(name, target), descending: direction === 'desc' };
  });
}

function parseSelect(text: string, target: QueryTarget): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0 || names.includes('*')) return target.fieldList.map((f) => f.name);
  const wanted = new Set(names);
  for (const name of wanted) {
    if (!target.fields.has(name) && !target.navigations.has(name))
      throw propertyNotFound(name, target.qualifiedType);
  }
  return target.fieldList.filter((f) => wanted.has(f.name)).map((f) => f.name);
}

/** Splits on `sep` outside parentheses and quotes. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseExpand(text: string | undefined, target: QueryTarget): ExpandOption[] {
  if (text === undefined || text.trim() === '') return [];
  return splitTopLevel(text, ',').map((item) => {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$/s.exec(item);
    if (!match) throw new ODataQueryError(`Syntax error in $expand: '${text}'.`);
    const navigation = match[1] ?? '';
    const child = target.navigations.get(navigation);
    if (!child) throw propertyNotFound(navigation, target.qualifiedType);
    const nested = new Map<string, string>();
    for (const option of match[2] ? splitTopLevel(match[2], ';') : []) {
      const eq = option.indexOf('=');
      if (eq < 0) throw new ODataQueryError(`Syntax error in $expand options: '${option}'.`);
      nested.set(option.slice(0, eq).trim(), option.slice(eq + 1));
    }
    return { navigation, query: compileQuery(nested, child) };
  });
}

export type RowComparator = (a: QueryRow, b: QueryRow) => number;

export function rowComparator(orderBy: readonly OrderKey[], target: FilterContext): RowComparator {
  const strings = compareStrings(target.stringComparison);
  const parts = orderBy.map(({ field: f, descending }) => {
    const sign = descending ? -1 : 1;
    const name = f.name;
    if (f.type === 'date' || f.type === 'datetime') {
      return (a: QueryRow, b: QueryRow) => {
        const x = a.wall[name] ?? Number.NaN;
        const y = b.wall[name] ?? Number.NaN;
        const xn = Number.isNaN(x);
        const yn = Number.isNaN(y);
        // SQL Server sorts NULL first ascending.
        if (xn || yn) return xn === yn ? 0 : (xn ? -1 : 1) * sign;
        return (x < y ? -1 : x > y ? 1 : 0) * sign;
      };
    }
    const isString = f.type === 'string' || f.type === 'guid';
    return (a: QueryRow, b: QueryRow) => {
      const x = a.values[name] ?? null;
      const y = b.values[name] ?? null;
      if (x === null || y === null) return x === y ? 0 : (x === null ? -1 : 1) * sign;
      if (isString) return strings(String(x), String(y)) * sign;
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    };
  });
  return (a, b) => {
    for (const part of parts) {
      const c = part(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}

export interface QueryResult<R extends QueryRow> {
  readonly rows: readonly R[];
  /** Rows matching the filter, before $skip/$top (only when $count=true). */
  readonly count?: number;
}

/** Rows to query, in key order, with optional sorted indexes the engine may use to skip ahead. */
export interface RowSource<R extends QueryRow> {
  readonly rows: readonly R[];
  /** The natural (key) order is ascending by this column first (e.g. VendorNum within one company). */
  readonly leadingKey?: string;
  /** Rows sorted ascending by `column` (ties in key order), using `compare`; undefined = no index. */
  sortedBy?(column: string, compare: RowComparator): readonly R[] | undefined;
}

/** First index whose row passes `test`, for rows where `test` is false…false,true…true. */
function firstPassing<R extends QueryRow>(rows: readonly R[], test: Predicate): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(rows[mid] as R)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Runs a query. Without $count, a keyset page (`Col gt last` + `$orderby=Col` + `$top`) costs a binary
 * search plus the page itself; otherwise one filtered pass, keeping only the best `skip + top` rows.
 */
export function runQuery<R extends QueryRow>(
  source: RowSource<R> | readonly R[],
  query: CompiledQuery,
  target: FilterContext,
  defaultTop: number,
): QueryResult<R> {
  const src: RowSource<R> = Array.isArray(source)
    ? { rows: source as readonly R[] }
    : (source as RowSource<R>);
  const rows = src.rows;
  const top = query.top ?? defaultTop;
  const window = query.skip + top;
  const filter = query.filter;
  const boundOn = (column: string | undefined): LowerBound | undefined =>
    column === undefined ? undefined : query.lowerBounds.find((bound) => bound.column === column);
  if (query.orderBy.length === 0) {
    const bound = query.count ? undefined : boundOn(src.leadingKey);
    const out: R[] = [];
    let matched = 0;
    for (let i = bound ? firstPassing(rows, bound.test) : 0; i < rows.length; i++) {
      const row = rows[i] as R;
      if (filter && !filter(row)) continue;
      if (matched >= query.skip && out.length < top) out.push(row);
      matched++;
      if (out.length >= top && !query.count) break;
    }
    return query.count ? { rows: out, count: matched } : { rows: out };
  }
  const compare = rowComparator(query.orderBy, target);
  const lead = query.orderBy[0] as OrderKey;
  if (!query.count && !lead.descending && src.sortedBy) {
    const leadCompare = rowComparator([lead], target);
    const index = src.sortedBy(lead.field.name, leadCompare);
    if (index) {
      const bound = boundOn(lead.field.name);
      const collected: R[] = [];
      let tie: R | undefined;
      for (let i = bound ? firstPassing(index, bound.test) : 0; i < index.length; i++) {
        const row = index[i] as R;
        if (tie && leadCompare(row, tie) !== 0) break;
        if (filter && !filter(row)) continue;
        collected.push(row);
        if (!tie && collected.length >= window) tie = row;
      }
      collected.sort(compare);
      return { rows: collected.slice(query.skip, window) };
    }
  }
  if (window > 2000) {
    const matching = filter ? rows.filter((row) => filter(row)) : [...rows];
    matching.sort(compare); // stable: ties stay in key order
    const page = matching.slice(query.skip, window);
    return query.count ? { rows: page, count: matching.length } : { rows: page };
  }
  const best: R[] = [];
  let matched = 0;
  for (const row of rows) {
    if (filter && !filter(row)) continue;
    matched++;
    if (window === 0) continue;
    if (best.length === window) {
      const last = best[window - 1] as R;
      if (compare(row, last) >= 0) continue;
      best.pop();
    }
    // Binary insertion after equal elements keeps the sort stable (ties stay in key order).
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid] as R, row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, row);
  }
  const page = best.slice(query.skip, window);
  return query.count ? { rows: page, count: matched } : { rows: page };
}
