/**
 * A scriptable in-process stand-in for the Epicor side of the engine (`Source`): a live table per
 * stream, read by keyset pages in (change value, key) order exactly as the Epicor adapter reads, with
 * lookback, page queries that re-run, and hooks to fail or pause a read. For engine tests only; the
 * HTTP simulators under sim/ are for the end-to-end tests.
 */
import { compareCursors } from '../cursor.js';
import type { EntityKind, SourceRecord, StreamCursor } from '../model.js';
import type { JsonValue, ReadOptions, Source, SourcePage } from '../ports.js';

interface Row {
  readonly key: string;
  readonly changedAt: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

interface PageQuery {
  readonly servicePath: string;
  readonly kind: EntityKind;
  readonly after: StreamCursor | null;
  readonly top: number;
}

/** Thrown by a scripted read failure; carries the page query like the real adapter's errors. */
export class FakeEpicorDown extends Error {
  readonly query: JsonValue;
  constructor(query: JsonValue) {
    super('Epicor is unavailable (scripted)');
    this.query = query;
  }
}

const SERVICE: Record<EntityKind, string> = {
  vendor: 'Erp.BO.VendorSvc/Vendors',
  customer: 'Erp.BO.CustomerSvc/Customers',
  vendorContact: 'Erp.BO.VendCntSvc/VendCntMains',
  customerContact: 'Erp.BO.CustCntSvc/CustCnts',
};

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

export class FakeEpicor implements Source {
  readonly #tables = new Map<EntityKind, Map<string, Row>>();
  readonly #now: () => number;
  readonly pageSize: number;
  /** Pages fetched so far, per stream (read-ahead tests look at it). */
  readonly pagesRead = new Map<EntityKind, number>();
  /** Called before each page is fetched; may throw (Epicor down) or wait (a slow read). */
  beforePage: ((kind: EntityKind, pageIndex: number, query: PageQuery) => Promise<void> | void) | undefined;

  constructor(options: { now: () => number; pageSize?: number }) {
    this.#now = options.now;
    this.pageSize = options.pageSize ?? 5;
  }

  #table(kind: EntityKind): Map<string, Row> {
    let table = this.#tables.get(kind);
    if (!table) {
      table = new Map();
      this.#tables.set(kind, table);
    }
    return table;
  }

  /** Inserts or changes a row; its change value becomes the current time. */
  put(kind: EntityKind, key: string, fields: Record<string, unknown>): void {
    this.#table(kind).set(key, { key, changedAt: this.#now(), fields });
  }

  delete(kind: EntityKind, key: string): void {
    this.#table(kind).delete(key);
  }

  fieldsOf(kind: EntityKind, key: string): Readonly<Record<string, unknown>> | undefined {
    return this.#table(kind).get(key)?.fields;
  }

  rows(kind: EntityKind): SourceRecord[] {
    return [...this.#table(kind).values()].map((row) => this.#record(kind, row));
  }

  #record(kind: EntityKind, row: Row): SourceRecord {
    return {
      kind,
      key: row.key,
      position: { value: isoOf(row.changedAt), key: row.key },
      fields: row.fields,
    };
  }

  #page(query: PageQuery): SourceRecord[] {
    return [...this.#table(query.kind).values()]
      .map((row) => this.#record(query.kind, row))
      .filter((record) => compareCursors(record.position, query.after) > 0)
      .sort((a, b) => compareCursors(a.position, b.position))
      .slice(0, query.top);
  }

  async *read(kind: EntityKind, from: StreamCursor | null, options: ReadOptions): AsyncIterable<SourcePage> {
    // Lookback: start `lookbackMs` before the cursor's instant, at the smallest key.
    let after: StreamCursor | null =
      from === null
        ? null
        : options.lookbackMs > 0
          ? { value: isoOf(Date.parse(from.value) - options.lookbackMs), key: '' }
          : from;
    for (let index = 0; ; index++) {
      options.signal?.throwIfAborted();
      const query: PageQuery = { servicePath: SERVICE[kind], kind, after, top: this.pageSize };
      this.pagesRead.set(kind, (this.pagesRead.get(kind) ?? 0) + 1);
      await this.beforePage?.(kind, index, query);
      const records = this.#page(query);
      const last = records.at(-1);
      if (last === undefined) return;
      yield { records, position: last.position, query: query as unknown as JsonValue };
      after = last.position;
    }
  }

  async replay(query: JsonValue, signal?: AbortSignal): Promise<readonly SourceRecord[]> {
    signal?.throwIfAborted();
    const parsed = query as unknown as PageQuery;
    await this.beforePage?.(parsed.kind, -1, parsed);
    return this.#page(parsed);
  }

  async *listKeys(kind: EntityKind): AsyncIterable<string> {
    for (const key of [...this.#table(kind).keys()]) yield key;
  }
}
