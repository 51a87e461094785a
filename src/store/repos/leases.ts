import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Database } from '../schema.js';
import type { Lease, LeaseResult } from '../types.js';

/**
 * Named leases ("one run per connection at a time"), safe across processes sharing one store: each
 * operation is a single conditional statement, which both SQLite and PostgreSQL execute atomically.
 */
export class LeasesRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /**
   * Takes the lease if it is free, expired, or already ours (then it is extended). Otherwise reports
   * who holds it and until when.
   */
  async acquire(name: string, holder: string, ttlMs: number, now = this.#clock.now()): Promise<LeaseResult> {
    const expiresAt = now + ttlMs;
    const result = await this.#db
      .insertInto('leases')
      .values({ name, holder, expires_at: expiresAt, acquired_at: now })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
            acquired_at: eb
              .case()
              .when('leases.holder', '=', holder)
              .then(eb.ref('leases.acquired_at'))
              .else(eb.ref('excluded.acquired_at'))
              .end(),
          }))
          .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
      )
      .executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) > 0n) {
      return { acquired: true, lease: { name, holder, expiresAt } };
    }
    const current = await this.get(name);
    if (current === undefined) return this.acquire(name, holder, ttlMs, now);
    return { acquired: false, heldBy: current.holder, expiresAt: current.expiresAt };
  }

  /**
   * Extends a lease we still hold. An expired lease nobody else has taken is still ours (the holder
   * is unchanged), so renewing it is safe. False means another holder took it over (or it was released).
   */
  async renew(name: string, holder: string, ttlMs: number, now = this.#clock.now()): Promise<boolean> {
    const result = await this.#db
      .updateTable('leases')
      .set({ expires_at: now + ttlMs })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Gives the lease up if we hold it. False when someone else holds it (or nobody does). */
  async release(name: string, holder: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('leases')
      .where('name', '=', name)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async get(name: string): Promise<Lease | undefined> {
    const row = await this.#db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? undefined : { name: row.name, holder: row.holder, expiresAt: row.expires_at };
  }
}
