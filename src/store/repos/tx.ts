import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Runs `fn` in the caller's transaction if there is one, otherwise in a new one. */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
