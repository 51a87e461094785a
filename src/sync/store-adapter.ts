/**
 * The real store (`src/store/`, Kysely over SQLite/PostgreSQL) seen through the engine's `SyncStore`
 * port, bound to one connection. Ids are the store's integers, carried as strings by the engine.
 * A page commit is one store transaction: the batch row (and, for a replay, the link that marks the
 * original batch replayed), then `commitBatchIn` (cursor advance with version check, batch status, id
 * map, audit rows, run counts).
 */
import { CursorConflictSignal, commitBatchIn } from '../store/commit-batch.js';
import type {
  BatchQuery,
  Store,
  Batch as StoreBatch,
  IdMapEntry as StoreIdMapEntry,
} from '../store/index.js';
import { CursorConflictError } from './errors.js';
import { ENTITY_KINDS, type EntityKind, type RecordAction } from './model.js';
import type {
  AuditEntry,
  BatchError,
  CommitResult,
  IdMapEntry,
  JsonValue,
  PageCommit,
  ReplayableBatch,
  RunFinish,
  RunStart,
  StoredCursor,
  SyncStore,
} from './ports.js';
import { objectTypeOf } from './streams.js';

const KINDS: ReadonlySet<string> = new Set(ENTITY_KINDS);

function isEntityKind(value: string): value is EntityKind {
  return KINDS.has(value);
}

/** Store ids are positive integers; anything else names no row. */
function toId(text: string): number | undefined {
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : undefined;
}

function requireId(text: string, what: string): number {
  const id = toId(text);
  if (id === undefined) throw new RangeError(`Not a store ${what} id: ${text}`);
  return id;
}

function isPlainObject(value: JsonValue): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The batches table wants an Epicor request (`servicePath`, filter, ...). The Epicor adapter's page
 * queries are exactly that and are stored as given; any other opaque query is wrapped and unwrapped.
 */
function toBatchQuery(query: JsonValue): BatchQuery {
  if (isPlainObject(query) && typeof query['servicePath'] === 'string') return query as BatchQuery;
  return { servicePath: '', engineQuery: query };
}

function fromBatchQuery(query: BatchQuery): JsonValue {
  // Parsed from the JSON text of the row, so it is JSON.
  if (query.servicePath === '' && 'engineQuery' in query) return query['engineQuery'] as JsonValue;
  return query as unknown as JsonValue;
}

function errorText(error: BatchError | undefined): string | null {
  return error === undefined ? null : `${error.category}: ${error.message}`;
}

function toAuditInput(entry: AuditEntry) {
  return {
    stream: entry.kind,
    sourceId: entry.sourceId,
    action: entry.action,
    hubspotId: entry.hubspotId ?? null,
    errorCategory: entry.errorCategory ?? null,
    errorMessage: entry.errorMessage ?? null,
    contentHash: entry.contentHash ?? null,
    label: entry.label ?? null,
  };
}

function countsOf(entries: readonly AuditEntry[]): Partial<Record<RecordAction, number>> {
  const counts: Partial<Record<RecordAction, number>> = {};
  for (const entry of entries) counts[entry.action] = (counts[entry.action] ?? 0) + 1;
  return counts;
}

function fromStoreEntry(entry: StoreIdMapEntry): IdMapEntry | undefined {
  if (!isEntityKind(entry.kind)) return undefined;
  return {
    sourceId: entry.sourceId,
    kind: entry.kind,
    hubspotId: entry.hubspotId,
    contentHash: entry.contentHash,
  };
}

function toReplayable(batch: StoreBatch): ReplayableBatch | undefined {
  if (!isEntityKind(batch.stream)) return undefined;
  return {
    id: String(batch.id),
    runId: String(batch.runId),
    kind: batch.stream,
    status: batch.replayedBy === null ? batch.status : 'replayed',
    query: fromBatchQuery(batch.query),
    attempts: batch.attempts,
  };
}

