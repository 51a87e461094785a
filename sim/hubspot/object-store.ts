import { OBJECT_TYPES, type SimObjectType } from './object-types.js';

interface SearchSnapshot {
  properties: Readonly<Record<string, string>>;
  archived: boolean;
}

export interface SimRecord {
  readonly id: string;
  readonly type: SimObjectType;
  /** Position in creation order (list paging cursor). */
  readonly seq: number;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** What search sees: the live record, an older snapshot, or nothing yet (index lag). */
  searchView: 'live' | SearchSnapshot | undefined;
  pending: { snapshot: SearchSnapshot; visibleAt: number }[];
}

const MODIFIED: Record<SimObjectType, readonly string[]> = {
  companies: ['hs_lastmodifieddate'],
  contacts: ['lastmodifieddate', 'hs_lastmodifieddate'],
};

/**
 * Records of every object type with unique-value indexes kept as Maps (value → id), so an upsert of
 * 100 inputs costs 100 map lookups. Validation happens before the store is called.
 */
export class ObjectStore {
  readonly #records = new Map<SimObjectType, Map<string, SimRecord>>();
  readonly #order = new Map<SimObjectType, SimRecord[]>();
  readonly #unique = new Map<SimObjectType, Map<string, Map<string, string>>>();
  #nextId = 0;
  readonly #firstId: number;

  constructor(firstId = 1001) {
    this.#firstId = firstId;
    this.reset();
  }

  reset(): void {
    for (const type of OBJECT_TYPES) {
      this.#records.set(type, new Map());
      this.#order.set(type, []);
      this.#unique.set(type, new Map());
    }
    this.#nextId = this.#firstId;
  }

  #map(type: SimObjectType): Map<string, SimRecord> {
    const m = this.#records.get(type);
    if (!m) throw new Error(`unknown object type ${type}`);
    return m;
  }

  #uniqueIndex(type: SimObjectType, property: string): Map<string, string> {
    const byProp = this.#unique.get(type);
    if (!byProp) throw new Error(`unknown object type ${type}`);
    let index = byProp.get(property);
    if (!index) {
      index = new Map();
      byProp.set(property, index);
      // Backfill for a property made unique after records exist (only ever empty for new properties).
      for (const r of this.#map(type).values()) {
        const v = r.properties[property];
        if (!r.archived && v !== undefined && v !== '') index.set(normalizeKey(property, v), r.id);
      }
    }
    return index;
  }

  get(type: SimObjectType, id: string): SimRecord | undefined {
    return this.#map(type).get(id);
  }

  /** Live (non-archived) record holding `value` in unique property `property`. */
  getByUnique(type: SimObjectType, property: string, value: string): SimRecord | undefined {
    const id = this.#uniqueIndex(type, property).get(normalizeKey(property, value));
    return id === undefined ? undefined : this.#map(type).get(id);
  }

  /** The first unique property in `values` whose value another live record already holds. */
  findUniqueConflict(
    type: SimObjectType,
    uniqueProps: readonly string[],
    values: Record<string, string>,
    selfId?: string,
  ): { property: string; value: string; existingId: string } | undefined {
    for (const property of uniqueProps) {
      const value = values[property];
      if (value === undefined || value === '') continue;
      const existing = this.#uniqueIndex(type, property).get(normalizeKey(property, value));
      if (existing !== undefined && existing !== selfId) return { property, value, existingId: existing };
    }
    return undefined;
  }

  all(type: SimObjectType): readonly SimRecord[] {
    return this.#order.get(type) ?? [];
  }

  count(type: SimObjectType, includeArchived = false): number {
    let n = 0;
    for (const r of this.all(type)) if (includeArchived || !r.archived) n++;
    return n;
  }

  create(
    type: SimObjectType,
    values: Record<string, string>,
    uniqueProps: readonly string[],
    now: number,
    indexDelayMs: number,
  ): SimRecord {
    const id = String(this.#nextId++);
    const iso = new Date(now).toISOString();
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v !== '') properties[k] = v;
    properties['hs_object_id'] = id;
    properties['createdate'] = iso;
    for (const m of MODIFIED[type]) properties[m] = iso;
    const order = this.#order.get(type) ?? [];
    const record: SimRecord = {
      id,
      type,
      seq: order.length,
      properties,
      createdAt: now,
      updatedAt: now,
      archived: false,
      searchView: undefined,
      pending: [],
    };
    order.push(record);
    this.#map(type).set(id, record);
    for (const p of uniqueProps) {
      const v = properties[p];
      if (v !== undefined) this.#uniqueIndex(type, p).set(normalizeKey(p, v), id);
    }
    this.#reindex(record, now, indexDelayMs);
    return record;
  }

  /** Applies values; returns whether anything changed (unchanged writes keep `updatedAt`). */
  update(
    record: SimRecord,
    values: Record<string, string>,
    uniqueProps: readonly string[],
    now: number,
    indexDelayMs: number,
  ): boolean {
    const changes = Object.entries(values).filter(([k, v]) => (record.properties[k] ?? '') !== v);
    if (changes.length === 0) return false;
    if (indexDelayMs > 0 && record.searchView === 'live') {
      record.searchView = { properties: { ...record.properties }, archived: record.archived };
    }
    for (const [k, v] of changes) {
      const old = record.properties[k];
      if (uniqueProps.includes(k)) {
        const index = this.#uniqueIndex(record.type, k);
        if (old !== undefined) index.delete(normalizeKey(k, old));
        if (v !== '') index.set(normalizeKey(k, v), record.id);
      }
      if (v === '') delete record.properties[k];
      else record.properties[k] = v;
    }
    record.updatedAt = now;
    const iso = new Date(now).toISOString();
    for (const m of MODIFIED[record.type]) record.properties[m] = iso;
    this.#reindex(record, now, indexDelayMs);
    return true;
  }

  archive(record: SimRecord, uniqueProps: readonly string[], now: number, indexDelayMs: number): void {
    if (record.archived) return;
    if (indexDelayMs > 0 && record.searchView === 'live') {
      record.searchView = { properties: { ...record.properties }, archived: false };
    }
    for (const p of uniqueProps) {
      const v = record.properties[p];
      if (v !== undefined) {
        const index = this.#uniqueIndex(record.type, p);
        if (index.get(normalizeKey(p, v)) === record.id) index.delete(normalizeKey(p, v));
      }
    }
    record.archived = true;
    record.archivedAt = now;
    this.#reindex(record, now, indexDelayMs);
  }

  #reindex(record: SimRecord, now: number, delay: number): void {
    if (delay <= 0 && record.pending.length === 0) {
      record.searchView = 'live';
      return;
    }
    record.pending.push({
      snapshot: { properties: { ...record.properties }, archived: record.archived },
      visibleAt: now + Math.max(0, delay),
    });
  }

  /** What search sees of `record` at `now` (undefined: not indexed yet). */
  searchView(record: SimRecord, now: number): SearchSnapshot | undefined {
    while (record.pending.length > 0 && (record.pending[0]?.visibleAt ?? Infinity) <= now) {
      const next = record.pending.shift();
      if (next) record.searchView = next.snapshot;
    }
    if (record.searchView === 'live') return record;
    return record.searchView;
  }
}

/** Unique keys compare case-insensitively for email (HubSpot lower-cases it), exactly otherwise. */
export function normalizeKey(property: string, value: string): string {
  return property === 'email' ? value.trim().toLowerCase() : value;
}
