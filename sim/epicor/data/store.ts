import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../src/core/clock.js';
import { ConnectorError } from '../../../src/core/errors.js';
import type { QueryRow, Value, Values } from '../odata/values.js';
import {
  ENTITY_SETS,
  type EntitySetDef,
  type EntitySetName,
  type FieldDef,
  fieldsOf,
  type MissingColumns,
} from '../schema.js';
import { generateCompany } from './generator.js';
import { dateText, dateTimeText, secondsOfDay, wallMsInZone, wallMsOf } from './time.js';

/**
 * The simulator's database: per company, one key-ordered table per entity set, and one database-wide
 * SysRevID counter bumped on every write (like SQL Server's rowversion under Epicor's SysRevID).
 * Rows are immutable snapshots; a write replaces the row object, so a page being serialised never sees
 * half an update.
 */

export interface StoredRow extends QueryRow {
  readonly values: Readonly<Values>;
  readonly wall: Readonly<Record<string, number>>;
  /** Wall-clock time of the last write (feeds UpdatedOn and BAQ Calculated_ChangedOn). */
  readonly modifiedWall: number;
}

export interface StoreOptions {
  seed: number;
  vendors: number;
  customers: number;
  companies: readonly string[];
  sysRevIdStart: bigint;
  timeZone: string;
  updatedOnColumn: string | undefined;
  massUpdateSize: number | undefined;
  dataWindowEnd?: number | undefined;
  clock: Clock;
  /** User written into ChangedBy / ChangeDcdUserID by control-API writes. */
  changedBy: string;
  /** Columns this tenant lacks, per entity set (not in rows, `$metadata` or queries). */
  missingColumns?: MissingColumns;
}

export const ENTITY_ORDER: readonly EntitySetName[] = ['Vendors', 'VendCntMains', 'Customers', 'CustCnts'];

export type KeyInput = Readonly<Record<string, unknown>>;

export class SimDataError extends ConnectorError {}

function keyString(def: EntitySetDef, values: Readonly<Record<string, unknown>>): string {
  return def.keys.map((k) => String(values[k])).join('\u0001');
}

export class Table {
  readonly def: EntitySetDef;
  readonly fields: readonly FieldDef[];
  readonly fieldMap: ReadonlyMap<string, FieldDef>;
  readonly dateFields: readonly FieldDef[];
  #rows: StoredRow[] = [];
  #indexCache: Map<string, number> | undefined;
  #groups = new Map<string, Map<string, StoredRow[]>>();
  #version = 0;
  #sorted = new Map<string, { version: number; rows: StoredRow[] }>();
  readonly #compareKeys: (a: StoredRow, b: StoredRow) => number;

  constructor(def: EntitySetDef, fields: readonly FieldDef[]) {
    this.def = def;
    this.fields = fields;
    this.fieldMap = new Map(fields.map((f) => [f.name, f]));
    this.dateFields = fields.filter((f) => f.type === 'date' || f.type === 'datetime');
    const keyFields = def.keys.map((k) => this.fieldMap.get(k) as FieldDef);
    this.#compareKeys = (a, b) => {
      for (const f of keyFields) {
        const x = a.values[f.name] as string | number;
        const y = b.values[f.name] as string | number;
        if (x < y) return -1;
        if (x > y) return 1;
      }
      return 0;
    };
  }

  /** Bumped on every write; lets derived views (BAQs) cache. */
  get version(): number {
    return this.#version;
  }

  /** Rows in primary-key order. Do not mutate. */
  get rows(): readonly StoredRow[] {
    return this.#rows;
  }

  load(rows: StoredRow[]): void {
    this.#rows = rows.sort(this.#compareKeys);
    this.#reindex();
  }

  get(key: Readonly<Record<string, unknown>>): StoredRow | undefined {
    const at = this.#index.get(keyString(this.def, key));
    return at === undefined ? undefined : this.#rows[at];
  }

  replace(row: StoredRow): void {
    const at = this.#index.get(keyString(this.def, row.values));
    if (at === undefined) throw new SimDataError('ERR_SIM_NOT_FOUND', 'Row to replace is missing.');
    this.#rows[at] = row;
    this.#groups.clear();
    this.#version++;
  }

  insert(row: StoredRow): void {
    if (this.#index.has(keyString(this.def, row.values))) {
      throw new SimDataError('ERR_SIM_DUPLICATE', `${this.def.name} already has a row with that key.`);
    }
    this.#rows.push(row);
    this.#rows.sort(this.#compareKeys);
    this.#reindex();
  }

  remove(key: Readonly<Record<string, unknown>>): StoredRow | undefined {
    const at = this.#index.get(keyString(this.def, key));
    if (at === undefined) return undefined;
    const [removed] = this.#rows.splice(at, 1);
    this.#reindex();
    return removed;
  }

  /** Rows sorted by one column (ties in key order), cached until the next write. */
  sortedBy(column: string, compare: (a: StoredRow, b: StoredRow) => number): readonly StoredRow[] {
    const hit = this.#sorted.get(column);
    if (hit && hit.version === this.#version) return hit.rows;
    const rows = [...this.#rows].sort(compare);
    this.#sorted.set(column, { version: this.#version, rows });
    return rows;
  }

  /** Rows grouped by one column (e.g. contacts by VendorNum), cached until the next write. */
  group(column: string, value: Value): readonly StoredRow[] {
    let groups = this.#groups.get(column);
    if (!groups) {
      groups = new Map();
      for (const row of this.#rows) {
        const k = String(row.values[column]);
        const list = groups.get(k);
        if (list) list.push(row);
        else groups.set(k, [row]);
      }
      this.#groups.set(column, groups);
    }
    return groups.get(String(value)) ?? [];
  }

  /** Key → position, built on first use (startup never needs it). */
  get #index(): Map<string, number> {
    this.#indexCache ??= new Map(this.#rows.map((row, i) => [keyString(this.def, row.values), i]));
    return this.#indexCache;
  }

  #reindex(): void {
    this.#indexCache = undefined;
    this.#groups.clear();
    this.#version++;
  }
}

