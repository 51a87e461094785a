/**
 * The store's vocabulary, in the product's terms (camelCase, epoch-millisecond times, parsed JSON).
 * Rows are mapped to and from these in `rows.ts`; nothing outside `src/store/` sees a table row.
 */
import type { HubSpotObjectType, RecordAction, StreamCursor } from '../sync/model.js';

export type { HubSpotObjectType };

/** Integer surrogate key (autoincrement on SQLite, identity on PostgreSQL). */
export type Id = number;

/** A JSON object as stored in a TEXT column. */
export type JsonObject = { readonly [key: string]: unknown };

export interface Connection {
  readonly id: Id;
  readonly name: string;
  /** Connection settings WITHOUT secrets (those live in `credentials`, encrypted). */
  readonly settings: JsonObject;
  readonly paused: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const CREDENTIAL_SYSTEMS = ['epicor', 'hubspot'] as const;
export type CredentialSystem = (typeof CREDENTIAL_SYSTEMS)[number];

/** An encrypted secret exactly as stored. The store never sees plaintext. */
export interface CredentialBlob {
  readonly connectionId: Id;
  readonly system: CredentialSystem;
  /** Identifies the master key that encrypted this blob (never the key itself). */
  readonly keyId: string;
  readonly ciphertext: Buffer;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly updatedAt: number;
}

export type CredentialBlobInput = Omit<CredentialBlob, 'updatedAt'>;

/** A stream position plus the version used for optimistic concurrency (0 = never written). */
export interface VersionedCursor {
  readonly cursor: StreamCursor | null;
  readonly version: number;
}

export type AdvanceResult =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly conflict: true; readonly actualVersion: number };

export interface IdMapEntry {
  readonly connectionId: Id;
  readonly sourceId: string;
  /** The stream the record came from, usually an EntityKind. */
  readonly kind: string;
  readonly objectType: HubSpotObjectType;
  readonly hubspotId: string;
  readonly contentHash: string;
  readonly lastSyncedAt: number;
  readonly lastRunId: Id | null;
}

export type IdMapUpsert = Omit<IdMapEntry, 'connectionId' | 'lastSyncedAt'> & {
  /** Defaults to the store clock's now. */
  readonly lastSyncedAt?: number;
};

export const RUN_KINDS = ['sync', 'replay', 'reconcile', 'dry-run'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'partial', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RECORD_ACTIONS = [
  'created',
  'updated',
  'unchanged',
  'failed',
  'skipped',
  'archived',
] as const satisfies readonly RecordAction[];
// Compile-time check that the list above names every RecordAction.
type MissingAction = Exclude<RecordAction, (typeof RECORD_ACTIONS)[number]>;
export const ALL_ACTIONS_LISTED: MissingAction extends never ? true : never = true;

export function zeroCounts(): Record<RecordAction, number> {
  return { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };
}

export type ActionCounts = { readonly [A in RecordAction]: number };

export interface SyncRun {
  readonly id: Id;
  readonly connectionId: Id;
  readonly kind: RunKind;
  readonly status: RunStatus;
  /** Free-form run parameters (streams requested, replay target, ...); never secrets. */
  readonly params: JsonObject;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Running totals, incremented by every `commitBatch`. */
  readonly counts: ActionCounts;
  readonly errorSummary: string | null;
}

export const BATCH_STATUSES = ['pending', 'succeeded', 'failed', 'partial'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/**
 * The exact Epicor request that produced a batch, so a replay can issue it again. Extra fields are
 * kept as given.
 */
export interface BatchQuery {
  readonly servicePath: string;
  readonly filter?: string;
  readonly orderby?: string;
  readonly select?: string;
  readonly top?: number;
  readonly skip?: number;
  /** Keyset position the page started after (`null` = from the beginning). */
  readonly after?: StreamCursor | null;
  readonly [extra: string]: unknown;
}

export interface Batch {
  readonly id: Id;
  readonly runId: Id;
  readonly connectionId: Id;
  readonly stream: string;
  readonly status: BatchStatus;
  readonly attempts: number;
  readonly query: BatchQuery;
  readonly recordCount: number;
  readonly error: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The batch this one re-ran, when it was created by a replay. */
  readonly replayOf: Id | null;
  /** The batch that re-ran this one, once replayed. */
  readonly replayedBy: Id | null;
}

export interface AuditEntry {
  readonly id: Id;
  readonly runId: Id;
  readonly batchId: Id | null;
  readonly connectionId: Id;
  readonly stream: string;
  readonly sourceId: string;
  readonly hubspotId: string | null;
  readonly action: RecordAction;
  readonly errorCategory: string | null;
  readonly errorMessage: string | null;
  readonly contentHash: string | null;
  /** A human label such as the company name; optional, never a full personal-data payload. */
  readonly label: string | null;
  readonly at: number;
}

/** What the caller supplies per record; run, batch, connection and time come from the batch. */
export interface AuditInput {
  readonly stream: string;
  readonly sourceId: string;
  readonly hubspotId?: string | null;
  readonly action: RecordAction;
  readonly errorCategory?: string | null;
  readonly errorMessage?: string | null;
  readonly contentHash?: string | null;
  readonly label?: string | null;
}

export interface AuditQuery {
  readonly connectionId?: Id;
  readonly runId?: Id;
  readonly batchId?: Id;
  readonly actions?: readonly RecordAction[];
  readonly sourceId?: string;
  readonly hubspotId?: string;
  /** Case-insensitive substring of the label. */
  readonly labelContains?: string;
  /** Inclusive lower bound on `at` (epoch ms). */
  readonly from?: number;
  /** Exclusive upper bound on `at` (epoch ms). */
  readonly to?: number;
  /** Default 100, at most 1000. */
  readonly limit?: number;
  /** `nextCursor` from the previous page. */
  readonly cursor?: string;
  /** Newest first by default. */
  readonly order?: 'asc' | 'desc';
}

export interface AuditPage {
  readonly rows: readonly AuditEntry[];
  /** Pass back as `cursor` for the next page; `null` when there are no more rows. */
  readonly nextCursor: string | null;
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
  readonly expiresAt: number;
}

export type LeaseResult =
  | { readonly acquired: true; readonly lease: Lease }
  | { readonly acquired: false; readonly heldBy: string; readonly expiresAt: number };
