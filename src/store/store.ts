import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import {
  type CommitBatchInput,
  type CommitBatchResult,
  CursorConflictSignal,
  commitBatchIn,
} from './commit-batch.js';
import type { StoreDialect } from './dialect.js';
import { Repositories } from './repositories.js';
import type { Database } from './schema.js';

/** The repositories bound to one open transaction. Do not keep it after the callback returns. */
export type StoreTx = Repositories;

/**
 * The persistent state of ml-connector: connections, encrypted credential blobs, stream cursors, the
 * id map, runs, batches, the audit trail and leases. Every method is async and identical on SQLite
 * and PostgreSQL. Open with `openStore`.
 */
export class Store extends Repositories implements AsyncDisposable {
  readonly dialect: StoreDialect;
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  #closed = false;

  /** @internal use `openStore` */
  constructor(db: Kysely<Database>, dialect: StoreDialect, clock: Clock) {
    super(db, clock);
    this.#db = db;
    this.dialect = dialect;
    this.#clock = clock;
  }

  /**
   * Runs `fn` in one transaction: everything it writes through `tx` commits together or not at all
   * (a throw rolls back). Keep it short; on SQLite it holds the single writer lock.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute((trx) => fn(new Repositories(trx, this.#clock)));
  }

  /**
   * Atomically records a handled batch: cursor advance (with version check), batch status, id map
   * upserts, audit rows and the run's counts. On a cursor conflict nothing is written and the result
   * says so; any other failure throws and nothing is written either.
   */
  async commitBatch(input: CommitBatchInput): Promise<CommitBatchResult> {
    const at = this.#clock.now();
    try {
      const cursorVersion = await this.transaction((tx) => commitBatchIn(tx, at, input));
      return { ok: true, cursorVersion };
    } catch (error) {
      if (error instanceof CursorConflictSignal) {
        return { ok: false, conflict: 'cursor', actualVersion: error.actualVersion };
      }
      throw error;
    }
  }

  /** Closes the database handle or pool. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