export type CompanyTables = Readonly<Record<EntitySetName, Table>>;

export class EpicorStore {
  #options: StoreOptions;
  #companies = new Map<string, CompanyTables>();
  #sysRevId = 0n;

  constructor(options: StoreOptions) {
    this.#options = options;
    this.reset({});
  }

  get options(): Readonly<StoreOptions> {
    return this.#options;
  }

  /** Regenerates every company's data (same seed and counts ⇒ same rows). */
  reset(changes: { seed?: number; vendors?: number; customers?: number }): void {
    this.#options = { ...this.#options, ...stripUndefined(changes) };
    const o = this.#options;
    const generated = o.companies.map((company, i) =>
      generateCompany({
        seed: i === 0 ? o.seed : o.seed + 7919 * i,
        company,
        vendors: o.vendors,
        customers: o.customers,
        ...(o.massUpdateSize === undefined ? {} : { massUpdateSize: o.massUpdateSize }),
        ...(o.dataWindowEnd === undefined ? {} : { windowEnd: o.dataWindowEnd }),
      }),
    );
    // SysRevIDs follow write order: older changes got lower numbers, across every table and company.
    const lists = generated.flatMap((company) => ENTITY_ORDER.map((set) => company[set]));
    const total = lists.reduce((sum, list) => sum + list.length, 0);
    const walls = new Float64Array(total);
    const listOf = new Uint32Array(total);
    const rowOf = new Uint32Array(total);
    let at = 0;
    lists.forEach((list, l) => {
      list.forEach((row, r) => {
        walls[at] = row.modifiedWall;
        listOf[at] = l;
        rowOf[at] = r;
        at++;
      });
    });
    // Ties keep generation order (company, table, row): the slot index already encodes it.
    const order = new Uint32Array(total)
      .map((_, i) => i)
      .sort((a, b) => (walls[a] as number) - (walls[b] as number) || a - b);
    const revs = lists.map((list) => new Array<bigint>(list.length));
    let next = o.sysRevIdStart;
    for (const slot of order) {
      const list = revs[listOf[slot] as number];
      if (list) list[rowOf[slot] as number] = next;
      next++;
    }
    this.#sysRevId = next - 1n;
    this.#companies.clear();
    generated.forEach((company, c) => {
      const tables = {} as Record<EntitySetName, Table>;
      ENTITY_ORDER.forEach((set, t) => {
        const table = new Table(
          ENTITY_SETS[set],
          fieldsOf(ENTITY_SETS[set], o.updatedOnColumn, o.missingColumns?.[set]),
        );
        const setRevs = revs[c * ENTITY_ORDER.length + t] ?? [];
        table.load(
          company[set].map((row, r) => {
            // Generated objects are fresh: take them over instead of copying (50k+ rows per table).
            row.values['SysRevID'] = setRevs[r] ?? 0n;
            return this.#makeRow(table, row.values, row.modifiedWall);
          }),
        );
        tables[set] = table;
      });
      this.#companies.set(o.companies[c] as string, tables);
    });
  }

