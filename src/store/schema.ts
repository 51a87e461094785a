/**
 * Table rows as Kysely sees them. Identical on SQLite and PostgreSQL: ids are integers, times are
 * epoch milliseconds (BIGINT), booleans are 0/1 integers, JSON and binary blobs are TEXT (JSON text,
 * base64), so one query layer serves both dialects without per-dialect value handling.
 */
import type { Generated } from 'kysely';

export interface ConnectionsTable {
  id: Generated<number>;
  name: string;
  settings: string;
  paused: number;
  created_at: number;
  updated_at: number;
}

export interface CredentialsTable {
  connection_id: number;
  system: string;
  key_id: string;
  ciphertext: string;
  iv: string;
  auth_tag: string;
  updated_at: number;
}

export interface StreamCursorsTable {
  connection_id: number;
  stream: string;
  cursor_value: string | null;
  cursor_key: string | null;
  version: number;
  updated_at: number;
}

export interface IdMapTable {
  connection_id: number;
  source_id: string;
  kind: string;
  object_type: string;
  hubspot_id: string;
  content_hash: string;
  last_synced_at: number;
  last_run_id: number | null;
}

export interface SyncRunsTable {
  id: Generated<number>;
  connection_id: number;
  kind: string;
  status: string;
  params: string;
  started_at: number;
  finished_at: number | null;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  failed_count: number;
  skipped_count: number;
  archived_count: number;
  error_summary: string | null;
}

export interface BatchesTable {
  id: Generated<number>;
  run_id: number;
  connection_id: number;
  stream: string;
  status: string;
  attempts: number;
  query: string;
  record_count: number;
  error: string | null;
  created_at: number;
  updated_at: number;
  replay_of: number | null;
  replayed_by: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  run_id: number;
  batch_id: number | null;
  connection_id: number;
  stream: string;
  source_id: string;
  hubspot_id: string | null;
  action: string;
  error_category: string | null;
  error_message: string | null;
  content_hash: string | null;
  label: string | null;
  at: number;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
  acquired_at: number;
}

export interface Database {
  connections: ConnectionsTable;
  credentials: CredentialsTable;
  stream_cursors: StreamCursorsTable;
  id_map: IdMapTable;
  sync_runs: SyncRunsTable;
  batches: BatchesTable;
  audit: AuditTable;
  leases: LeasesTable;
}
