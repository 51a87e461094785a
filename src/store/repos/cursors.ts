import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { StreamCursor } from '../../sync/model.js';
import type { Database } from '../schema.js';
import type { AdvanceResult, Id, VersionedCursor } from '../types.js';

/**
 * Stream positions with optimistic concurrency: every write names the version it read, and a writer
 * that lost a race gets `{ ok: false, conflict: true }` instead of silently moving someone else's
 * cursor. Version 0 means "no row yet".
 */
export class CursorsRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async get(connectionId: Id, stream: string): Promise<VersionedCursor> {
    const row = await this.#db
      .selectFrom('stream_cursors')
      .select(['cursor_value', 'cursor_key', 'version'])
      .where('connection_id', '=', connectionId)
      .where('stream', '=', stream)
      .executeTakeFirst();
    if (row === undefined) return { cursor: null, version: 0 };
    const cursor =
      row.cursor_value === null || row.cursor_key === null
        ? null
        : { value: row.cursor_value, key: row.cursor_key };
    return { cursor, version: row.version };
  }

  /** Every stream's position for a connection, keyed by stream. */
  async list(connectionId: Id): Promise<Map<string, VersionedCursor>> {
    const rows = await this.#db
      .selectFrom('stream_cursors')
      .select(['stream', 'cursor_value', 'cursor_key', 'version'])
      .where('connection_id', '=', connectionId)
      .orderBy('stream')
      .execute();
    return new Map(
      rows.map((r) => [
        r.stream,
        {
          cursor:
            r.cursor_value === null || r.cursor_key === null
              ? null
              : { value: r.cursor_value, key: r.cursor_key },
          version: r.version,
        },
      ]),
    );
  }

  /**
   * Moves the cursor (or resets it with `null`) if its version is still `expectedVersion`. A single
   * conditional statement, so it is atomic across processes sharing the store.
   */
  async advance(
    connectionId: Id,
    stream: string,
    cursor: StreamCursor | null,
    expectedVersion: number,
  ): Promise<AdvanceResult> {
    const now = this.#clock.now();
    const next = expectedVersion + 1;
    const values = {
      cursor_value: cursor?.value ?? null,
      cursor_key: cursor?.key ?? null,
      version: next,
      updated_at: now,
    };
    const result =
      expectedVersion === 0
        ? await this.#db
            .insertInto('stream_cursors')
            .values({ connection_id: connectionId, stream, ...values })
            .onConflict((oc) => oc.columns(['connection_id', 'stream']).doNothing())
            .executeTakeFirst()
            .then((r) => r.numInsertedOrUpdatedRows ?? 0n)
        : await this.#db
            .updateTable('stream_cursors')
            .set(values)
            .where('connection_id', '=', connectionId)
            .where('stream', '=', stream)
            .where('version', '=', expectedVersion)
            .executeTakeFirst()
            .then((r) => r.numUpdatedRows);
    if (result > 0n) return { ok: true, version: next };
    const actual = await this.get(connectionId, stream);
    return { ok: false, conflict: true, actualVersion: actual.version };
  }
}
