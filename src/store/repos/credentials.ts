import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { chunk } from '../rows.js';
import type { CredentialsTable, Database } from '../schema.js';
import {
  CREDENTIAL_SYSTEMS,
  type CredentialBlob,
  type CredentialBlobInput,
  type CredentialSystem,
  type Id,
} from '../types.js';
import { inTransaction } from './tx.js';

const system = z.enum(CREDENTIAL_SYSTEMS);

/** Encrypted credential blobs. Binary parts are stored as base64 TEXT so both dialects match. */
export class CredentialsRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async put(blob: CredentialBlobInput): Promise<CredentialBlob> {
    const [stored] = await this.putMany([blob]);
    if (stored === undefined) throw new Error('unreachable: putMany returned nothing');
    return stored;
  }

  /** Inserts or replaces every blob atomically (one transaction), e.g. after a key rotation. */
  async putMany(blobs: readonly CredentialBlobInput[]): Promise<CredentialBlob[]> {
    const now = this.#clock.now();
    const rows = blobs.map((b) => ({
      connection_id: b.connectionId,
      system: b.system,
      key_id: b.keyId,
      ciphertext: b.ciphertext.toString('base64'),
      iv: b.iv.toString('base64'),
      auth_tag: b.authTag.toString('base64'),
      updated_at: now,
    }));
    await inTransaction(this.#db, async (trx) => {
      for (const part of chunk(rows, 200)) {
        await trx
          .insertInto('credentials')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['connection_id', 'system']).doUpdateSet((eb) => ({
              key_id: eb.ref('excluded.key_id'),
              ciphertext: eb.ref('excluded.ciphertext'),
              iv: eb.ref('excluded.iv'),
              auth_tag: eb.ref('excluded.auth_tag'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    });
    return rows.map(toBlob);
  }

  async get(connectionId: Id, sys: CredentialSystem): Promise<CredentialBlob | undefined> {
    const row = await this.#db
      .selectFrom('credentials')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('system', '=', sys)
      .executeTakeFirst();
    return row === undefined ? undefined : toBlob(row);
  }

  /** Every blob (or one connection's), ordered by connection then system. */
  async list(connectionId?: Id): Promise<CredentialBlob[]> {
    let query = this.#db.selectFrom('credentials').selectAll();
    if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
    const rows = await query.orderBy('connection_id').orderBy('system').execute();
    return rows.map(toBlob);
  }

  async delete(connectionId: Id, sys: CredentialSystem): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('credentials')
      .where('connection_id', '=', connectionId)
      .where('system', '=', sys)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toBlob(row: Selectable<CredentialsTable>): CredentialBlob {
  return {
    connectionId: row.connection_id,
    system: system.parse(row.system),
    keyId: row.key_id,
    ciphertext: Buffer.from(row.ciphertext, 'base64'),
    iv: Buffer.from(row.iv, 'base64'),
    authTag: Buffer.from(row.auth_tag, 'base64'),
    updatedAt: row.updated_at,
  };
}
