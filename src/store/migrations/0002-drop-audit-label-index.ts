import type { Kysely } from 'kysely';

/**
 * `audit_label_idx` (connection_id, label) served no query: the audit filter searches labels with
 * `lower(label) like '%…%'`, which no B-tree index can answer. Each audit row still paid a random insert
 * into it, one of the larger costs of a page commit on a big initial sync.
 */
export const dropAuditLabelIndexMigration = {
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's documented migration signature (see 0001).
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('audit_label_idx').ifExists().execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('audit_label_idx').on('audit').columns(['connection_id', 'label']).execute();
  },
};
