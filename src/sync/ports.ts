/**
 * The seams of the sync engine, in the engine's own terms. The engine knows records, cursors, pages and
 * batches; everything Epicor-specific (OData, change columns, lookback arithmetic on the value format)
 * lives behind `Source`, everything HubSpot-specific (paths, 100-record limits, bisection of bad
 * inputs, rate limits) behind `Destination`, and everything SQL behind `SyncStore`.
 */
import type {
  EntityKind,
  HubSpotObjectType,
  MappedRecord,
  MapResult,
  RecordAction,
  SourceRecord,
  StreamCursor,
} from './model.js';

/** A JSON value: what a page query must be so it can be stored in the batches table and re-run. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------------
// Source (Epicor side)
// ---------------------------------------------------------------------------------------------------

/** One page of a stream, as read from the source. */
export interface SourcePage {
  readonly records: readonly SourceRecord[];
  /**
   * The stream position once every record of this page is handled; `null` when the page brings no
   * progress (e.g. an empty page). The engine only ever moves the stored cursor forwards to it.
   */
  readonly position: StreamCursor | null;
  /** Opaque, serialisable description that re-reads exactly this page (`Source.replay`). */
  readonly query: JsonValue;
}

export interface ReadOptions {
  /**
   * How far behind the cursor to start reading, in milliseconds. Only the source can apply it, because
   * only the source knows how a cursor value encodes time. Records re-read this way are dropped by the
   * engine's content-hash check, so lookback costs reads, never writes.
   */
  readonly lookbackMs: number;
  readonly signal?: AbortSignal;
}

export interface Source {
  /** Pages of `kind` changed after `from` (minus the lookback), in change order. Lazy: one page at a time. */
  read(kind: EntityKind, from: StreamCursor | null, options: ReadOptions): AsyncIterable<SourcePage>;
  /** Re-runs a page query and returns that page's current records. */
  replay(query: JsonValue, signal?: AbortSignal): Promise<readonly SourceRecord[]>;
  /** Every key currently present in the source for `kind` (used by reconcile). */
  listKeys(kind: EntityKind, signal?: AbortSignal): AsyncIterable<string>;
}

/**
 * A source may attach the query of the page it failed to read to the error it throws (a property named
 * `query`); the engine then records a failed batch with it so `replay` can re-read exactly that page.
 */
export function queryOfSourceError(error: unknown): JsonValue | undefined {
  if (typeof error !== 'object' || error === null || !('query' in error)) return undefined;
  const query = (error as { query?: unknown }).query;
  return query === undefined ? undefined : (query as JsonValue);
}

// ---------------------------------------------------------------------------------------------------
// Destination (HubSpot side)
// ---------------------------------------------------------------------------------------------------

/** What happened to one record of an upsert. A record the destination rejects alone is `failed`. */
export interface UpsertOutcome {
  readonly sourceId: string;
  readonly status: 'created' | 'updated' | 'failed';
  readonly hubspotId?: string;
  /** Stable, non-secret category, e.g. "validation", "conflict", "duplicate_email". */
  readonly errorCategory?: string;
  readonly errorMessage?: string;
}

export interface AssociationPair {
  readonly companyId: string;
  readonly contactId: string;
}

/** A pair the destination could not associate; the contact is recorded failed (and stays replayable). */
export interface AssociationFailure extends AssociationPair {
  readonly errorCategory: string;
  readonly errorMessage: string;
}

export interface Destination {
  /** Creates the custom properties the mapping writes (idempotent). Called once per engine before writing. */
  ensureSchema(signal?: AbortSignal): Promise<void>;
  /**
   * Upserts by the unique source-id property, so re-sending a record never creates a duplicate. The
   * destination splits into its own request sizes, isolates bad records (outcome `failed`) and waits
   * out rate limits; it THROWS only when the whole call failed (HubSpot down, daily limit, auth).
   */
  upsert(
    objectType: HubSpotObjectType,
    records: readonly MappedRecord[],
    signal?: AbortSignal,
  ): Promise<readonly UpsertOutcome[]>;
  /** Associates contacts with companies (idempotent); returns the pairs that failed individually. */
  associate(pairs: readonly AssociationPair[], signal?: AbortSignal): Promise<readonly AssociationFailure[]>;
  /** Archives objects whose source record is gone (reconcile with `archive` mode). */
  archive(objectType: HubSpotObjectType, hubspotIds: readonly string[], signal?: AbortSignal): Promise<void>;
}

/** The mapping as the engine uses it; `createMapper(options)` from `./mapping/` satisfies it. */
export interface RecordMapper {
  map(record: SourceRecord): MapResult;
}

// ---------------------------------------------------------------------------------------------------
// SyncStore (persistence the engine needs, bound to one connection)
// ---------------------------------------------------------------------------------------------------

