import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { initialMigration } from './0001-initial.js';
import { dropAuditLabelIndexMigration } from './0002-drop-audit-label-index.js';

/**
 * Every migration this release knows, by name. Names sort in the order they run. A static list (no
 * directory scan) so it works unchanged from `dist/` and from a packaged install.
 */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-drop-audit-label-index': dropAuditLabelIndexMigration,
  };
}

export function staticProvider(migrations: Record<string, Migration>): MigrationProvider {
  return { getMigrations: async () => migrations };
}
