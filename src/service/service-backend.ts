/**
 * The HTTP server's `ServiceBackend` over the running service: views read from the store and the scheduler,
 * actions go through the scheduler (so leases, coalescing and shutdown apply to them as to scheduled runs).
 */
import { purgeConnectionState } from '../app/purge.js';
import { type ConnectionEdit, ConnectionNotFoundError } from '../config/edit.js';
import type { ConnectionConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type {
  ActionOutcome,
  AuditPageView,
  AuditSearch,
  AuditView,
  BatchView,
  ConnectionChangeView,
  ConnectionSettings,
  ConnectionView,
  FailureView,
  LiveProgress,
  Readiness,
  ReloadReport,
  ReplayTarget,
  RunDetailView,
  RunView,
  ServiceBackend,
  StreamView,
} from '../server/backend.js';
import type { AuditEntry, Batch, Connection, Store, SyncRun } from '../store/index.js';
import type { ReplaySelector } from '../sync/ports.js';
import { cursorChangeTime } from './cursor-time.js';
import type { LiveProgressTracker } from './live-progress.js';
import type { PendingWork } from './pending-work.js';
import type { Scheduler, TriggerOutcome } from './scheduler.js';

export interface ServiceBackendDeps {
  readonly store: Store;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly live: LiveProgressTracker;
  readonly pending: PendingWork;
  readonly logger?: Logger;
  /** The connections of the config in force (it changes on reload). */
  connections(): readonly ConnectionConfig[];
  /** Records the paused flag in the store and applies it to the scheduler. */
  setPaused(connectionId: string, paused: boolean): Promise<boolean>;
  reload(): Promise<ReloadReport>;
  /** Edits the config file and reloads (see `connectionAdmin`). */
  editConnections(edit: ConnectionEdit): Promise<ConnectionChangeView>;
  /** True once the scheduler runs and until shutdown starts. */
  schedulerRunning(): boolean;
}

const id = (n: number | null): string | null => (n === null ? null : String(n));

export class StoreServiceBackend implements ServiceBackend {
  readonly #deps: ServiceBackendDeps;

  constructor(deps: ServiceBackendDeps) {
    this.#deps = deps;
  }

  async #names(): Promise<Map<number, string>> {
    const rows = await this.#deps.store.connections.list();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * The store filter for an optional connection id: `{}` for all, `{ connectionId }` for one, and
   * `undefined` when the named connection has no row (so the query has no results).
   */
  async #scope(connectionId: string | undefined): Promise<{ connectionId?: number } | undefined> {
    if (connectionId === undefined) return {};
    const row = await this.#row(connectionId);
    return row === undefined ? undefined : { connectionId: row.id };
  }

  async #row(connectionId: string): Promise<Connection | undefined> {
    return this.#deps.store.connections.getByName(connectionId);
  }

  #config(connectionId: string): ConnectionConfig | undefined {
    return this.#deps.connections().find((c) => c.id === connectionId);
  }

  async connections(): Promise<ConnectionView[]> {
    const views: ConnectionView[] = [];
    for (const config of this.#deps.connections()) views.push(await this.#view(config));
    return views;
  }

  async connection(connectionId: string): Promise<ConnectionView | undefined> {
    const config = this.#config(connectionId);
    return config === undefined ? undefined : this.#view(config);
  }

  async #view(config: ConnectionConfig): Promise<ConnectionView> {
    const status = this.#deps.scheduler.status(config.id);
    const row = await this.#row(config.id);
    const now = this.#deps.clock.now();
    let streams: StreamView[] = [];
    let failedBatches = 0;
    if (row !== undefined) {
      const cursors = await this.#deps.store.cursors.list(row.id);
      streams = [...cursors].map(([stream, { cursor }]) => {
        const changedAt =
          cursor === null ? undefined : cursorChangeTime(cursor.value, config.epicor.timeZone);
        return {
          stream,
          cursor,
          lagSeconds: changedAt === undefined ? null : Math.max(0, (now - changedAt) / 1000),
        };
      });
      failedBatches = (await this.#deps.store.batches.listFailed({ connectionId: row.id, limit: 10_000 }))
        .length;
    }
    const live = this.#deps.live.get(config.id);
    const systems = new Set(
      row === undefined ? [] : (await this.#deps.store.credentials.list(row.id)).map((b) => b.system),
    );
    const paused = status?.paused ?? row?.paused ?? false;
    return {
      id: config.id,
      name: config.name,
      schedule: status?.schedule ?? '',
      state: status?.state ?? (paused ? 'paused' : 'idle'),
      paused,
      nextRunAt: status?.nextRunAt ?? null,
      runningSince: status?.runningSince ?? null,
      followUpPending: status?.followUpPending ?? false,
      lastRun:
        status?.lastRun === null || status?.lastRun === undefined
          ? null
          : {
              trigger: status.lastRun.trigger,
              startedAt: status.lastRun.startedAt,
              endedAt: status.lastRun.endedAt,
              durationMs: status.lastRun.durationMs,
              status: status.lastRun.status,
              ...(status.lastRun.error === undefined
                ? status.lastRun.summary?.error === undefined
                  ? {}
                  : { error: status.lastRun.summary.error }
                : { error: status.lastRun.error }),
            },
      streams,
      live: live ?? null,
      failedBatches,
      epicor: { tenantUrl: config.epicor.tenantUrl, company: config.epicor.company },
      hubspot: { baseUrl: config.hubspot.baseUrl, tier: config.hubspot.tier },
      credentials: { epicor: systems.has('epicor'), hubspot: systems.has('hubspot') },
    };
  }

  async runs(query: { connectionId?: string; limit?: number; beforeId?: string }): Promise<RunView[]> {
    const scope = await this.#scope(query.connectionId);
    if (scope === undefined) return [];
    const names = await this.#names();
    const runs = await this.#deps.store.runs.listRecent({
      ...scope,
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.beforeId === undefined ? {} : { beforeId: Number(query.beforeId) }),
    });
    return runs.map((r) => runView(r, names));
  }

  async run(runId: string): Promise<RunDetailView | undefined> {
    const run = await this.#deps.store.runs.get(Number(runId));
    if (run === undefined) return undefined;
    const names = await this.#names();
    const batches = await this.#deps.store.batches.listByRun(run.id);
    const streams = await this.#deps.store.audit.countsByRunAndStream([run.id]);
    return {
      ...runView(run, names),
      batches: batches.map((b) => batchView(b, names)),
      streams: streams.map(({ stream, counts }) => ({ stream, counts: { ...counts } })),
    };
  }

  async failures(query: { connectionId?: string; limit?: number }): Promise<FailureView[]> {
    const scope = await this.#scope(query.connectionId);
    if (scope === undefined) return [];
    const names = await this.#names();
    const batches = await this.#deps.store.batches.listFailed({
      ...scope,
      limit: query.limit ?? 50,
    });
    const views: FailureView[] = [];
    for (const batch of batches) {
      const page = await this.#deps.store.audit.query({
        batchId: batch.id,
        actions: ['failed'],
        limit: 100,
        order: 'asc',
      });
      views.push({ batch: batchView(batch, names), records: page.rows.map((a) => auditView(a, names)) });
    }
    return views;
  }

  async audit(query: AuditSearch): Promise<AuditPageView> {
    const scope = await this.#scope(query.connectionId);
    if (scope === undefined) return { rows: [], nextCursor: null };
    const names = await this.#names();
    const page = await this.#deps.store.audit.query({
      ...scope,
      ...(query.runId === undefined ? {} : { runId: Number(query.runId) }),
      ...(query.batchId === undefined ? {} : { batchId: Number(query.batchId) }),
      ...(query.sourceId === undefined ? {} : { sourceId: query.sourceId }),
      ...(query.hubspotId === undefined ? {} : { hubspotId: query.hubspotId }),
      ...(query.label === undefined ? {} : { labelContains: query.label }),
      ...(query.actions === undefined ? {} : { actions: query.actions }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return { rows: page.rows.map((a) => auditView(a, names)), nextCursor: page.nextCursor };
  }

  live(): LiveProgress[] {
    return this.#deps.live.list();
  }

  async syncNow(connectionId: string): Promise<ActionOutcome> {
    if (this.#config(connectionId) === undefined) return 'unknown-connection';
    this.#deps.pending.requestSync(connectionId);
    const outcome = toAction(await this.#deps.scheduler.triggerNow(connectionId));
    if (outcome !== 'started' && outcome !== 'queued') this.#deps.pending.cancelSync(connectionId);
    return outcome;
  }

  async replay(connectionId: string, target: ReplayTarget): Promise<ActionOutcome> {
    if (this.#config(connectionId) === undefined) return 'unknown-connection';
    const row = await this.#row(connectionId);
    if (row === undefined) return 'nothing-to-replay';
    const failed = await this.#deps.store.batches.listFailed({ connectionId: row.id, limit: 10_000 });
    let selector: ReplaySelector;
    if ('batchId' in target) {
      if (!failed.some((b) => String(b.id) === target.batchId)) return 'unknown-target';
      selector = { batchId: target.batchId };
    } else if ('runId' in target) {
      if (!failed.some((b) => String(b.runId) === target.runId)) return 'unknown-target';
      selector = { runId: target.runId };
    } else {
      if (failed.length === 0) return 'nothing-to-replay';
      selector = { allFailed: true };
    }
    this.#deps.pending.requestReplay(connectionId, selector);
    const outcome = toAction(await this.#deps.scheduler.triggerNow(connectionId));
    if (outcome !== 'started' && outcome !== 'queued')
      this.#deps.pending.cancelReplay(connectionId, selector);
    return outcome;
  }

  async setPaused(connectionId: string, paused: boolean): Promise<ActionOutcome> {
    if (this.#config(connectionId) === undefined) return 'unknown-connection';
    return (await this.#deps.setPaused(connectionId, paused))
      ? paused
        ? 'paused'
        : 'resumed'
      : 'unknown-connection';
  }

  reload(): Promise<ReloadReport> {
    return this.#deps.reload();
  }

  addConnection(settings: ConnectionSettings): Promise<ConnectionChangeView> {
    return this.#deps.editConnections({ op: 'add', connection: settings });
  }

  replaceConnection(connectionId: string, settings: ConnectionSettings): Promise<ConnectionChangeView> {
    return this.#deps.editConnections({ op: 'replace', id: connectionId, connection: settings });
  }

  async removeConnection(
    connectionId: string,
    options: { readonly purge?: boolean } = {},
  ): Promise<ConnectionChangeView> {
    if (options.purge !== true) return this.#deps.editConnections({ op: 'remove', id: connectionId });
    let view: ConnectionChangeView | undefined;
    let notInConfig: ConnectionNotFoundError | undefined;
    try {
      view = await this.#deps.editConnections({ op: 'remove', id: connectionId });
    } catch (error) {
      // Removed earlier without purge (or a purge that met a run still stopping): purge what is left.
      if (!(error instanceof ConnectionNotFoundError)) throw error;
      notInConfig = error;
    }
    const purged = await purgeConnectionState({
      store: this.#deps.store,
      connectionId,
      clock: this.#deps.clock,
      logger: this.#deps.logger ?? silentLogger,
    });
    if (view === undefined) {
      if (!purged && notInConfig !== undefined) throw notInConfig;
      view = {
        connectionId,
        change: 'removed',
        reload: { added: [], updated: [], removed: [], unchanged: this.#deps.connections().map((c) => c.id) },
      };
    }
    return { ...view, removedFromConfig: notInConfig === undefined, purged };
  }

  async readiness(): Promise<Readiness> {
    let store = false;
    try {
      await this.#deps.store.leases.get('readyz');
      store = true;
    } catch {
      store = false;
    }
    return { store, scheduler: this.#deps.schedulerRunning() };
  }
}

function toAction(outcome: TriggerOutcome): ActionOutcome {
  // 'running': the request was folded into the follow-up run that starts when the current one ends.
  return outcome === 'running' ? 'queued' : outcome;
}

function runView(r: SyncRun, names: Map<number, string>): RunView {
  return {
    id: String(r.id),
    connectionId: names.get(r.connectionId) ?? String(r.connectionId),
    kind: r.kind,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: { ...r.counts },
    error: r.errorSummary,
  };
}

function batchView(b: Batch, names: Map<number, string>): BatchView {
  return {
    id: String(b.id),
    runId: String(b.runId),
    connectionId: names.get(b.connectionId) ?? String(b.connectionId),
    stream: b.stream,
    status: b.status,
    attempts: b.attempts,
    recordCount: b.recordCount,
    error: b.error,
    createdAt: b.createdAt,
    replayOf: id(b.replayOf),
    replayedBy: id(b.replayedBy),
  };
}

function auditView(a: AuditEntry, names: Map<number, string>): AuditView {
  return {
    id: String(a.id),
    runId: String(a.runId),
    batchId: id(a.batchId),
    connectionId: names.get(a.connectionId) ?? String(a.connectionId),
    stream: a.stream,
    sourceId: a.sourceId,
    hubspotId: a.hubspotId,
    action: a.action,
    errorCategory: a.errorCategory,
    errorMessage: a.errorMessage,
    label: a.label,
    at: a.at,
  };
}
