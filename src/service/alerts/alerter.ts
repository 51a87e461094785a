import type { Clock } from '../../core/clock.js';
import { coerceError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { Redactor } from '../../core/redact.js';
import type { RunSummary } from '../ports.js';
import type { SchedulerEventMap } from '../scheduler-events.js';
import type { Alert } from './alert.js';
import { defaultLinkFor, recordsFailingAlert, runFailedAlert, scrub } from './alert.js';
import { AlertDeduper, failureFingerprint } from './dedupe.js';
import type { FailureHistory } from './failure-history.js';
import { ConsecutiveFailureTracker } from './failure-history.js';
import type { AlertSink } from './webhook.js';

export interface AlerterOptions {
  readonly sink: AlertSink;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Masks registered secrets in error text before it leaves the process. */
  readonly redactor?: Redactor;
  /** Base URL of the dashboard; alerts link to the connection's page. */
  readonly dashboardUrl?: string;
  readonly linkFor?: (connectionId: string) => string;
  /** The same failure (connection + message, digits ignored; or connection + record) alerts once per window. Default 1 h. */
  readonly dedupeWindowMs?: number;
  /** A record alerts once it has failed in this many consecutive runs. Default 3. */
  readonly consecutiveFailures?: number;
  /** Where streaks come from; default an in-memory tracker fed by the run summaries given here. */
  readonly history?: FailureHistory;
  /** Alert when a whole run fails. Default true. */
  readonly onRunFailure?: boolean;
}

/** The subset of the scheduler the alerter listens to. */
export interface RunEventSource {
  on(event: 'run:finished', listener: (payload: SchedulerEventMap['run:finished']) => void): () => void;
  on(event: 'run:failed', listener: (payload: SchedulerEventMap['run:failed']) => void): () => void;
}

/** Most failed ids checked per run against the history, so one disastrous run cannot flood the store. */
const MAX_IDS_CHECKED = 500;

/**
 * Turns run outcomes into alerts: a failed run, or records failing in N consecutive runs. Delivery happens in
 * the background; nothing here throws into the caller, so an alert can never fail a run.
 */
export class Alerter {
  readonly #options: AlerterOptions;
  readonly #logger: Logger;
  readonly #deduper: AlertDeduper;
  readonly #tracker: ConsecutiveFailureTracker | undefined;
  readonly #history: FailureHistory;
  readonly #threshold: number;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: AlerterOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#deduper = new AlertDeduper(options.clock, options.dedupeWindowMs ?? 3_600_000);
    this.#threshold = Math.max(1, options.consecutiveFailures ?? 3);
    if (options.history === undefined) {
      this.#tracker = new ConsecutiveFailureTracker();
      this.#history = this.#tracker;
    } else {
      this.#tracker = undefined;
      this.#history = options.history;
    }
  }

  /** Subscribes to a scheduler's run events; returns the unsubscribe function. */
  attach(source: RunEventSource): () => void {
    const offFinished = source.on('run:finished', ({ connectionId, summary }) => {
      void this.runFinished(connectionId, summary);
    });
    const offFailed = source.on('run:failed', ({ connectionId, error }) => {
      void this.runFailed(connectionId, error);
    });
    return () => {
      offFinished();
      offFailed();
    };
  }

  /** Feed a run summary (any status). Resolves once any alert it caused was delivered or given up. */
  runFinished(connectionId: string, summary: RunSummary): Promise<void> {
    return this.#track(async () => {
      if (summary.status === 'failed') {
        await this.#runFailed(connectionId, summary.error ?? 'the run failed', summary.runId);
      }
      const failed = summary.failedSourceIds ?? [];
      this.#tracker?.observe(connectionId, failed, summary.status !== 'cancelled');
      await this.#recordsFailing(connectionId, failed);
    });
  }

  /** The run threw before producing a summary. */
  runFailed(connectionId: string, error: unknown): Promise<void> {
    return this.#track(() => this.#runFailed(connectionId, coerceError(error).message, undefined));
  }

  /** Waits for alerts still being delivered (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #track(work: () => Promise<void>): Promise<void> {
    const promise = work().catch((error: unknown) => {
      this.#logger.error({ err: coerceError(error).message }, 'alerting failed');
    });
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
    return promise;
  }

  async #runFailed(connectionId: string, message: string, runId: string | undefined): Promise<void> {
    if (this.#options.onRunFailure === false) return;
    const error = scrub(message, this.#options.redactor);
    const key = `run-failed\u0000${connectionId}\u0000${failureFingerprint(error)}`;
    const alert = runFailedAlert({
      connectionId,
      error,
      ...(runId === undefined ? {} : { runId: scrub(runId) }),
      occurredAt: this.#options.clock.now(),
      ...this.#link(connectionId),
    });
    await this.#deliver(alert, [key]);
  }

  async #recordsFailing(connectionId: string, failed: readonly string[]): Promise<void> {
    const due: string[] = [];
    for (const sourceId of [...new Set(failed)].slice(0, MAX_IDS_CHECKED)) {
      const streak = await this.#history.consecutiveFailures(connectionId, sourceId);
      if (streak >= this.#threshold) due.push(sourceId);
    }
    const keys = new Map(due.map((id) => [`records-failing\u0000${connectionId}\u0000${id}`, id]));
    const claimed = [...keys.keys()].filter((key) => this.#deduper.claim(key));
    if (claimed.length === 0) return;
    const alert = recordsFailingAlert({
      connectionId,
      sourceIds: claimed.map((key) => scrub(keys.get(key) ?? '')),
      threshold: this.#threshold,
      occurredAt: this.#options.clock.now(),
      ...this.#link(connectionId),
    });
    await this.#deliver(alert, claimed, true);
  }

  /** Sends unless deduplicated; on failed delivery the keys are released so the next occurrence retries. */
  async #deliver(alert: Alert, keys: readonly string[], claimed = false): Promise<void> {
    if (!claimed && !keys.every((key) => this.#deduper.claim(key))) return;
    const result = await this.#options.sink.send(alert);
    if (!result.delivered) for (const key of keys) this.#deduper.forget(key);
  }

  #link(connectionId: string): { link?: string } {
    if (this.#options.linkFor !== undefined) return { link: this.#options.linkFor(connectionId) };
    if (this.#options.dashboardUrl !== undefined) {
      return { link: defaultLinkFor(this.#options.dashboardUrl, connectionId) };
    }
    return {};
  }
}