export function createStoreAdapter(store: Store, connectionId: number): SyncStore {
  return {
    async getCursor(kind: EntityKind): Promise<StoredCursor> {
      return store.cursors.get(connectionId, kind);
    },

    async lookupIdMap(sourceIds: readonly string[]): Promise<ReadonlyMap<string, IdMapEntry>> {
      const found = await store.idMap.getMany(connectionId, sourceIds);
      const out = new Map<string, IdMapEntry>();
      for (const [sourceId, entry] of found) {
        const mine = fromStoreEntry(entry);
        if (mine) out.set(sourceId, mine);
      }
      return out;
    },

    async *idMapEntries(kind: EntityKind): AsyncIterable<IdMapEntry> {
      for await (const entry of store.idMap.iterate(connectionId, kind)) {
        const mine = fromStoreEntry(entry);
        if (mine) yield mine;
      }
    },

    async removeIdMap(sourceIds: readonly string[]): Promise<void> {
      await store.idMap.delete(connectionId, sourceIds);
    },

    async startRun(run: RunStart): Promise<string> {
      const started = await store.runs.start({
        connectionId,
        kind: run.kind,
        params: { streams: [...run.streams], ...(run.params ?? {}) },
      });
      return String(started.id);
    },

    async finishRun(runId: string, finish: RunFinish): Promise<void> {
      const id = requireId(runId, 'run');
      await store.transaction(async (tx) => {
        if (finish.uncommittedCounts) await tx.runs.addCounts(id, finish.uncommittedCounts);
        await tx.runs.finish(id, { status: finish.status, errorSummary: errorText(finish.error) });
      });
    },

    async commitPage(commit: PageCommit): Promise<CommitResult> {
      const runId = requireId(commit.runId, 'run');
      try {
        return await store.transaction(async (tx) => {
          const batch = await tx.batches.create({
            runId,
            connectionId,
            stream: commit.kind,
            query: toBatchQuery(commit.query),
            recordCount: commit.audit.length,
            ...(commit.replayOf === undefined ? {} : { replayOf: requireId(commit.replayOf, 'batch') }),
          });
          const version = await commitBatchIn(tx, commit.at, {
            connectionId,
            runId,
            batchId: batch.id,
            status: commit.status,
            error: errorText(commit.error),
            addAttempts: commit.attempts,
            audit: commit.audit.map(toAuditInput),
            idMap: commit.idMap.map((entry) => ({
              sourceId: entry.sourceId,
              kind: entry.kind,
              objectType: objectTypeOf(entry.kind),
              hubspotId: entry.hubspotId,
              contentHash: entry.contentHash,
              lastSyncedAt: commit.at,
              lastRunId: runId,
            })),
            ...(commit.cursor === undefined
              ? {}
              : {
                  cursor: {
                    stream: commit.kind,
                    position: commit.cursor.next,
                    expectedVersion: commit.cursor.expectedVersion,
                  },
                }),
          });
          return { batchId: String(batch.id), ...(version === null ? {} : { cursorVersion: version }) };
        });
      } catch (error) {
        if (error instanceof CursorConflictSignal && commit.cursor) {
          throw new CursorConflictError(commit.kind, commit.cursor.expectedVersion, error.actualVersion);
        }
        throw error;
      }
    },

    async getBatch(batchId: string): Promise<ReplayableBatch | undefined> {
      const id = toId(batchId);
      if (id === undefined) return undefined;
      const batch = await store.batches.get(id);
      return batch === undefined || batch.connectionId !== connectionId ? undefined : toReplayable(batch);
    },

    async listFailedBatches(filter: { readonly runId?: string }): Promise<readonly ReplayableBatch[]> {
      const runId = filter.runId === undefined ? undefined : toId(filter.runId);
      if (filter.runId !== undefined && runId === undefined) return [];
      const batches = await store.batches.listFailed({
        connectionId,
        ...(runId === undefined ? {} : { runId }),
        limit: 10_000,
      });
      return batches.flatMap((batch) => toReplayable(batch) ?? []);
    },

    async appendAudit(runId: string, entries: readonly AuditEntry[], at: number): Promise<void> {
      if (entries.length === 0) return;
      const id = requireId(runId, 'run');
      await store.transaction(async (tx) => {
        await tx.audit.append({ runId: id, batchId: null, connectionId, at }, entries.map(toAuditInput));
        await tx.runs.addCounts(id, countsOf(entries));
      });
    },
  };
}
