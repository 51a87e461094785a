import { type Kysely, type Migration, Migrator } from 'kysely';
import { StoreMigrationError, StoreSchemaTooNewError } from './errors.js';
import { staticProvider } from './migrations/index.js';

export const MIGRATION_TABLE = 'kysely_migration';
export const MIGRATION_LOCK_TABLE = 'kysely_migration_lock';

export interface MigrateOptions {
  readonly migrations: Record<string, Migration>;
  /** PostgreSQL schema holding the tables (and Kysely's migration tables); undefined on SQLite. */
  readonly schema?: string;
}

/**
 * Brings the schema up to date. Idempotent: already-applied migrations are skipped. Refuses (typed
 * `ERR_STORE_SCHEMA_TOO_NEW`) when the database records a migration this release does not know,
 * which means a newer release migrated it: running older code against it could corrupt data.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped handle (see 0001).
export async function migrateStore(db: Kysely<any>, options: MigrateOptions): Promise<readonly string[]> {
  const known = new Set(Object.keys(options.migrations));
  const applied = await appliedMigrations(db, options.schema);
  const unknown = applied.filter((name) => !known.has(name)).sort();
  if (unknown.length > 0) throw new StoreSchemaTooNewError(unknown);

  const migrator = new Migrator({
    db,
    provider: staticProvider(options.migrations),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(options.schema === undefined ? {} : { migrationTableSchema: options.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    // A concurrent newer release may have raced us; re-check so the user gets the actionable error.
    const after = await appliedMigrations(db, options.schema);
    const newer = after.filter((name) => !known.has(name)).sort();
    if (newer.length > 0) throw new StoreSchemaTooNewError(newer);
    throw new StoreMigrationError(failed === undefined ? message : `${failed}: ${message}`, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// biome-ignore lint/suspicious/noExplicitAny: reads Kysely's own bookkeeping table.
async function appliedMigrations(db: Kysely<any>, schema: string | undefined): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const exists = tables.some(
    (t) => t.name === MIGRATION_TABLE && (schema === undefined || t.schema === schema),
  );
  if (!exists) return [];
  const scoped = schema === undefined ? db : db.withSchema(schema);
  const rows = await scoped.selectFrom(MIGRATION_TABLE).select('name').execute();
  return rows.map((r: { name: unknown }) => String(r.name));
}
