/**
 * The sync engine: per connection, moves every changed Epicor record into HubSpot exactly as often as
 * needed, checkpointing after each page. See docs/sync-engine.md for the algorithm and the crash-safety
 * argument. The engine returns a `RunResult` for expected failures (a batch failed, the run was
 * cancelled); it throws only for misuse (e.g. replaying a batch that does not exist).
 */
import { type Clock, systemClock } from '../core/clock.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { MAX_BATCH_SIZE } from './batching.js';
import { planDryRunPage } from './dry-run.js';
import { describeError } from './error-category.js';
import { BatchFailedError, ReplayTargetError } from './errors.js';
import { type SyncEvents, safeEmit } from './events.js';
import { ENTITY_KINDS, type EntityKind } from './model.js';
import {
  commitWrittenPage,
  handlePage,
  type PageContext,
  type PageOutcome,
  type WrittenPage,
  writePage,
} from './page-handler.js';
import {
  type Destination,
  type JsonValue,
  queryOfSourceError,
  type RecordMapper,
  type ReplayableBatch,
  type ReplaySelector,
  type RunKind,
  type Source,
  type SyncStore,
} from './ports.js';
import { readAhead } from './read-ahead.js';
import { type ReconcileMode, reconcileStream } from './reconcile.js';
import { isReplayable, selectReplayBatches } from './replay-selection.js';
import type { RunResult } from './result.js';
import { RunTracker } from './run-tracker.js';
import { companiesFirst, planLanes } from './streams.js';

export interface SyncEngineConfig {
  /** Re-read window behind the cursor, passed to the source each cycle. Default 5 minutes (UNCONFIRMED). */
  readonly lookbackMs?: number;
  /** Records per destination upsert call, 1..100. Default 100. */
  readonly batchSize?: number;
  /** Failure / plan / orphan lines kept in a `RunResult`; the rest are counted. Default 1000. */
  readonly maxResultLines?: number;
  /** Record dry runs as `dry-run` runs in the store (nothing else is written). Default true. */
  readonly recordDryRuns?: boolean;
  /** Id-map entries read per page during reconcile. Default 500. */
  readonly reconcilePageSize?: number;
  /**
   * Source pages requested ahead of the one being handed to the writer, per stream. Default 1 (with
   * the page written ahead, a stream holds at most three pages). More lets Epicor keep reading while
   * the rate limiter holds writes back; the full-sync benchmark showed no clear gain and a higher RSS.
   */
  readonly readAheadPages?: number;
}

export interface SyncEngineDeps {
  readonly source: Source;
  readonly destination: Destination;
  /** The store, bound to this engine's connection. */
  readonly store: SyncStore;
  readonly mapper: RecordMapper;
  /** The source id of an Epicor key (mapping's `buildSourceId`, bound to the connection); for reconcile. */
  readonly sourceIdOf: (kind: EntityKind, key: string) => string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly events?: SyncEvents;
  readonly config?: SyncEngineConfig;
}

export interface SyncOptions {
  readonly streams?: readonly EntityKind[];
  /** Compute what would be written; write nothing to HubSpot and nothing durable but the run row. */
  readonly dryRun?: boolean;
  /** Cancels at once: a write in flight is abandoned (its page is recorded failed, or left uncommitted). */
  readonly signal?: AbortSignal;
  /**
   * Graceful stop: when it aborts, every stream lets the pages it is already writing finish and commit,
   * starts no new page, and the run ends `cancelled` with nothing failed on its account.
   */
  readonly drain?: AbortSignal;
}

export interface ReconcileOptions {
  readonly streams?: readonly EntityKind[];
  /** `report` (default) flags orphans in the audit trail; `archive` archives them in HubSpot. */
  readonly mode?: ReconcileMode;
  readonly signal?: AbortSignal;
}

export interface SyncEngine {
  sync(options?: SyncOptions): Promise<RunResult>;
  replay(selector: ReplaySelector, options?: { readonly signal?: AbortSignal }): Promise<RunResult>;
  reconcile(options?: ReconcileOptions): Promise<RunResult>;
}

const NEVER = new AbortController().signal;

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  return new Engine(deps);
}

class Engine implements SyncEngine {
  readonly #deps: SyncEngineDeps;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #events: SyncEvents | undefined;
  readonly #lookbackMs: number;
  readonly #batchSize: number;
  readonly #maxLines: number;
  readonly #recordDryRuns: boolean;
  readonly #reconcilePageSize: number;
  readonly #readAheadPages: number;
  #schema: Promise<void> | undefined;

