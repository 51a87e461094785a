import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, SqliteDialect } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { ConfigError, ConnectorError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import type { StoreDialect } from './dialect.js';
import { describe, StoreOpenError } from './errors.js';
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
      : // Loaded only when configured: most installs run on SQLite and need not carry pg in memory.
        await (await import('./open-postgres.js')).openPostgres(
          options.postgresUrl,
          schema ?? 'public',
          options.pgPoolSize ?? 10,
        );
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
