import type { SchedulerEventMap } from '../scheduler-events.js';
import type { Metrics } from './metrics.js';

/** The subset of the scheduler the metrics listen to. */
export interface RunEvents {
  on(event: 'run:finished', listener: (payload: SchedulerEventMap['run:finished']) => void): () => void;
  on(event: 'run:failed', listener: (payload: SchedulerEventMap['run:failed']) => void): () => void;
}

/**
 * Counts runs and their durations from the scheduler's events (`ml_connector_runs_total`,
 * `ml_connector_run_duration_seconds`); a run that threw counts as `failed`. Returns the unsubscribe function.
 * Record, API and cursor metrics come from the engine and clients: the lead forwards their events to
 * `metrics.batch`, `metrics.apiRequest`, `metrics.cursor` and `metrics.rateLimitBudget`.
 */
export function observeRuns(source: RunEvents, metrics: Metrics): () => void {
  const offFinished = source.on('run:finished', ({ connectionId, run }) => {
    metrics.run({ connection: connectionId, status: run.status, durationMs: run.durationMs });
  });
  const offFailed = source.on('run:failed', ({ connectionId, run }) => {
    metrics.run({ connection: connectionId, status: 'failed', durationMs: run.durationMs });
  });
  return () => {
    offFinished();
    offFailed();
  };
}
