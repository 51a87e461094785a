import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Clock, systemClock } from '../core/clock.js';
import { ConfigError, ConnectorError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import type { StoreDialect } from './dialect.js';
import { StoreOpenError } from './errors.js';
import { migrateStore } from './migrate.js';
import { storeMigrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { applySqliteSettings, DEFAULT_SQLITE_CACHE_MB } from './sqlite-settings.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { Store } from './store.js';

export const DEFAULT_SQLITE_FILENAME = 'ml-connector.db';

export interface OpenStoreOptions {
  /** SQLite file (parent directories are created, mode 0700) or `:memory:`. */
  readonly sqlitePath?: string;
  /** PostgreSQL connection URL; when set, PostgreSQL is used instead of SQLite. */
  readonly postgresUrl?: string;
  /** PostgreSQL schema for all tables (created if missing). Default `public`. */
  readonly pgSchema?: string;
  /** PostgreSQL pool size. Default 10. */
  readonly pgPoolSize?: number;
  /** SQLite: how long to wait for another process's write lock. Default 5000 ms. */
  readonly sqliteBusyTimeoutMs?: number;
  /** SQLite page cache in MiB. Default {@link DEFAULT_SQLITE_CACHE_MB}. */
  readonly sqliteCacheMb?: number;
  readonly clock?: Clock;
  /**
   * @internal Extra migrations appended after this release's own: lets tests play a newer release
   * that migrated the database further.
   */
  readonly extraMigrations?: Record<string, Migration>;
}

/** Where the SQLite file lives inside a data directory. */
export function defaultSqlitePath(dataDir: string): string {
  return join(dataDir, DEFAULT_SQLITE_FILENAME);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the store and brings its schema up to date (migrations run on every open and are no-ops
 * when already applied). Throws `ERR_STORE_SCHEMA_TOO_NEW` if a newer release migrated it.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const issues: string[] = [];
  if ((options.sqlitePath === undefined) === (options.postgresUrl === undefined)) {
    issues.push('store: set exactly one of sqlitePath or postgresUrl');
  }
  if (options.pgSchema !== undefined && !SCHEMA_NAME.test(options.pgSchema)) {
    issues.push(
      'store.pgSchema: use lower-case letters, digits and underscores (max 63), not starting with a digit',
    );
  }
  if (options.pgSchema !== undefined && options.postgresUrl === undefined) {
    issues.push('store.pgSchema: only applies with postgresUrl');
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const clock = options.clock ?? systemClock;
  const dialect: StoreDialect = options.postgresUrl === undefined ? 'sqlite' : 'postgres';
  const schema = dialect === 'postgres' ? (options.pgSchema ?? 'public') : undefined;
  const db =
    options.postgresUrl === undefined
      ? openSqlite(
          options.sqlitePath ?? ':memory:',
          options.sqliteBusyTimeoutMs ?? 5000,
          options.sqliteCacheMb ?? DEFAULT_SQLITE_CACHE_MB,
        )
      : await openPostgres(options.postgresUrl, schema ?? 'public', options.pgPoolSize ?? 10);
  try {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped handle.
    await migrateStore(db as Kysely<any>, {
      migrations: { ...storeMigrations(dialect), ...options.extraMigrations },
      ...(schema === undefined ? {} : { schema }),
    });
  } catch (error) {
    await db.destroy();
    if (error instanceof ConnectorError) throw error;
    const where = options.postgresUrl === undefined ? options.sqlitePath : redactUrl(options.postgresUrl);
    throw new StoreOpenError(`Could not prepare the store at ${where}: ${describe(error)}`, {
      cause: error,
      retryable: dialect === 'postgres',
    });
  }
  return new Store(db, dialect, clock);
}

function openSqlite(path: string, busyTimeoutMs: number, cacheMb: number): Kysely<Database> {
  let database: SqliteDatabase.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    database = new SqliteDatabase(path, { timeout: busyTimeoutMs });
    applySqliteSettings(database, { wal: path !== ':memory:', cacheMb });
  } catch (error) {
    throw new StoreOpenError(`Could not open the SQLite store at ${path}: ${describe(error)}`, {
      cause: error,
    });
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
}

/** BIGINT (ids, epoch-ms times, counts) as JS numbers, like SQLite; refuses values that would lose precision. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
}

const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string, schema: string, poolSize: number): Promise<Kysely<Database>> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Every connection resolves unqualified table names in our schema only.
    options: `-c search_path=${schema}`,
    types: pgTypes,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema !== 'public') await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    else await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new StoreOpenError(`Could not connect to PostgreSQL at ${redactUrl(url)}: ${describe(error)}`, {
      cause: error,
      retryable: true,
    });
  }
  return db;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
