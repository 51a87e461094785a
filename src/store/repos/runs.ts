import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { RecordAction } from '../../sync/model.js';
import { StoreNotFoundError } from '../errors.js';
import { toJson, toRun } from '../rows.js';
import type { Database } from '../schema.js';
import type { Id, JsonObject, RunKind, RunStatus, SyncRun } from '../types.js';

export interface StartRunInput {
  readonly connectionId: Id;
  readonly kind: RunKind;
  readonly params?: JsonObject;
}

export interface FinishRunInput {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly errorSummary?: string | null;
}

export interface ListRunsOptions {
  readonly connectionId?: Id;
  readonly status?: RunStatus;
  /** Default 20, at most 500. */
  readonly limit?: number;
  /** Only runs with an id below this (paging back in time). */
  readonly beforeId?: Id;
}

export class RunsRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async start(input: StartRunInput): Promise<SyncRun> {
    const row = await this.#db
      .insertInto('sync_runs')
      .values({
        connection_id: input.connectionId,
        kind: input.kind,
        status: 'running',
        params: toJson(input.params ?? {}),
        started_at: this.#clock.now(),
        created_count: 0,
        updated_count: 0,
        unchanged_count: 0,
        failed_count: 0,
        skipped_count: 0,
        archived_count: 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRun(row);
  }

  async finish(id: Id, input: FinishRunInput): Promise<SyncRun> {
    const row = await this.#db
      .updateTable('sync_runs')
      .set({
        status: input.status,
        finished_at: this.#clock.now(),
        error_summary: input.errorSummary ?? null,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new StoreNotFoundError(`Run ${id}`);
    return toRun(row);
  }

  async get(id: Id): Promise<SyncRun | undefined> {
    const row = await this.#db.selectFrom('sync_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toRun(row);
  }

  /** Most recent first. */
  async listRecent(options: ListRunsOptions = {}): Promise<SyncRun[]> {
    let query = this.#db.selectFrom('sync_runs').selectAll();
    if (options.connectionId !== undefined) query = query.where('connection_id', '=', options.connectionId);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
    const limit = Math.min(Math.max(1, options.limit ?? 20), 500);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRun);
  }

  /** Adds to the run's running totals (used by commitBatch, inside its transaction). */
  async addCounts(id: Id, counts: Partial<Record<RecordAction, number>>): Promise<void> {
    const result = await this.#db
      .updateTable('sync_runs')
      .set((eb) => ({
        created_count: eb('created_count', '+', counts.created ?? 0),
        updated_count: eb('updated_count', '+', counts.updated ?? 0),
        unchanged_count: eb('unchanged_count', '+', counts.unchanged ?? 0),
        failed_count: eb('failed_count', '+', counts.failed ?? 0),
        skipped_count: eb('skipped_count', '+', counts.skipped ?? 0),
        archived_count: eb('archived_count', '+', counts.archived ?? 0),
      }))
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new StoreNotFoundError(`Run ${id}`);
  }
}
