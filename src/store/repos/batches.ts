import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { StoreNotFoundError } from '../errors.js';
import { toBatch } from '../rows.js';
import type { Database } from '../schema.js';
import type { Batch, BatchQuery, BatchStatus, Id } from '../types.js';

export interface CreateBatchInput {
  readonly runId: Id;
  readonly connectionId: Id;
  readonly stream: string;
  /** The exact Epicor request, so the batch can be replayed. */
  readonly query: BatchQuery;
  readonly recordCount?: number;
  /** Set when this batch re-runs an earlier one; the original gets `replayedBy` in the same transaction. */
  readonly replayOf?: Id;
}

export interface UpdateBatchInput {
  readonly status?: BatchStatus;
  /** Adds to `attempts` (usually 1 per try). */
  readonly addAttempts?: number;
  readonly recordCount?: number;
  readonly error?: string | null;
}

export interface ListFailedOptions {
  readonly connectionId?: Id;
  readonly runId?: Id;
  /** Include failed batches that a replay already re-ran (default false). */
  readonly includeReplayed?: boolean;
  readonly limit?: number;
}

export class BatchesRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async create(input: CreateBatchInput): Promise<Batch> {
    const now = this.#clock.now();
    const insert = async (trx: Kysely<Database>): Promise<Batch> => {
      const row = await trx
        .insertInto('batches')
        .values({
          run_id: input.runId,
          connection_id: input.connectionId,
          stream: input.stream,
          status: 'pending',
          attempts: 0,
          query: JSON.stringify(input.query),
          record_count: input.recordCount ?? 0,
          created_at: now,
          updated_at: now,
          replay_of: input.replayOf ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (input.replayOf !== undefined) {
        const marked = await trx
          .updateTable('batches')
          .set({ replayed_by: row.id, updated_at: now })
          .where('id', '=', input.replayOf)
          .executeTakeFirst();
        if (marked.numUpdatedRows === 0n) throw new StoreNotFoundError(`Batch ${input.replayOf}`);
      }
      return toBatch(row);
    };
    return input.replayOf === undefined || this.#db.isTransaction
      ? insert(this.#db)
      : this.#db.transaction().execute(insert);
  }

  async update(id: Id, input: UpdateBatchInput): Promise<Batch> {
    const row = await this.#db
      .updateTable('batches')
      .set((eb) => ({
        ...(input.status === undefined ? {} : { status: input.status }),
        ...(input.recordCount === undefined ? {} : { record_count: input.recordCount }),
        ...(input.error === undefined ? {} : { error: input.error }),
        ...(input.addAttempts === undefined ? {} : { attempts: eb('attempts', '+', input.addAttempts) }),
        updated_at: this.#clock.now(),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new StoreNotFoundError(`Batch ${id}`);
    return toBatch(row);
  }

  async get(id: Id): Promise<Batch | undefined> {
    const row = await this.#db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toBatch(row);
  }

  /** A run's batches in creation order. */
  async listByRun(runId: Id): Promise<Batch[]> {
    const rows = await this.#db
      .selectFrom('batches')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();
    return rows.map(toBatch);
  }

  /** Failed or partial batches (oldest first), by default only those not yet replayed. */
  async listFailed(options: ListFailedOptions = {}): Promise<Batch[]> {
    let query = this.#db.selectFrom('batches').selectAll().where('status', 'in', ['failed', 'partial']);
    if (options.connectionId !== undefined) query = query.where('connection_id', '=', options.connectionId);
    if (options.runId !== undefined) query = query.where('run_id', '=', options.runId);
    if (options.includeReplayed !== true) query = query.where('replayed_by', 'is', null);
    const rows = await query
      .orderBy('id')
      .limit(Math.min(Math.max(1, options.limit ?? 1000), 10_000))
      .execute();
    return rows.map(toBatch);
  }
}
