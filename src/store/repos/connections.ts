import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { isUniqueViolation, StoreConflictError, StoreNotFoundError } from '../errors.js';
import { toConnection, toJson } from '../rows.js';
import type { Database } from '../schema.js';
import type { Connection, Id, JsonObject } from '../types.js';

export interface ConnectionInput {
  readonly name: string;
  readonly settings: JsonObject;
  readonly paused?: boolean;
}

export interface ConnectionPatch {
  readonly name?: string;
  readonly settings?: JsonObject;
  readonly paused?: boolean;
}

export class ConnectionsRepo {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async create(input: ConnectionInput): Promise<Connection> {
    const now = this.#clock.now();
    try {
      const row = await this.#db
        .insertInto('connections')
        .values({
          name: input.name,
          settings: toJson(input.settings),
          paused: input.paused === true ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toConnection(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName(input.name, error);
      throw error;
    }
  }

  async get(id: Id): Promise<Connection | undefined> {
    const row = await this.#db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toConnection(row);
  }

  async getByName(name: string): Promise<Connection | undefined> {
    const row = await this.#db
      .selectFrom('connections')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toConnection(row);
  }

  async list(): Promise<Connection[]> {
    const rows = await this.#db.selectFrom('connections').selectAll().orderBy('id').execute();
    return rows.map(toConnection);
  }

  async update(id: Id, patch: ConnectionPatch): Promise<Connection> {
    try {
      const row = await this.#db
        .updateTable('connections')
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.settings === undefined ? {} : { settings: toJson(patch.settings) }),
          ...(patch.paused === undefined ? {} : { paused: patch.paused ? 1 : 0 }),
          updated_at: this.#clock.now(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new StoreNotFoundError(`Connection ${id}`);
      return toConnection(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName(patch.name ?? '', error);
      throw error;
    }
  }

  async setPaused(id: Id, paused: boolean): Promise<Connection> {
    return this.update(id, { paused });
  }

  /** Deletes the connection and, by cascade, its credentials, cursors, id map, runs, batches and audit. */
  async delete(id: Id): Promise<boolean> {
    const result = await this.#db.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function duplicateName(name: string, cause: unknown): StoreConflictError {
  return new StoreConflictError(`A connection named "${name}" already exists; choose another name.`, cause);
}
