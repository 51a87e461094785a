/**
 * What the service layer needs from the rest of the product, in its own terms. The lead wires adapters:
 * the store's lease table behind `LeaseStore`, the sync engine behind `RunLauncher`.
 */

/**
 * A named, time-limited, exclusive lock shared by every process that uses the same store. All three
 * operations are atomic in the backing store; the holder is an opaque id unique per process.
 */
export interface LeaseStore {
  /** Takes the lease when free or expired (or already ours); false when another holder has it. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends our lease to now + ttl; false when it is no longer ours (it expired and someone else took it). */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if we hold it; a no-op otherwise. */
  release(name: string, holder: string): Promise<void>;
}

/** Why a run was started. */
export type RunTrigger = 'schedule' | 'manual' | 'follow-up';

/** Context handed to the engine with each run. */
export interface RunInfo {
  readonly trigger: RunTrigger;
  /** The slot this run serves (the cron/interval fire time, or the time of the manual request). */
  readonly scheduledAt: number;
  /**
   * Aborts only on an immediate stop (second signal) or a lost lease: cancel in-flight requests now. The
   * run's main `signal` aborts first, on a graceful stop, meaning "finish or checkpoint the batch in flight".
   */
  readonly abortNow: AbortSignal;
}

/** The outcome the scheduler needs from one sync run (a plain-data view of the engine's run result). */
export interface RunSummary {
  /** `partial` = the run ended but some records failed; `cancelled` = it stopped early on request. */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  readonly runId?: string;
  /** Records per action (created, updated, unchanged, failed, skipped) across all streams. */
  readonly counts?: Readonly<Record<string, number>>;
  /** Source ids (e.g. "EPIC06:vendor:204") whose records failed in this run; feeds the alerting hooks. */
  readonly failedSourceIds?: readonly string[];
  /** A short, secret-free reason when `status` is `failed`. */
  readonly error?: string;
}

/**
 * Starts one sync of one connection and resolves when it has ended. Rejecting means the run failed outright.
 * The engine should stop between batches once `signal` aborts (the reason says why, see stop-reasons.ts).
 */
export type RunLauncher = (connectionId: string, signal: AbortSignal, info: RunInfo) => Promise<RunSummary>;
