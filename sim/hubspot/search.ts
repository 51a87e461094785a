import type { PropertyType } from './default-properties.js';
import { validationError } from './errors.js';
import type { SearchLimits } from './options.js';

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string | number | boolean | undefined;
  highValue?: string | number | boolean | undefined;
  values?: (string | number | boolean)[] | undefined;
}

export interface SearchSort {
  propertyName: string;
  direction: 'ASCENDING' | 'DESCENDING';
}

export const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);

/** Accepts `{propertyName, direction}` objects and `"name"` / `"-name"` strings (both seen in the field). */
export function parseSorts(sorts: readonly unknown[] | undefined): SearchSort[] {
  const out: SearchSort[] = [];
  for (const s of sorts ?? []) {
    if (typeof s === 'string') {
      const desc = s.startsWith('-');
      out.push({ propertyName: desc ? s.slice(1) : s, direction: desc ? 'DESCENDING' : 'ASCENDING' });
    } else if (
      s &&
      typeof s === 'object' &&
      typeof (s as { propertyName?: unknown }).propertyName === 'string'
    ) {
      const obj = s as { propertyName: string; direction?: unknown };
      out.push({
        propertyName: obj.propertyName,
        direction: obj.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING',
      });
    } else {
      throw validationError(
        'Invalid input JSON: each sort must be a property name or {propertyName, direction}',
      );
    }
  }
  return out;
}

/** Rejects requests beyond the configured filter counts (UNCONFIRMED limits; see options). */
export function checkFilterLimits(
  groups: readonly { filters: readonly SearchFilter[] }[],
  limits: SearchLimits,
): void {
  if (groups.length > limits.maxFilterGroups) {
    throw validationError(
      `Too many filter groups: ${groups.length}. The maximum number of filter groups is ${limits.maxFilterGroups}.`,
    );
  }
  let total = 0;
  for (const g of groups) {
    if (g.filters.length > limits.maxFiltersPerGroup) {
      throw validationError(
        `Too many filters in a filter group: ${g.filters.length}. The maximum is ${limits.maxFiltersPerGroup} per group.`,
      );
    }
    total += g.filters.length;
    for (const f of g.filters) {
      if (!OPERATORS.has(f.operator)) throw validationError(`Unknown filter operator ${f.operator}`);
    }
  }
  if (total > limits.maxTotalFilters) {
    throw validationError(
      `Too many filters: ${total}. The maximum number of filters is ${limits.maxTotalFilters}.`,
    );
  }
}

type Typer = (property: string) => PropertyType | undefined;

/** Comparable form of a value for the property's type: numbers and dates compare numerically. */
function comparable(type: PropertyType | undefined, value: string): number | string {
  if (type === 'number') {
    const n = Number(value);
    return Number.isNaN(n) ? value : n;
  }
  if (type === 'date' || type === 'datetime') {
    const n = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(n) ? value : n;
  }
  return value.toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .split(/[^a-z0-9@._-]+|[.@_-]/i)
    .filter(Boolean);
}

function containsToken(actual: string, wanted: string): boolean {
  const w = wanted.toLowerCase();
  if (w.includes('*')) {
    const re = new RegExp(
      `^${w
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return re.test(actual.toLowerCase()) || tokens(actual).some((t) => re.test(t));
  }
  return actual.toLowerCase() === w || tokens(actual).includes(w);
}

export function matchesFilter(
  props: Readonly<Record<string, string>>,
  f: SearchFilter,
  typeOf: Typer,
): boolean {
  const raw = props[f.propertyName];
  const has = raw !== undefined && raw !== '';
  const type = typeOf(f.propertyName);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'IN':
    case 'NOT_IN': {
      const set = (f.values ?? []).map((v) => comparable(type, String(v)));
      const hit = has && set.some((v) => compare(comparable(type, raw), v) === 0);
      return f.operator === 'IN' ? hit : !hit;
    }
    case 'CONTAINS_TOKEN':
      return has && containsToken(raw, String(f.value ?? ''));
    case 'NOT_CONTAINS_TOKEN':
      return !has || !containsToken(raw, String(f.value ?? ''));
    case 'NEQ':
      return !has || compare(comparable(type, raw), comparable(type, String(f.value ?? ''))) !== 0;
    default:
      break;
  }
  if (!has) return false;
  const a = comparable(type, raw);
  const b = comparable(type, String(f.value ?? ''));
  switch (f.operator) {
    case 'EQ':
      return compare(a, b) === 0;
    case 'LT':
      return compare(a, b) < 0;
    case 'LTE':
      return compare(a, b) <= 0;
    case 'GT':
      return compare(a, b) > 0;
    case 'GTE':
      return compare(a, b) >= 0;
    case 'BETWEEN':
      return compare(a, b) >= 0 && compare(a, comparable(type, String(f.highValue ?? ''))) <= 0;
    default:
      return false;
  }
}

/** Groups are ORed, filters within a group ANDed; no groups matches everything. */
export function matchesGroups(
  props: Readonly<Record<string, string>>,
  groups: readonly { filters: readonly SearchFilter[] }[],
  typeOf: Typer,
): boolean {
  if (groups.length === 0) return true;
  return groups.some((g) => g.filters.every((f) => matchesFilter(props, f, typeOf)));
}

export function matchesQuery(
  props: Readonly<Record<string, string>>,
  query: string,
  fields: readonly string[],
): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return fields.some((f) => (props[f] ?? '').toLowerCase().includes(q));
}

/** Sorts in place by the one honoured sort (then id); missing values sort last. */
export function sortResults<T extends { id: string; props: Readonly<Record<string, string>> }>(
  rows: T[],
  sort: SearchSort | undefined,
  typeOf: Typer,
): T[] {
  const byId = (a: T, b: T): number => Number(a.id) - Number(b.id);
  if (!sort) return rows.sort(byId);
  const type = typeOf(sort.propertyName);
  const sign = sort.direction === 'DESCENDING' ? -1 : 1;
  return rows.sort((a, b) => {
    const va = a.props[sort.propertyName];
    const vb = b.props[sort.propertyName];
    if (va === undefined || vb === undefined) {
      if (va === vb) return byId(a, b);
      return va === undefined ? 1 : -1;
    }
    const c = compare(comparable(type, va), comparable(type, vb));
    return c !== 0 ? sign * c : byId(a, b);
  });
}
