/**
 * What the HTTP server needs from the running service, in the server's own terms. The service composition
 * (`src/service/run-service.ts`) implements it over the store and the scheduler; the server tests use an
 * in-memory fake. Every value is plain JSON-able data and never carries a secret.
 */

export type RunState = 'idle' | 'running' | 'paused';
export type RunStatusView = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
export type ActionName = 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped' | 'archived';
export type ActionCountsView = Readonly<Record<ActionName, number>>;

export interface StreamView {
  readonly stream: string;
  /** The stored cursor (change value and key), or null before the first page. */
  readonly cursor: { readonly value: string; readonly key: string } | null;
  /** Seconds between now and the newest change synced, when known. */
  readonly lagSeconds: number | null;
}

export interface LastRunView {
  readonly trigger: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
  readonly status: string;
  readonly error?: string;
}

/** Progress of the run going on right now (from the engine's events). */
export interface LiveProgress {
  readonly connectionId: string;
  readonly runId: string | null;
  readonly kind: string;
  readonly startedAt: number;
  readonly pages: number;
  readonly recordsRead: number;
  readonly counts: ActionCountsView;
  readonly streams: Readonly<Record<string, { readonly pages: number; readonly records: number }>>;
}

export interface ConnectionView {
  /** The connection id from the config (a slug). */
  readonly id: string;
  readonly name: string;
  readonly schedule: string;
  readonly state: RunState;
  readonly paused: boolean;
  readonly nextRunAt: number | null;
  readonly runningSince: number | null;
  readonly followUpPending: boolean;
  readonly lastRun: LastRunView | null;
  readonly streams: readonly StreamView[];
  readonly live: LiveProgress | null;
  /** Failed or partial batches waiting for a replay. */
  readonly failedBatches: number;
  /** Where the connection reads and writes (from the config; never a secret). */
  readonly epicor?: { readonly tenantUrl: string; readonly company: string };
  readonly hubspot?: { readonly baseUrl: string; readonly tier: string };
  /** Whether the credential store holds each system's secrets (never the values). */
  readonly credentials?: { readonly epicor: boolean; readonly hubspot: boolean };
}

export interface RunView {
  readonly id: string;
  readonly connectionId: string;
  readonly kind: string;
  readonly status: RunStatusView;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly counts: ActionCountsView;
  readonly error: string | null;
}

/** A run's counts for one stream (stored stream name, e.g. `vendor`), from its audit rows. */
export interface RunStreamView {
  readonly stream: string;
  readonly counts: ActionCountsView;
}

/** One run with its batches and, when the backend counts them, its per-stream counts. */
export type RunDetailView = RunView & {
  readonly batches: readonly BatchView[];
  /** Streams that handled at least one record, by stream name. */
  readonly streams?: readonly RunStreamView[];
};

export interface BatchView {
  readonly id: string;
  readonly runId: string;
  readonly connectionId: string;
  readonly stream: string;
  readonly status: string;
  readonly attempts: number;
  readonly recordCount: number;
  readonly error: string | null;
  readonly createdAt: number;
  readonly replayOf: string | null;
  readonly replayedBy: string | null;
}

export interface AuditView {
  readonly id: string;
  readonly runId: string;
  readonly batchId: string | null;
  readonly connectionId: string;
  readonly stream: string;
  readonly sourceId: string;
  readonly hubspotId: string | null;
  readonly action: ActionName;
  readonly errorCategory: string | null;
  readonly errorMessage: string | null;
  readonly label: string | null;
  readonly at: number;
}

/** A failed or partial batch not yet replayed, with the records that failed in it. */
export interface FailureView {
  readonly batch: BatchView;
  readonly records: readonly AuditView[];
}

export interface AuditSearch {
  readonly connectionId?: string;
  readonly runId?: string;
  readonly batchId?: string;
  readonly sourceId?: string;
  readonly hubspotId?: string;
  /** Case-insensitive part of the record's name. */
  readonly label?: string;
  readonly actions?: readonly ActionName[];
  readonly limit?: number;
  readonly cursor?: string;
}

export interface AuditPageView {
  readonly rows: readonly AuditView[];
  readonly nextCursor: string | null;
}

export type ReplayTarget =
  | { readonly batchId: string }
  | { readonly runId: string }
  | { readonly allFailed: true };

/**
 * What a requested action led to. `started`: running now; `queued`: runs right after the run in flight;
 * the others say why nothing happened.
 */
export type ActionOutcome =
  | 'started'
  | 'queued'
  | 'paused'
  | 'resumed'
  | 'lease-held'
  | 'lease-error'
  | 'stopping'
  | 'nothing-to-replay'
  | 'unknown-connection'
  | 'unknown-target';

export interface ReloadReport {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** A connection's settings as sent to the API (validated by the config schema, never holding secrets). */
export type ConnectionSettings = Readonly<Record<string, unknown>>;

/** The answer to adding, replacing or removing a connection: the file was edited and the service reloaded. */
export interface ConnectionChangeView {
  readonly connectionId: string;
  readonly change: 'added' | 'replaced' | 'removed';
  readonly reload: ReloadReport;
  /**
   * Only for a removal with `purge`: whether the config file still named the connection (false when an
   * earlier removal took it out and this call purged what the store kept), and whether the store held
   * anything for it (its credentials, cursors, id map, runs, batches and audit rows are now deleted).
   */
  readonly removedFromConfig?: boolean;
  readonly purged?: boolean;
  /**
   * For an added or replaced connection: the secrets it needs in the credential store, and the ones
   * missing. Secrets never go through the API; `next` says how to store them.
   */
  readonly credentials?: {
    readonly required: readonly string[];
    readonly missing: readonly string[];
    readonly next: readonly string[];
  };
}

export interface Readiness {
  readonly store: boolean;
  readonly scheduler: boolean;
}

export interface ServiceBackend {
  connections(): Promise<ConnectionView[]>;
  connection(id: string): Promise<ConnectionView | undefined>;
  runs(query: { connectionId?: string; limit?: number; beforeId?: string }): Promise<RunView[]>;
  run(runId: string): Promise<RunDetailView | undefined>;
  failures(query: { connectionId?: string; limit?: number }): Promise<FailureView[]>;
  audit(query: AuditSearch): Promise<AuditPageView>;
  live(): LiveProgress[];
  syncNow(connectionId: string): Promise<ActionOutcome>;
  replay(connectionId: string, target: ReplayTarget): Promise<ActionOutcome>;
  setPaused(connectionId: string, paused: boolean): Promise<ActionOutcome>;
  /** Re-reads the config file and applies added, changed and removed connections. */
  reload(): Promise<ReloadReport>;
  /**
   * Edit the config file's connections (comments kept, validated before writing) and reload. Throw
   * `ERR_CONFIG` (invalid, with every issue), `ERR_CONNECTION_EXISTS`, `ERR_CONNECTION_NOT_FOUND`, or
   * `ERR_CONFIG_WRITE` / `ERR_CONFIG_NOT_EDITABLE` (no file, or it cannot be written).
   */
  addConnection(settings: ConnectionSettings): Promise<ConnectionChangeView>;
  replaceConnection(id: string, settings: ConnectionSettings): Promise<ConnectionChangeView>;
  /**
   * With `purge`, also delete what the store holds for it (after the config edit; a connection already
   * gone from the config is purged too). Throws `ERR_LEASE_HELD` while a run of it is still stopping.
   */
  removeConnection(id: string, options?: { readonly purge?: boolean }): Promise<ConnectionChangeView>;
  readiness(): Promise<Readiness>;
}