  constructor(deps: SyncEngineDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#logger = deps.logger ?? silentLogger;
    this.#events = deps.events;
    const config = deps.config ?? {};
    this.#lookbackMs = config.lookbackMs ?? 5 * 60_000;
    this.#batchSize = config.batchSize ?? MAX_BATCH_SIZE;
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1 || this.#batchSize > MAX_BATCH_SIZE) {
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`);
    }
    this.#maxLines = config.maxResultLines ?? 1000;
    this.#recordDryRuns = config.recordDryRuns ?? true;
    this.#reconcilePageSize = config.reconcilePageSize ?? 500;
    this.#readAheadPages = config.readAheadPages ?? 1;
    if (!Number.isInteger(this.#readAheadPages) || this.#readAheadPages < 1) {
      throw new RangeError('readAheadPages must be an integer ≥ 1');
    }
  }

  sync(options: SyncOptions = {}): Promise<RunResult> {
    const streams = options.streams ?? ENTITY_KINDS;
    const dryRun = options.dryRun ?? false;
    const drain = options.drain;
    return this.#run(
      dryRun ? 'dry-run' : 'sync',
      streams,
      options.signal,
      async (tracker, signal) => {
        if (!dryRun) await this.#ensureSchema(signal);
        const plannedCompanies = new Set<string>();
        // Lanes (vendor→vendorContact, customer→customerContact) run side by side; a failure stops its
        // own lane only (its contacts would fail for want of their companies), the others carry on.
        await Promise.all(
          planLanes(streams).map(async (lane) => {
            for (const kind of lane) {
              if (drain?.aborted) return;
              try {
                await this.#syncStream(kind, tracker, signal, dryRun ? plannedCompanies : undefined, drain);
              } catch (error) {
                tracker.fail(describeError(error, signal));
                this.#logger.warn({ kind, err: error }, 'Stream stopped');
                return;
              }
            }
          }),
        );
      },
      {},
      drain,
    );
  }

  async replay(
    selector: ReplaySelector,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<RunResult> {
    const store = this.#deps.store;
    let candidates: readonly ReplayableBatch[];
    if ('batchId' in selector) {
      const batch = await store.getBatch(selector.batchId);
      if (batch === undefined)
        throw new ReplayTargetError(`There is no batch ${selector.batchId} for this connection`);
      if (!isReplayable(batch.status)) {
        throw new ReplayTargetError(
          `Batch ${selector.batchId} is ${batch.status}; only failed or partial batches can be replayed`,
        );
      }
      candidates = [batch];
    } else {
      candidates = await store.listFailedBatches('runId' in selector ? { runId: selector.runId } : {});
    }
    const batches = selectReplayBatches(candidates, selector);
    const streams = companiesFirst([...new Set(batches.map((batch) => batch.kind))], (kind) => kind);
    return this.#run(
      'replay',
      streams,
      options.signal,
      async (tracker, signal) => {
        if (batches.length > 0) await this.#ensureSchema(signal);
        for (const batch of batches) {
          signal.throwIfAborted();
          const context = this.#pageContext(tracker.runId, batch.kind, signal);
          const mode = { type: 'replay', replayOf: batch.id, attempts: batch.attempts + 1 } as const;
          let records: Awaited<ReturnType<Source['replay']>>;
          try {
            records = await this.#deps.source.replay(batch.query, signal);
          } catch (error) {
            await this.#recordReadFailure(tracker, batch.kind, error, batch.query, signal, mode);
            throw error;
          }
          safeEmit(this.#events, 'page:read', {
            runId: tracker.runId,
            kind: batch.kind,
            records: records.length,
            position: null,
          });
          const outcome = await handlePage({ records, position: null, query: batch.query }, mode, context);
          this.#absorb(tracker, batch.kind, outcome);
        }
      },
      { replay: { ...selector } },
    );
  }

  reconcile(options: ReconcileOptions = {}): Promise<RunResult> {
    const streams = options.streams ?? ENTITY_KINDS;
    return this.#run(
      'reconcile',
      streams,
      options.signal,
      async (tracker, signal) => {
        for (const kind of streams) {
          await reconcileStream({
            kind,
            mode: options.mode ?? 'report',
            source: this.#deps.source,
            destination: this.#deps.destination,
            store: this.#deps.store,
            sourceIdOf: this.#deps.sourceIdOf,
            events: this.#events,
            tracker,
            pageSize: this.#reconcilePageSize,
            now: () => this.#clock.now(),
            signal,
          });
        }
      },
      { mode: options.mode ?? 'report' },
    );
  }

  /** Run bookkeeping shared by every kind of run: run row, events, status, result. */
  async #run(
    runKind: RunKind,
    streams: readonly EntityKind[],
    callerSignal: AbortSignal | undefined,
    body: (tracker: RunTracker, signal: AbortSignal) => Promise<void>,
    params: { readonly [key: string]: JsonValue } = {},
    drain?: AbortSignal,
  ): Promise<RunResult> {
    const signal = callerSignal ?? NEVER;
    const startedAt = this.#clock.now();
    const recorded = runKind !== 'dry-run' || this.#recordDryRuns;
    const runId = recorded
      ? await this.#deps.store.startRun({ kind: runKind, startedAt, streams, params })
      : `dry-run-${startedAt}`;
    const tracker = new RunTracker(runId, runKind, startedAt, this.#maxLines);
    const log = this.#logger.child({ runId, runKind });
    safeEmit(this.#events, 'run:start', { runId, runKind, streams, dryRun: runKind === 'dry-run' });
    try {
      await body(tracker, signal);
    } catch (error) {
      tracker.fail(describeError(error, signal));
      log.warn({ err: error }, 'Run stopped');
    }
    let status = tracker.status(signal.aborted || (drain?.aborted ?? false));
    const finishedAt = this.#clock.now();
    if (recorded) {
      try {
        await this.#deps.store.finishRun(runId, {
          status,
          finishedAt,
          ...(runKind === 'dry-run' ? { uncommittedCounts: tracker.result(status, finishedAt).totals } : {}),
          ...(tracker.error
            ? { error: { category: tracker.error.code, message: tracker.error.message } }
            : {}),
        });
      } catch (error) {
        // The work is checkpointed, but the run row is not closed: report the store's failure honestly.
        log.error({ err: error }, 'Could not record the end of the run');
        tracker.fail(describeError(error));
        status = 'failed';
      }
    }
    const result = tracker.result(status, finishedAt);
    log.info({ status, totals: result.totals, durationMs: result.durationMs }, 'Run finished');
    safeEmit(this.#events, 'run:end', { result });
    return result;
  }

  /**
   * One stream of a sync: cursor → pages (read one ahead) → written and checkpointed in page order.
   * Writes are pipelined one page deep: page n+1 is planned and its upserts go out while page n's are
   * still in flight or page n commits, so HubSpot stays busy. Commits stay strictly in page order, one
   * per page, each carrying the cursor version the previous one returned; a page is committed only after
   * every earlier page was. If the stream stops (a failed batch, a failed commit, cancellation), the
   * page written ahead is abandoned uncommitted: like a crash before its commit, its records stay past
   * the cursor and are re-read and re-sent (idempotent upserts) by the next run.
   */
  async #syncStream(
    kind: EntityKind,
    tracker: RunTracker,
    runSignal: AbortSignal,
    plannedCompanies: Set<string> | undefined,
    drain?: AbortSignal,
  ): Promise<void> {
    const { store, source } = this.#deps;
    const stored = await store.getCursor(kind);
    let cursor = stored.cursor;
    let version = stored.version;
    tracker.countsOf(kind);
    safeEmit(this.#events, 'stream:start', { runId: tracker.runId, kind, cursor });

    // Aborted when this stream stops for any reason, so an in-flight read-ahead or write-ahead is
    // cancelled.
    const streamController = new AbortController();
    const signal = AbortSignal.any([runSignal, streamController.signal]);
    const context = this.#pageContext(tracker.runId, kind, signal);
    const pages = readAhead(
      source.read(kind, cursor, { lookbackMs: this.#lookbackMs, signal }),
      this.#readAheadPages,
    );
    /** The page written ahead, not yet committed. */
    let ahead: Promise<WrittenPage> | undefined;
    const takeAhead = (): Promise<WrittenPage> | undefined => {
      const pending = ahead;
      ahead = undefined;
      return pending;
    };
    const commit = async (pending: Promise<WrittenPage> | undefined): Promise<void> => {
      if (pending === undefined) return;
      const written = await pending;
      const outcome = await commitWrittenPage(written, { type: 'sync', cursor, version }, context);
      this.#absorb(tracker, kind, outcome);
      cursor = outcome.cursor;
      version = outcome.version;
    };
    try {
      for (;;) {
        if (runSignal.aborted) {
          // Checkpoint what was already written (its write saw the abort and fails the batch).
          await commit(takeAhead());
          runSignal.throwIfAborted();
        }
        // A graceful stop: commit what is being written, start nothing new.
        if (drain?.aborted) break;
        let next: IteratorResult<Awaited<ReturnType<typeof pages.next>>['value']>;
        try {
          next = await pages.next();
        } catch (error) {
          await commit(takeAhead());
          if (plannedCompanies === undefined) {
            await this.#recordReadFailure(tracker, kind, error, queryOfSourceError(error), runSignal);
          }
          throw error;
        }
        if (next.done || next.value === undefined) break;
        // Read while the stop arrived: left unwritten and uncommitted, so the next run reads it again.
        if (drain?.aborted) break;
        const page = next.value;
        safeEmit(this.#events, 'page:read', {
          runId: tracker.runId,
          kind,
          records: page.records.length,
          position: page.position,
        });
        if (plannedCompanies !== undefined) {
          await planDryRunPage(page, {
            kind,
            ...this.#deps,
            events: this.#events,
            tracker,
            plannedCompanies,
          });
          continue;
        }
        const previous = ahead;
        ahead = writePage(page, context);
        // Observed here so a failure while the previous page commits is not "unhandled".
        ahead.catch(() => undefined);
        await commit(previous);
      }
      await commit(takeAhead());
    } finally {
      streamController.abort();
      if (ahead !== undefined) await ahead.catch(() => undefined);
      await pages.return(undefined).catch(() => undefined);
    }
    safeEmit(this.#events, 'stream:done', {
      runId: tracker.runId,
      kind,
      counts: tracker.countsOf(kind),
      cursor,
    });
  }

  /** Adds a page's outcome to the run; a whole-batch failure stops the stream (and the run fails). */
  #absorb(tracker: RunTracker, kind: EntityKind, outcome: PageOutcome): void {
    tracker.add(kind, outcome.counts, outcome.failures);
    if (outcome.fatal === undefined) return;
    const info = describeError(outcome.fatal);
    if (info.code === 'aborted') throw outcome.fatal;
    throw new BatchFailedError(
      kind,
      info.code,
      outcome.fatal,
      `${info.message} (batch ${outcome.batchId} can be replayed)`,
    );
  }

  /**
   * Epicor failed while reading a page. When the page's query is known, record a failed batch with it so
   * `replay` can re-read exactly that page (for a sync the next cycle also resumes there by itself).
   */
  async #recordReadFailure(
    tracker: RunTracker,
    kind: EntityKind,
    error: unknown,
    query: JsonValue | undefined,
    signal: AbortSignal,
    replay?: { readonly replayOf: string; readonly attempts: number },
  ): Promise<void> {
    if (query === undefined || signal.aborted) return;
    const info = describeError(error);
    try {
      const committed = await this.#deps.store.commitPage({
        runId: tracker.runId,
        kind,
        status: 'failed',
        query,
        attempts: replay?.attempts ?? 1,
        error: { category: info.code, message: info.message },
        audit: [],
        idMap: [],
        ...(replay ? { replayOf: replay.replayOf } : {}),
        at: this.#clock.now(),
      });
      safeEmit(this.#events, 'batch:written', {
        runId: tracker.runId,
        kind,
        batchId: committed.batchId,
        status: 'failed',
        counts: tracker.countsOf(kind),
        cursor: null,
        ...(replay ? { replayOf: replay.replayOf } : {}),
      });
    } catch (commitError) {
      this.#logger.error({ err: commitError, kind }, 'Could not record the failed read as a batch');
    }
  }

  #pageContext(runId: string, kind: EntityKind, signal: AbortSignal): PageContext {
    return {
      runId,
      kind,
      mapper: this.#deps.mapper,
      store: this.#deps.store,
      destination: this.#deps.destination,
      events: this.#events,
      batchSize: this.#batchSize,
      now: () => this.#clock.now(),
      signal,
    };
  }

  /** `Destination.ensureSchema` once per engine; retried on the next run if it failed. */
  #ensureSchema(signal: AbortSignal): Promise<void> {
    if (this.#schema === undefined) {
      this.#schema = this.#deps.destination.ensureSchema(signal).catch((error: unknown) => {
        this.#schema = undefined;
        throw error;
      });
    }
    return this.#schema;
  }
}