  companies(): string[] {
    return [...this.#companies.keys()];
  }

  /** Tables of a company; company IDs are matched exactly (case-sensitive). */
  tables(company: string): CompanyTables | undefined {
    return this.#companies.get(company);
  }

  table(set: EntitySetName, company: string): Table {
    const tables = this.#companies.get(company);
    if (!tables) throw new SimDataError('ERR_SIM_UNKNOWN_COMPANY', `Unknown company ${company}.`);
    return tables[set];
  }

  /** The highest SysRevID handed out so far. */
  get currentSysRevId(): bigint {
    return this.#sysRevId;
  }

  /** Changes fields of one row as an Epicor user would: bumps SysRevID and stamps the change columns. */
  update(
    set: EntitySetName,
    company: string,
    key: KeyInput,
    changes: Readonly<Record<string, unknown>>,
  ): StoredRow {
    const table = this.table(set, company);
    const normalizedKey = this.#normalizeKey(table, company, key);
    const current = table.get(normalizedKey);
    if (!current) throw notFound(set, normalizedKey);
    const values: Values = { ...current.values };
    for (const [name, input] of Object.entries(changes)) {
      if (table.def.keys.includes(name)) {
        throw new SimDataError(
          'ERR_SIM_BAD_FIELD',
          `${name} is part of the key of ${set} and cannot change.`,
        );
      }
      values[name] = coerce(table, name, input);
    }
    const nowWall = this.#stamp(table, values, changes);
    const row = this.#makeRow(table, values, nowWall);
    table.replace(row);
    return row;
  }

  /** Adds a row; missing keys are numbered (VendorNum/CustNum = max + 1, ConNum per parent). */
  insert(set: EntitySetName, company: string, input: Readonly<Record<string, unknown>>): StoredRow {
    const table = this.table(set, company);
    const values: Values = {};
    for (const f of table.fields) values[f.name] = defaultValue(f);
    values['Company'] = company;
    values['SysRowID'] = randomUUID();
    for (const [name, value] of Object.entries(input)) {
      if (name === 'Company') continue;
      values[name] = coerce(table, name, value);
    }
    this.#assignKeys(table, company, values, input);
    const nowWall = this.#stamp(table, values, input);
    if (set === 'VendCntMains' || set === 'CustCnts') {
      if (!('CreateDate' in input)) values['CreateDate'] = dateText(nowWall);
    }
    const row = this.#makeRow(table, values, nowWall);
    table.insert(row);
    return row;
  }

  /** Deletes a row (and, for vendors and customers, their contacts). */
  remove(set: EntitySetName, company: string, key: KeyInput): StoredRow {
    const table = this.table(set, company);
    const normalizedKey = this.#normalizeKey(table, company, key);
    const removed = table.remove(normalizedKey);
    if (!removed) throw notFound(set, normalizedKey);
    this.#sysRevId++;
    const children: [EntitySetName, string] | undefined =
      set === 'Vendors'
        ? ['VendCntMains', 'VendorNum']
        : set === 'Customers'
          ? ['CustCnts', 'CustNum']
          : undefined;
    if (children) {
      const [childSet, column] = children;
      const childTable = this.table(childSet, company);
      for (const child of [...childTable.group(column, removed.values[column] ?? null)]) {
        childTable.remove(child.values);
      }
    }
    return removed;
  }

  get(set: EntitySetName, company: string, key: KeyInput): StoredRow | undefined {
    const table = this.table(set, company);
    return table.get(this.#normalizeKey(table, company, key));
  }

  #normalizeKey(table: Table, company: string, key: KeyInput): Values {
    const out: Values = {};
    for (const k of table.def.keys) {
      if (k === 'Company') {
        out[k] = company;
        continue;
      }
      if (!(k in key)) {
        throw new SimDataError(
          'ERR_SIM_BAD_KEY',
          `Key of ${table.def.name} needs ${table.def.keys.join(', ')}.`,
        );
      }
      out[k] = coerce(table, k, key[k]);
    }
    return out;
  }

  #assignKeys(table: Table, company: string, values: Values, input: Readonly<Record<string, unknown>>): void {
    const set = table.def.name;
    const maxOf = (rows: readonly StoredRow[], column: string): number =>
      rows.reduce((max, row) => Math.max(max, Number(row.values[column] ?? 0)), 0);
    if ((set === 'Vendors' || set === 'Customers') && !((table.def.keys[1] as string) in input)) {
      const column = table.def.keys[1] as string;
      values[column] = maxOf(table.rows, column) + 1;
    }
    if ((set === 'VendCntMains' || set === 'CustCnts') && !('ConNum' in input)) {
      const parentColumn = set === 'VendCntMains' ? 'VendorNum' : 'CustNum';
      values['ConNum'] = maxOf(table.group(parentColumn, values[parentColumn] ?? null), 'ConNum') + 1;
    }
    if (set === 'VendCntMains' || set === 'CustCnts') {
      const parentSet: EntitySetName = set === 'VendCntMains' ? 'Vendors' : 'Customers';
      const parentColumn = set === 'VendCntMains' ? 'VendorNum' : 'CustNum';
      const parent = this.table(parentSet, company).get({
        Company: company,
        [parentColumn]: values[parentColumn],
      });
      if (!parent)
        throw new SimDataError(
          'ERR_SIM_NOT_FOUND',
          `No ${parentSet} row with ${parentColumn} ${values[parentColumn]}.`,
        );
    }
  }

