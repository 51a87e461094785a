import type { RunSummary, RunTrigger } from './ports.js';

/** Why a due or requested run did not start. */
export type SkipReason =
  /** Another process holds this connection's lease (it is syncing it right now). */
  | 'lease-held'
  /** The lease store could not be asked (database down); the next tick tries again. */
  | 'lease-error'
  | 'paused'
  /** This process is already running the connection; see `followUpPending` for whether it was coalesced. */
  | 'running'
  | 'stopping';

export type ConnectionChange = 'added' | 'updated' | 'removed' | 'paused' | 'resumed';

/** The outcome of a finished run as kept for the dashboard. */
export interface LastRun {
  readonly trigger: RunTrigger;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
  /** The summary's status, or `failed` when the launcher threw. */
  readonly status: RunSummary['status'];
  readonly summary?: RunSummary;
  /** Secret-free message when the run threw. */
  readonly error?: string;
}

/** Everything the scheduler reports. Listeners that throw are logged and ignored. */
export interface SchedulerEventMap {
  /** A schedule slot came due (emitted whether or not a run starts). */
  tick: { connectionId: string; scheduledAt: number; firedAt: number };
  'run:started': { connectionId: string; trigger: RunTrigger; scheduledAt: number; startedAt: number };
  'run:skipped': {
    connectionId: string;
    trigger: RunTrigger;
    reason: SkipReason;
    /** True when the request was folded into the single follow-up run that starts when the current run ends. */
    followUpPending: boolean;
    at: number;
  };
  /** The launcher resolved (any summary status, including `failed` and `cancelled`). */
  'run:finished': { connectionId: string; run: LastRun; summary: RunSummary };
  /** The launcher threw. */
  'run:failed': { connectionId: string; run: LastRun; error: Error };
  /** Renewal failed past the lease's expiry; the run was told to stop at once. */
  'lease:lost': { connectionId: string; at: number };
  'connection:changed': { connectionId: string; change: ConnectionChange };
  /** `stop()` finished: no run is in flight (or, after an immediate stop, the wait timed out). */
  stopped: { graceful: boolean; abandonedRuns: number };
}
