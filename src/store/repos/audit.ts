import { type Kysely, sql } from 'kysely';
import type { RecordAction } from '../../sync/model.js';
import { StoreBadCursorError } from '../errors.js';
import { chunk, parseAction, toAudit } from '../rows.js';
import type { Database } from '../schema.js';
import {
  type ActionCounts,
  type AuditEntry,
  type AuditInput,
  type AuditPage,
  type AuditQuery,
  type Id,
  zeroCounts,
} from '../types.js';
import { inTransaction } from './tx.js';

export interface AuditContext {
  readonly runId: Id;
  readonly batchId: Id | null;
  readonly connectionId: Id;
  readonly at: number;
}

const MAX_LIMIT = 1000;

/** How many records of one stream of one run ended in each action. */
export interface RunStreamCounts {
  readonly runId: Id;
  readonly stream: string;
  readonly counts: ActionCounts;
}

/**
 * The append-only audit trail: one row per record per batch. There is no update or delete here by
 * design; rows leave only when their connection is deleted (cascade).
 */
export class AuditRepo {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async append(context: AuditContext, entries: readonly AuditInput[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      run_id: context.runId,
      batch_id: context.batchId,
      connection_id: context.connectionId,
      stream: e.stream,
      source_id: e.sourceId,
      hubspot_id: e.hubspotId ?? null,
      action: e.action,
      error_category: e.errorCategory ?? null,
      error_message: e.errorMessage ?? null,
      content_hash: e.contentHash ?? null,
      label: e.label ?? null,
      at: context.at,
    }));
    await inTransaction(this.#db, async (trx) => {
      for (const part of chunk(rows, 200)) await trx.insertInto('audit').values(part).execute();
    });
  }

  /**
   * Filtered rows in a stable order (by id: insertion order; newest first unless `order: 'asc'`),
   * paged by an opaque cursor so concurrent appends never shift or repeat a page.
   */
  async query(filter: AuditQuery = {}): Promise<AuditPage> {
    const order = filter.order ?? 'desc';
    const limit = Math.min(Math.max(1, filter.limit ?? 100), MAX_LIMIT);
    let query = this.#db.selectFrom('audit').selectAll();
    if (filter.connectionId !== undefined) query = query.where('connection_id', '=', filter.connectionId);
    if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
    if (filter.batchId !== undefined) query = query.where('batch_id', '=', filter.batchId);
    if (filter.actions !== undefined) {
      if (filter.actions.length === 0) return { rows: [], nextCursor: null };
      query = query.where('action', 'in', [...filter.actions]);
    }
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId);
    if (filter.hubspotId !== undefined) query = query.where('hubspot_id', '=', filter.hubspotId);
    if (filter.labelContains !== undefined && filter.labelContains !== '') {
      const pattern = `%${filter.labelContains.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      query = query.where(sql<boolean>`lower(label) like lower(${pattern}) escape '!'`);
    }
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    if (filter.cursor !== undefined) {
      const after = decodeCursor(filter.cursor, order);
      query = query.where('id', order === 'desc' ? '<' : '>', after);
    }
    const rows = await query
      .orderBy('id', order)
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(toAudit);
    const last = page.at(-1);
    return {
      rows: page,
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id, order) : null,
    };
  }

  /** How many records of a run ended in each action, counted from the audit rows. */
  async countsByAction(runId: Id): Promise<ActionCounts> {
    const rows = await this.#db
      .selectFrom('audit')
      .select(['action', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('action')
      .execute();
    const counts = zeroCounts();
    for (const row of rows) counts[parseAction(row.action)] = Number(row.n);
    return counts;
  }

  /**
   * Per-stream action counts of several runs, in one grouped query (per 500 runs): ordered by run id,
   * then stream. Runs and streams without audit rows are absent. Reads every audit row of those runs
   * (through the `run_id` index), so its cost grows with the runs' record counts.
   */
  async countsByRunAndStream(runIds: readonly Id[]): Promise<RunStreamCounts[]> {
    const byKey = new Map<string, { runId: Id; stream: string; counts: Record<RecordAction, number> }>();
    for (const part of chunk([...new Set(runIds)], 500)) {
      const rows = await this.#db
        .selectFrom('audit')
        .select(['run_id', 'stream', 'action', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('run_id', 'in', part)
        .groupBy(['run_id', 'stream', 'action'])
        .execute();
      for (const row of rows) {
        const key = `${row.run_id}\u0000${row.stream}`;
        let entry = byKey.get(key);
        if (entry === undefined) {
          entry = { runId: row.run_id, stream: row.stream, counts: zeroCounts() };
          byKey.set(key, entry);
        }
        entry.counts[parseAction(row.action)] += Number(row.n);
      }
    }
    return [...byKey.values()].sort((a, b) =>
      a.runId === b.runId ? (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) : a.runId - b.runId,
    );
  }

  /** The most recent audit row for a source record, if any. */
  async latestFor(connectionId: Id, sourceId: string): Promise<AuditEntry | undefined> {
    const row = await this.#db
      .selectFrom('audit')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('source_id', '=', sourceId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toAudit(row);
  }
}

function encodeCursor(id: Id, order: 'asc' | 'desc'): string {
  return `${order === 'asc' ? 'a' : 'd'}${id.toString(36)}`;
}

function decodeCursor(cursor: string, order: 'asc' | 'desc'): Id {
  const match = /^([ad])([0-9a-z]{1,12})$/.exec(cursor);
  if (match === null || match[1] !== (order === 'asc' ? 'a' : 'd')) throw new StoreBadCursorError();
  const id = Number.parseInt(match[2] ?? '', 36);
  if (!Number.isSafeInteger(id)) throw new StoreBadCursorError();
  return id;
}