export type RunKind = 'sync' | 'replay' | 'reconcile' | 'dry-run';
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
/** `replayed`: superseded by a later batch that re-ran the same query (see `replayOf`). */
export type BatchStatus = 'pending' | 'succeeded' | 'partial' | 'failed' | 'replayed';

export interface StoredCursor {
  /** `null`: the stream has never been checkpointed. */
  readonly cursor: StreamCursor | null;
  /** Optimistic version; 0 before the first checkpoint. */
  readonly version: number;
}

export interface IdMapEntry {
  readonly sourceId: string;
  readonly kind: EntityKind;
  readonly hubspotId: string;
  /** Hash of the mapped content last written successfully. */
  readonly contentHash: string;
}

/** One audit row: one record of one batch (or one reconcile finding). */
export interface AuditEntry {
  readonly kind: EntityKind;
  readonly sourceId: string;
  readonly action: RecordAction;
  readonly hubspotId?: string;
  readonly errorCategory?: string;
  readonly errorMessage?: string;
  readonly contentHash?: string;
  /** A human label for the record (company name, contact e-mail) for the audit screen. */
  readonly label?: string;
}

export interface BatchError {
  readonly category: string;
  readonly message: string;
}

/**
 * Everything one handled page changes, applied in ONE transaction: the batch row, its audit rows, the
 * id-map upserts for records written successfully, the cursor advance (checked against the expected
 * version) and, for a replay, marking the original batch `replayed`. Either all of it lands or none.
 */
export interface PageCommit {
  readonly runId: string;
  readonly kind: EntityKind;
  readonly status: Exclude<BatchStatus, 'pending' | 'replayed'>;
  readonly query: JsonValue;
  readonly attempts: number;
  readonly error?: BatchError;
  readonly audit: readonly AuditEntry[];
  readonly idMap: readonly IdMapEntry[];
  /** Absent: the cursor does not move. */
  readonly cursor?: { readonly expectedVersion: number; readonly next: StreamCursor };
  /** For a replay: the batch this one supersedes; it is marked `replayed` in the same transaction. */
  readonly replayOf?: string;
  readonly at: number;
}

export interface CommitResult {
  readonly batchId: string;
  /** The cursor version after the commit; absent when the commit did not move the cursor. */
  readonly cursorVersion?: number;
}

/** A batch that can be replayed. */
export interface ReplayableBatch {
  readonly id: string;
  readonly runId: string;
  readonly kind: EntityKind;
  readonly status: BatchStatus;
  readonly query: JsonValue;
  readonly attempts: number;
}

export type ReplaySelector =
  | { readonly batchId: string }
  | { readonly runId: string }
  | { readonly allFailed: true };

export interface RunStart {
  readonly kind: RunKind;
  readonly startedAt: number;
  readonly streams: readonly EntityKind[];
  /** Further run parameters for the run row (replay target, reconcile mode, ...); never secrets. */
  readonly params?: { readonly [key: string]: JsonValue };
}

export interface RunFinish {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly finishedAt: number;
  /**
   * Counts no page commit recorded, to add to the run row: a dry run's plan. (Sync and replay counts
   * are added by each `commitPage`, reconcile counts by `appendAudit`.)
   */
  readonly uncommittedCounts?: Readonly<Record<RecordAction, number>>;
  readonly error?: BatchError;
}

export interface SyncStore {
  getCursor(kind: EntityKind): Promise<StoredCursor>;
  /** Id-map entries for the given source ids (missing ids are simply absent from the map). */
  lookupIdMap(sourceIds: readonly string[]): Promise<ReadonlyMap<string, IdMapEntry>>;
  /** Every id-map entry of `kind`, in source-id order, read lazily (reconcile walks it). */
  idMapEntries(kind: EntityKind): AsyncIterable<IdMapEntry>;
  /** Removes id-map entries (after their HubSpot objects were archived). */
  removeIdMap(sourceIds: readonly string[]): Promise<void>;
  startRun(run: RunStart): Promise<string>;
  finishRun(runId: string, finish: RunFinish): Promise<void>;
  /** Atomic page checkpoint; throws `CursorConflictError` when the cursor version moved underneath. */
  commitPage(commit: PageCommit): Promise<CommitResult>;
  /** The batch with that id, whatever its status (`undefined` when unknown to this connection). */
  getBatch(batchId: string): Promise<ReplayableBatch | undefined>;
  /** Batches whose status is `failed` or `partial`, optionally only those of one run, oldest first. */
  listFailedBatches(filter: { readonly runId?: string }): Promise<readonly ReplayableBatch[]>;
  /** Audit rows outside any batch (reconcile findings). */
  appendAudit(runId: string, entries: readonly AuditEntry[], at: number): Promise<void>;
}
