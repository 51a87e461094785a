import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { chunk } from '../rows.js';
import type { Database, IdMapTable } from '../schema.js';
import type { Id, IdMapEntry, IdMapUpsert } from '../types.js';
import { inTransaction } from './tx.js';

const objectType = z.enum(['companies', 'contacts']);

/** Source id → HubSpot id, with the content hash last written (to skip unchanged records). */
export class IdMapRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async get(connectionId: Id, sourceId: string): Promise<IdMapEntry | undefined> {
    return (await this.getMany(connectionId, [sourceId])).get(sourceId);
  }

  /** Entries for the given source ids (missing ones are simply absent from the map). */
  async getMany(connectionId: Id, sourceIds: readonly string[]): Promise<Map<string, IdMapEntry>> {
    const out = new Map<string, IdMapEntry>();
    for (const part of chunk([...new Set(sourceIds)], 500)) {
      const rows = await this.#db
        .selectFrom('id_map')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('source_id', 'in', part)
        .execute();
      for (const row of rows) out.set(row.source_id, toEntry(row));
    }
    return out;
  }

  /** Inserts or updates each entry (keyed by connection + source id), atomically. */
  async upsertMany(connectionId: Id, entries: readonly IdMapUpsert[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.#clock.now();
    const rows = entries.map((e) => ({
      connection_id: connectionId,
      source_id: e.sourceId,
      kind: e.kind,
      object_type: e.objectType,
      hubspot_id: e.hubspotId,
      content_hash: e.contentHash,
      last_synced_at: e.lastSyncedAt ?? now,
      last_run_id: e.lastRunId,
    }));
    await inTransaction(this.#db, async (trx) => {
      for (const part of chunk(rows, 200)) {
        await trx
          .insertInto('id_map')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['connection_id', 'source_id']).doUpdateSet((eb) => ({
              kind: eb.ref('excluded.kind'),
              object_type: eb.ref('excluded.object_type'),
              hubspot_id: eb.ref('excluded.hubspot_id'),
              content_hash: eb.ref('excluded.content_hash'),
              last_synced_at: eb.ref('excluded.last_synced_at'),
              last_run_id: eb.ref('excluded.last_run_id'),
            })),
          )
          .execute();
      }
    });
  }

  async delete(connectionId: Id, sourceIds: readonly string[]): Promise<number> {
    let deleted = 0n;
    for (const part of chunk(sourceIds, 500)) {
      const result = await this.#db
        .deleteFrom('id_map')
        .where('connection_id', '=', connectionId)
        .where('source_id', 'in', part)
        .executeTakeFirst();
      deleted += result.numDeletedRows;
    }
    return Number(deleted);
  }

  async count(connectionId: Id, kind?: string): Promise<number> {
    let query = this.#db
      .selectFrom('id_map')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('connection_id', '=', connectionId);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Every entry for a connection and kind, in source-id order, read page by page (keyset) so memory
   * stays bounded however large the map is.
   */
  async *iterate(connectionId: Id, kind: string, pageSize = 1000): AsyncGenerator<IdMapEntry> {
    let after: string | undefined;
    for (;;) {
      let query = this.#db
        .selectFrom('id_map')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('kind', '=', kind);
      if (after !== undefined) query = query.where('source_id', '>', after);
      const rows = await query.orderBy('source_id').limit(pageSize).execute();
      for (const row of rows) yield toEntry(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = last.source_id;
    }
  }
}

function toEntry(row: Selectable<IdMapTable>): IdMapEntry {
  return {
    connectionId: row.connection_id,
    sourceId: row.source_id,
    kind: row.kind,
    objectType: objectType.parse(row.object_type),
    hubspotId: row.hubspot_id,
    contentHash: row.content_hash,
    lastSyncedAt: row.last_synced_at,
    lastRunId: row.last_run_id,
  };
}
