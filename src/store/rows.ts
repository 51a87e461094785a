/**
 * Row ↔ domain mapping. Values read back are validated (zod) rather than cast: a hand-edited or
 * corrupted row fails loudly here instead of deep inside the engine.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { RecordAction } from '../sync/model.js';
import type { AuditTable, BatchesTable, ConnectionsTable, SyncRunsTable } from './schema.js';
import {
  type AuditEntry,
  BATCH_STATUSES,
  type Batch,
  type BatchQuery,
  type Connection,
  type JsonObject,
  RECORD_ACTIONS,
  RUN_KINDS,
  RUN_STATUSES,
  type SyncRun,
} from './types.js';

const jsonObject = z.record(z.string(), z.unknown());
const streamCursor = z.object({ value: z.string(), key: z.string() });
const batchQuery = z.looseObject({
  servicePath: z.string(),
  filter: z.string().optional(),
  orderby: z.string().optional(),
  select: z.string().optional(),
  top: z.number().optional(),
  skip: z.number().optional(),
  after: streamCursor.nullable().optional(),
});

export function toJson(value: JsonObject): string {
  return JSON.stringify(value);
}

export function parseJsonObject(text: string): JsonObject {
  return jsonObject.parse(JSON.parse(text));
}

export function parseBatchQuery(text: string): BatchQuery {
  return batchQuery.parse(JSON.parse(text));
}

const runKind = z.enum(RUN_KINDS);
const runStatus = z.enum(RUN_STATUSES);
const batchStatus = z.enum(BATCH_STATUSES);
const recordAction = z.enum(RECORD_ACTIONS);

export function parseAction(value: string): RecordAction {
  return recordAction.parse(value);
}

export function toConnection(row: Selectable<ConnectionsTable>): Connection {
  return {
    id: row.id,
    name: row.name,
    settings: parseJsonObject(row.settings),
    paused: row.paused !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRun(row: Selectable<SyncRunsTable>): SyncRun {
  return {
    id: row.id,
    connectionId: row.connection_id,
    kind: runKind.parse(row.kind),
    status: runStatus.parse(row.status),
    params: parseJsonObject(row.params),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: {
      created: row.created_count,
      updated: row.updated_count,
      unchanged: row.unchanged_count,
      failed: row.failed_count,
      skipped: row.skipped_count,
      archived: row.archived_count,
    },
    errorSummary: row.error_summary,
  };
}

export function toBatch(row: Selectable<BatchesTable>): Batch {
  return {
    id: row.id,
    runId: row.run_id,
    connectionId: row.connection_id,
    stream: row.stream,
    status: batchStatus.parse(row.status),
    attempts: row.attempts,
    query: parseBatchQuery(row.query),
    recordCount: row.record_count,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    replayOf: row.replay_of,
    replayedBy: row.replayed_by,
  };
}

export function toAudit(row: Selectable<AuditTable>): AuditEntry {
  return {
    id: row.id,
    runId: row.run_id,
    batchId: row.batch_id,
    connectionId: row.connection_id,
    stream: row.stream,
    sourceId: row.source_id,
    hubspotId: row.hubspot_id,
    action: parseAction(row.action),
    errorCategory: row.error_category,
    errorMessage: row.error_message,
    contentHash: row.content_hash,
    label: row.label,
    at: row.at,
  };
}

/** Splits a list so no single statement exceeds the dialects' bound-parameter limits. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
