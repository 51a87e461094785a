/** What a run returns to its caller (the CLI summary, the scheduler, the dashboard). */
import type { ActionCounts, StreamCounts } from './counts.js';
import type { EntityKind } from './model.js';
import type { RunKind, RunStatus } from './ports.js';

/** One record that did not land, with why. */
export interface FailureLine {
  readonly kind: EntityKind;
  readonly sourceId: string;
  readonly batchId?: string;
  readonly category: string;
  readonly message: string;
}

/** Dry run: what the engine would do to one record. */
export interface PlanLine {
  readonly kind: EntityKind;
  readonly sourceId: string;
  readonly action: 'create' | 'update' | 'unchanged' | 'failed' | 'skipped';
  readonly hubspotId?: string;
  readonly label?: string;
  readonly reason?: string;
}

/** Reconcile: a HubSpot object whose Epicor record is gone. */
export interface OrphanLine {
  readonly kind: EntityKind;
  readonly sourceId: string;
  readonly hubspotId: string;
  readonly action: 'skipped' | 'archived';
}

export interface RunResult {
  readonly runId: string;
  readonly runKind: RunKind;
  readonly status: Exclude<RunStatus, 'running'>;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  /** Records per action, per stream. */
  readonly streams: StreamCounts;
  readonly totals: ActionCounts;
  /** The first `maxResultLines` failures; `failuresOmitted` says how many more there were. */
  readonly failures: readonly FailureLine[];
  readonly failuresOmitted: number;
  /** Dry run only. */
  readonly plan?: readonly PlanLine[];
  readonly planOmitted?: number;
  /** Reconcile only. */
  readonly orphans?: readonly OrphanLine[];
  readonly orphansOmitted?: number;
  /** Why the run failed or was cancelled. */
  readonly error?: { readonly code: string; readonly message: string };
}