  /** Applies Epicor's write side effects; explicit values in `explicit` win. Returns the write's wall time. */
  #stamp(table: Table, values: Values, explicit: Readonly<Record<string, unknown>>): number {
    const o = this.#options;
    const nowWall = wallMsInZone(o.clock.now(), o.timeZone);
    const set = (name: string, value: Value): void => {
      if (!(name in explicit) && table.fieldMap.has(name)) values[name] = value;
    };
    this.#sysRevId++;
    values['SysRevID'] = this.#sysRevId;
    values['RowMod'] = '';
    set('ChangeDate', dateText(nowWall));
    set('ChangeTime', secondsOfDay(nowWall));
    set('ChangedBy', o.changedBy);
    set('ChangeDcdUserID', o.changedBy);
    if (o.updatedOnColumn) set(o.updatedOnColumn, dateTimeText(nowWall));
    return nowWall;
  }

  #makeRow(table: Table, values: Values, modifiedWall: number): StoredRow {
    const column = this.#options.updatedOnColumn;
    if (column && !(column in values)) values[column] = dateTimeText(modifiedWall);
    const wall: Record<string, number> = table.dateFields.length === 0 ? NO_WALL : {};
    for (const f of table.dateFields) {
      const v = values[f.name];
      wall[f.name] = typeof v === 'string' ? wallOf(v) : Number.NaN;
    }
    // Output order comes from the row type's field list, so the object's own order does not matter.
    for (const f of table.fields) if (values[f.name] === undefined) values[f.name] = defaultValue(f);
    // The generator writes every schema column; a column this tenant lacks must not linger in the row.
    for (const name of this.#options.missingColumns?.[table.def.name] ?? []) delete values[name];
    return { values, wall, modifiedWall };
  }
}

const NO_WALL: Record<string, number> = Object.freeze({}) as Record<string, number>;

/** Date-only texts repeat a lot (a few hundred days); remember their parsed values. */
const wallCache = new Map<string, number>();
function wallOf(text: string): number {
  let wall = wallCache.get(text);
  if (wall === undefined) {
    wall = wallMsOf(text);
    if (text.endsWith('T00:00:00') && wallCache.size < 100_000) wallCache.set(text, wall);
  }
  return wall;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function notFound(set: EntitySetName, key: Values): SimDataError {
  return new SimDataError(
    'ERR_SIM_NOT_FOUND',
    `No ${set} row with key ${JSON.stringify(key, bigintReplacer)}.`,
  );
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function defaultValue(f: FieldDef): Value {
  switch (f.type) {
    case 'int':
    case 'decimal':
      return 0;
    case 'int64':
      return 0n;
    case 'bool':
      return false;
    case 'date':
    case 'datetime':
      return null;
    default:
      return '';
  }
}

/** Converts JSON-ish input to the column's type; rejects unknown columns and wrong types. */
export function coerce(table: Table, name: string, input: unknown): Value {
  const f = table.fieldMap.get(name);
  if (!f) throw new SimDataError('ERR_SIM_BAD_FIELD', `${table.def.name} has no column ${name}.`);
  const bad = (): SimDataError =>
    new SimDataError('ERR_SIM_BAD_VALUE', `Column ${name} (${f.type}) cannot take ${typeof input} value.`);
  if (input === null) {
    if (f.type === 'date' || f.type === 'datetime') return null;
    throw bad();
  }
  switch (f.type) {
    case 'string':
    case 'guid':
      if (typeof input !== 'string') throw bad();
      return input;
    case 'int':
    case 'decimal': {
      const n = typeof input === 'string' && input.trim() !== '' ? Number(input) : input;
      if (typeof n !== 'number' || !Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n)))
        throw bad();
      return n;
    }
    case 'int64':
      if (typeof input === 'bigint') return input;
      if (typeof input === 'number' && Number.isSafeInteger(input)) return BigInt(input);
      if (typeof input === 'string' && /^-?\d+$/.test(input)) return BigInt(input);
      throw bad();
    case 'bool':
      if (typeof input === 'boolean') return input;
      if (input === 'true' || input === 'false') return input === 'true';
      throw bad();
    case 'date':
    case 'datetime': {
      if (typeof input !== 'string') throw bad();
      const wall = wallMsOf(input.replace(/(Z|[+-]\d{2}:\d{2})$/, ''));
      if (Number.isNaN(wall)) throw bad();
      return f.type === 'date' ? dateText(wall) : dateTimeText(wall);
    }
  }
}
