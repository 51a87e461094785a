import type SqliteDatabase from 'better-sqlite3';

/**
 * better-sqlite3 builds SQLite with a 16 MiB page cache. The sync touches the id map by key and appends
 * audit rows, so a smaller cache costs little speed (the OS caches the file too) and keeps the
 * process's memory from growing with the database: see docs/benchmarks.md.
 */
export const DEFAULT_SQLITE_CACHE_MB = 4;

export interface SqliteSettings {
  /** Write-ahead log; not for `:memory:`. */
  readonly wal: boolean;
  readonly cacheMb: number;
}

/** Pragmas set on every connection the store opens. */
export function applySqliteSettings(database: SqliteDatabase.Database, settings: SqliteSettings): void {
  // WAL lets readers (dashboard, CLI) proceed while a sync writes. In WAL mode, synchronous = NORMAL
  // skips the fsync on each commit (the WAL is synced at checkpoints): a commit is still durable across
  // a process crash, but a power loss or OS crash may drop the last few commits. That is harmless
  // here: the cursor only advances inside the same commit as the page's audit and id-map rows, so a
  // lost commit loses its cursor move too; the next run re-reads those records and re-sends them, and
  // HubSpot upserts keyed by source id are idempotent. The database itself is never corrupted.
  if (settings.wal) {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
  }
  database.pragma('foreign_keys = ON');
  // Negative: a size in KiB rather than in pages.
  database.pragma(`cache_size = -${Math.round(settings.cacheMb * 1024)}`);
}
