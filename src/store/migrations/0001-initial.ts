import { type Kysely, sql } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** Integer surrogate key that is never reused: AUTOINCREMENT rowid on SQLite, identity on PostgreSQL. */
function idType(dialect: StoreDialect) {
  return dialect === 'sqlite' ? ('integer' as const) : ('bigint' as const);
}

function inList(values: readonly string[]) {
  return sql.join(values.map((v) => sql.lit(v)));
}

/** The initial schema. Never edit a shipped migration: add a new file instead (see docs/store.md). */
export function initialMigration(dialect: StoreDialect) {
  const id = idType(dialect);
  return {
    // `Kysely<any>` is Kysely's documented migration signature: migrations must not depend on the
    // current Database type, which describes the latest schema.
    // biome-ignore lint/suspicious/noExplicitAny: see above
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('connections')
        .addColumn('id', id, (c) =>
          dialect === 'sqlite'
            ? c.primaryKey().autoIncrement()
            : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('credentials')
        .addColumn('connection_id', id, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('system', 'text', (c) =>
          c.notNull().check(sql`system in (${inList(['epicor', 'hubspot'])})`),
        )
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('iv', 'text', (c) => c.notNull())
        .addColumn('auth_tag', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('credentials_pk', ['connection_id', 'system'])
        .execute();

      await db.schema
        .createTable('stream_cursors')
        .addColumn('connection_id', id, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('cursor_value', 'text')
        .addColumn('cursor_key', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('stream_cursors_pk', ['connection_id', 'stream'])
        .execute();

      await db.schema
        .createTable('sync_runs')
        .addColumn('id', id, (c) =>
          dialect === 'sqlite'
            ? c.primaryKey().autoIncrement()
            : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('connection_id', id, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) =>
          c.notNull().check(sql`kind in (${inList(['sync', 'replay', 'reconcile', 'dry-run'])})`),
        )
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(sql`status in (${inList(['running', 'succeeded', 'failed', 'partial', 'cancelled'])})`),
        )
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('unchanged_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('archived_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error_summary', 'text')
        .execute();
      await db.schema
        .createIndex('sync_runs_connection_idx')
        .on('sync_runs')
        .columns(['connection_id', 'id'])
        .execute();

      await db.schema
        .createTable('id_map')
        .addColumn('connection_id', id, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('object_type', 'text', (c) => c.notNull())
        .addColumn('hubspot_id', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('last_synced_at', 'bigint', (c) => c.notNull())
        .addColumn('last_run_id', id)
        .addPrimaryKeyConstraint('id_map_pk', ['connection_id', 'source_id'])
        .execute();
      await db.schema
        .createIndex('id_map_kind_idx')
        .on('id_map')
        .columns(['connection_id', 'kind', 'source_id'])
        .execute();
      await db.schema
        .createIndex('id_map_hubspot_idx')
        .on('id_map')
        .columns(['connection_id', 'object_type', 'hubspot_id'])
        .execute();

      await db.schema
        .createTable('batches')
        .addColumn('id', id, (c) =>
          dialect === 'sqlite'
            ? c.primaryKey().autoIncrement()
            : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('run_id', id, (c) => c.notNull().references('sync_runs.id').onDelete('cascade'))
        .addColumn('connection_id', id, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in (${inList(['pending', 'succeeded', 'failed', 'partial'])})`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('replay_of', id)
        .addColumn('replayed_by', id)
        .execute();
      await db.schema.createIndex('batches_run_idx').on('batches').columns(['run_id', 'id']).execute();
      await db.schema
        .createIndex('batches_status_idx')
        .on('batches')
        .columns(['connection_id', 'status', 'id'])
        .execute();

      await db.schema
        .createTable('audit')
        .addColumn('id', id, (c) =>
          dialect === 'sqlite'
            ? c.primaryKey().autoIncrement()
            : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn('run_id', id, (c) => c.notNull().references('sync_runs.id').onDelete('cascade'))
        .addColumn('batch_id', id, (c) => c.references('batches.id').onDelete('cascade'))
        .addColumn('connection_id', id, (c) => c.notNull().references('connections.id').onDelete('cascade'))
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('hubspot_id', 'text')
        .addColumn('action', 'text', (c) =>
          c
            .notNull()
            .check(
              sql`action in (${inList(['created', 'updated', 'unchanged', 'failed', 'skipped', 'archived'])})`,
            ),
        )
        .addColumn('error_category', 'text')
        .addColumn('error_message', 'text')
        .addColumn('content_hash', 'text')
        .addColumn('label', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      const auditIndexes: [string, string[]][] = [
        ['audit_run_idx', ['run_id', 'id']],
        ['audit_batch_idx', ['batch_id', 'id']],
        ['audit_action_idx', ['connection_id', 'action', 'id']],
        ['audit_source_idx', ['source_id', 'id']],
        ['audit_hubspot_idx', ['hubspot_id', 'id']],
        ['audit_time_idx', ['connection_id', 'at', 'id']],
        ['audit_label_idx', ['connection_id', 'label']],
      ];
      for (const [name, columns] of auditIndexes) {
        await db.schema.createIndex(name).on('audit').columns(columns).execute();
      }

      await db.schema
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('acquired_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
