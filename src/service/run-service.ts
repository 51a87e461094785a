/**
 * Service mode (`ml-connector run`): the scheduler over the store's leases, one sync engine per run, the
 * Prometheus metrics fed from engine events and API traffic, webhook alerts, and the HTTP server (health,
 * metrics, JSON API, dashboard). See docs/operations.md.
 *
 * Where things come from:
 * - Connections, schedules and settings: the config file. Re-read on `reload()` (SIGHUP, `POST /api/reload`);
 *   added, changed and removed connections apply without a restart. Store/key/data-dir changes need one.
 * - Paused: the `paused` column of the connection's store row. The API, the dashboard and
 *   `ml-connector pause|resume` write it; the service polls it (`overridesPollMs`), so a CLI in another
 *   process takes effect within seconds.
 */
import {
  type AppContext,
  type BuildConnectionOptions,
  buildConnection,
  type ConnectionRuntime,
  ensureConnectionRow,
  isDeadLocalHolder,
} from '../app/index.js';
import { type Config, type ConnectionConfig, loadConfig } from '../config/index.js';
import { coerceError } from '../core/errors.js';
import { fetchTransport } from '../core/http.js';
import type { Logger } from '../core/logger.js';
import { type Random, systemRandom } from '../core/random.js';
import type { ReloadReport, ServiceBackend } from '../server/backend.js';
import { type HttpServer, startHttpServer } from '../server/server.js';
import { ReplayTargetError, type RunResult, SyncEvents } from '../sync/index.js';
import type { Alerter } from './alerts/alerter.js';
import { alertsConfigSchema } from './alerts/config.js';
import { createWebhookAlerter } from './alerts/create.js';
import { connectionAdmin } from './connection-admin.js';
import { cursorChangeTime } from './cursor-time.js';
import { LiveProgressTracker } from './live-progress.js';
import { meteredTransport } from './metered-transport.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { observeRuns } from './metrics/observe.js';
import { drainDeadline, pageBoundarySignal } from './page-boundary-stop.js';
import { PendingWork } from './pending-work.js';
import type { RunLauncher, RunSummary } from './ports.js';
import { Scheduler } from './scheduler.js';
import type { SchedulerEventMap } from './scheduler-events.js';
import { StoreServiceBackend } from './service-backend.js';
import { serviceContext, systemsByOrigin } from './service-context.js';
import { storeLeaseStore } from './store-lease-store.js';

export interface ServiceHttpOptions {
  readonly token: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  readonly secureCookies?: boolean;
}

export interface ServiceOptions {
  /** The process's context (config, store, vault, logger, clock); the caller closes it after `stop()`. */
  readonly ctx: AppContext;
  /** Re-reads the config for `reload()`. Default: `loadConfig(ctx.configPath, ctx.env)`. */
  readonly loadConfig?: () => Promise<Config>;
  /** The HTTP server; `false` runs without one. */
  readonly http: ServiceHttpOptions | false;
  /** This process's id in the lease table (default `host:pid:uuid`). */
  readonly holder?: string;
  readonly leaseTtlMs?: number;
  /** How often the store's paused flags are read. Default 5 s. */
  readonly overridesPollMs?: number;
  /** Longest wait for the pages in flight on a graceful stop. Default 60 s. */
  readonly drainTimeoutMs?: number;
  /** Engine settings passed to `buildConnection`. */
  readonly connection?: Pick<BuildConnectionOptions, 'engine'>;
  /** Node process metrics in `/metrics` as well. Default true. */
  readonly processMetrics?: boolean;
  readonly random?: Random;
  /** Overrides `alerts.dashboardUrl` defaults (the server's own URL otherwise). */
  readonly dashboardUrl?: string;
  /**
   * Start a sync of every unpaused connection right away instead of waiting one interval (a restart then
   * resumes from the checkpoints at once). Default true.
   */
  readonly syncOnStart?: boolean;
}

export interface RunningService extends AsyncDisposable {
  readonly scheduler: Scheduler;
  readonly metrics: Metrics;
  readonly backend: ServiceBackend;
  readonly server: HttpServer | undefined;
  /** The dashboard's base URL, when serving. */
  readonly url: string | undefined;
  /** Re-reads the config and applies added, changed and removed connections. */
  reload(): Promise<ReloadReport>;
  /** Graceful: finish or checkpoint the pages in flight; immediate: stop now. Then closes the server. */
  stop(options: { graceful: boolean }): Promise<void>;
  /** Resolves once the service has stopped (by `stop()` or a signal). */
  readonly stopped: Promise<void>;
}

const SUMMARY_ORDER: RunSummary['status'][] = ['failed', 'cancelled', 'partial', 'succeeded'];

/** One scheduler launch may run replays and a sync; its summary is the worst status and the summed counts. */
export function summarize(results: readonly RunResult[]): RunSummary {
  if (results.length === 0) return { status: 'succeeded', counts: {} };
  const status = SUMMARY_ORDER.find((s) => results.some((r) => r.status === s)) ?? 'succeeded';
  const counts: Record<string, number> = {};
  for (const r of results) {
    for (const [action, n] of Object.entries(r.totals)) counts[action] = (counts[action] ?? 0) + n;
  }
  const last = results.at(-1);
  const error = results.find((r) => r.error !== undefined)?.error;
  return {
    status,
    ...(last === undefined ? {} : { runId: last.runId }),
    counts,
    failedSourceIds: [...new Set(results.flatMap((r) => r.failures.map((f) => f.sourceId)))],
    ...(error === undefined ? {} : { error: `${error.code}: ${error.message}` }),
  };
}

/** Forwards a run's engine events to the metrics. Returns the unsubscribe function. */
function forwardToMetrics(
  events: SyncEvents,
  metrics: Metrics,
  connection: ConnectionConfig,
  runtime: () => ConnectionRuntime | undefined,
): () => void {
  const budget = (): void => {
    const limiter = runtime()?.hubspot.stats().limiter;
    if (limiter !== undefined)
      metrics.rateLimitBudget({ system: 'hubspot', used: limiter.inWindow, limit: limiter.limit });
  };
  const offs = [
    events.on('batch:written', ({ kind, counts, cursor }) => {
      metrics.batch({ connection: connection.id, stream: kind, counts });
      const changedAt =
        cursor === null ? undefined : cursorChangeTime(cursor.value, connection.epicor.timeZone);
      if (changedAt !== undefined)
        metrics.cursor({ connection: connection.id, stream: kind, newestChangeAt: changedAt });
      budget();
    }),
    events.on('run:end', budget),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** Starts the scheduler (and the HTTP server). Resolves once every connection is scheduled and the port bound. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const base = options.ctx;
  const { clock, store } = base;
  const logger: Logger = base.logger.child({ component: 'service' });
  const metrics = createMetrics({ clock, processMetrics: options.processMetrics ?? true });
  const pending = new PendingWork();
  const live = new LiveProgressTracker();

  let config = base.config;
  let classify = systemsByOrigin(config);
  const transport = meteredTransport(
    base.transport ?? fetchTransport,
    (url) => classify(url),
    (event) => metrics.apiRequest(event),
  );
  let ctx = serviceContext(base, config, transport);
  const connectionOf = (id: string): ConnectionConfig | undefined =>
    config.connections.find((c) => c.id === id);

  const launch: RunLauncher = async (connectionId, signal, info) => {
    const connection = connectionOf(connectionId);
    if (connection === undefined) return { status: 'cancelled', error: 'the connection was removed' };
    const work = pending.take(connectionId, info.trigger);
    const events = new SyncEvents({ logger });
    let runtime: ConnectionRuntime | undefined;
    const stopTracking = live.track(connectionId, events, clock.now());
    const stopMetrics = forwardToMetrics(events, metrics, connection, () => runtime);
    const boundary = pageBoundarySignal({
      soft: signal,
      hard: info.abortNow,
      events,
      clock,
      ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
    });
    const log = logger.child({ connection: connectionId, trigger: info.trigger });
    const offLog = [
      events.on('run:start', ({ runId, runKind }) => log.info({ runId, runKind }, 'run started')),
      events.on('batch:written', ({ runId, kind, batchId, status, counts }) =>
        log.info({ runId, stream: kind, batchId, status, counts }, 'batch committed'),
      ),
      events.on('run:end', ({ result }) =>
        log.info(
          {
            runId: result.runId,
            status: result.status,
            totals: result.totals,
            durationMs: result.durationMs,
          },
          'run ended',
        ),
      ),
    ];
    try {
      runtime = await buildConnection(ctx, connectionId, { events, ...options.connection });
      const results: RunResult[] = [];
      for (const selector of work.replays) {
        if (boundary.signal.aborted) break;
        try {
          results.push(await runtime.engine.replay(selector, { signal: boundary.signal }));
        } catch (error) {
          if (!(error instanceof ReplayTargetError)) throw error;
          log.info({ selector, err: error.message }, 'nothing to replay');
        }
      }
      if (work.sync && !signal.aborted) {
        // The engine drains by itself: pages being written finish and commit, no new page starts.
        const deadline = drainDeadline({
          soft: signal,
          hard: info.abortNow,
          clock,
          ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
        });
        try {
          results.push(await runtime.engine.sync({ signal: deadline.signal, drain: signal }));
        } finally {
          deadline.dispose();
        }
      }
      if (results.length === 0 && boundary.signal.aborted) return { status: 'cancelled', counts: {} };
      return summarize(results);
    } finally {
      boundary.dispose();
      stopTracking();
      stopMetrics();
      for (const off of offLog) off();
    }
  };

  const scheduler = new Scheduler({
    clock,
    leases: storeLeaseStore(store.leases, { clock, isDeadHolder: isDeadLocalHolder, logger }),
    launch,
    logger,
    ...(options.holder === undefined ? {} : { holder: options.holder }),
    ...(options.leaseTtlMs === undefined ? {} : { leaseTtlMs: options.leaseTtlMs }),
  });
  observeRuns(scheduler, metrics);
  // A slot that came due while the connection was running (or replaying) must still sync in the follow-up.
  scheduler.on('run:skipped', ({ connectionId, trigger, reason }) => {
    if (reason === 'running' && trigger === 'schedule') pending.requestSync(connectionId);
  });

  let server: HttpServer | undefined;
  let alerters: { alerter: Alerter; detach: () => void }[] = [];
  const buildAlerters = (): void => {
    for (const { detach } of alerters) detach();
    alerters = [];
    for (const connection of config.connections) {
      if (connection.alerts.webhookUrl === undefined) continue;
      const alertsConfig = alertsConfigSchema.parse({
        ...connection.alerts,
        ...(connection.alerts.dashboardUrl === undefined &&
        (options.dashboardUrl ?? server?.url) !== undefined
          ? { dashboardUrl: options.dashboardUrl ?? server?.url }
          : {}),
      });
      const alerter = createWebhookAlerter(alertsConfig, {
        transport: base.transport ?? fetchTransport,
        clock,
        random: options.random ?? systemRandom,
        logger,
        redactor: base.redactor,
      });
      const only = connection.id;
      const detach = alerter.attach({
        on: ((event: 'run:finished' | 'run:failed', listener: (payload: never) => void) =>
          scheduler.on(event, (payload: SchedulerEventMap[typeof event]) => {
            if (payload.connectionId === only) listener(payload as never);
          })) as never,
      });
      alerters.push({ alerter, detach });
    }
  };

  const schedule = async (connection: ConnectionConfig): Promise<void> => {
    const row = await ensureConnectionRow(ctx, connection);
    scheduler.upsertConnection({ id: connection.id, schedule: connection.schedule, paused: row.paused });
    for (const [stream, { cursor }] of await store.cursors.list(row.id)) {
      const changedAt =
        cursor === null ? undefined : cursorChangeTime(cursor.value, connection.epicor.timeZone);
      if (changedAt !== undefined)
        metrics.cursor({ connection: connection.id, stream, newestChangeAt: changedAt });
    }
  };

  let reloading: Promise<ReloadReport> = Promise.resolve({
    added: [],
    updated: [],
    removed: [],
    unchanged: [],
  });
  const reloadOnce = async (): Promise<ReloadReport> => {
    const load =
      options.loadConfig ??
      (base.configPath === undefined ? undefined : () => loadConfig(base.configPath ?? '', base.env));
    if (load === undefined) {
      return { added: [], updated: [], removed: [], unchanged: config.connections.map((c) => c.id) };
    }
    const next = await load();
    if (
      next.dataDir !== config.dataDir ||
      JSON.stringify(next.store) !== JSON.stringify(config.store) ||
      next.keyFile !== config.keyFile
    ) {
      logger.warn({}, 'dataDir, store and keyFile changes apply only after a restart; kept the current ones');
    }
    const before = new Map(config.connections.map((c) => [c.id, JSON.stringify(c)]));
    const report: { added: string[]; updated: string[]; removed: string[]; unchanged: string[] } = {
      added: [],
      updated: [],
      removed: [],
      unchanged: [],
    };
    for (const c of next.connections) {
      const old = before.get(c.id);
      if (old === undefined) report.added.push(c.id);
      else if (old !== JSON.stringify(c)) report.updated.push(c.id);
      else report.unchanged.push(c.id);
    }
    const nextIds = new Set(next.connections.map((c) => c.id));
    report.removed = config.connections.filter((c) => !nextIds.has(c.id)).map((c) => c.id);
    config = { ...config, connections: next.connections, log: next.log };
    classify = systemsByOrigin(config);
    ctx = serviceContext(base, config, transport);
    for (const id of report.removed) {
      pending.forget(id);
      // A run in flight is asked to stop gracefully; do not hold the caller until it has.
      void scheduler.removeConnection(id).catch(() => {});
    }
    for (const c of next.connections) {
      if (report.added.includes(c.id) || report.updated.includes(c.id)) await schedule(c);
    }
    buildAlerters();
    logger.info(report, 'configuration reloaded');
    return report;
  };
  const reload = (): Promise<ReloadReport> => {
    const run = reloading.then(reloadOnce, reloadOnce);
    reloading = run.catch(() => ({ added: [], updated: [], removed: [], unchanged: [] }));
    return run;
  };

  const setPaused = async (connectionId: string, paused: boolean): Promise<boolean> => {
    const connection = connectionOf(connectionId);
    if (connection === undefined) return false;
    const row = await ensureConnectionRow(ctx, connection);
    if (row.paused !== paused) await store.connections.setPaused(row.id, paused);
    return paused ? scheduler.pause(connectionId) : scheduler.resume(connectionId);
  };

  let stopping = false;
  const backend = new StoreServiceBackend({
    store,
    scheduler,
    clock,
    live,
    pending,
    logger,
    connections: () => config.connections,
    setPaused,
    reload,
    editConnections: connectionAdmin({
      configPath: options.loadConfig === undefined ? base.configPath : undefined,
      env: base.env,
      store,
      reload,
    }),
    schedulerRunning: () => !stopping,
  });

  for (const connection of config.connections) await schedule(connection);
  scheduler.start();

  // Paused flags written by other processes (the CLI) reach this one through the store.
  const poll = new AbortController();
  const pollEvery = options.overridesPollMs ?? 5000;
  const pollLoop = (async () => {
    while (!poll.signal.aborted) {
      try {
        await clock.sleep(pollEvery, poll.signal);
      } catch {
        return;
      }
      try {
        for (const connection of config.connections) {
          const row = await store.connections.getByName(connection.id);
          const status = scheduler.status(connection.id);
          if (row === undefined || status === undefined || row.paused === status.paused) continue;
          if (row.paused) scheduler.pause(connection.id);
          else scheduler.resume(connection.id);
          logger.info({ connection: connection.id, paused: row.paused }, 'paused flag changed in the store');
        }
      } catch (error) {
        logger.warn({ err: coerceError(error).message }, 'could not read the paused flags from the store');
      }
    }
  })();

  try {
    if (options.http !== false) {
      server = await startHttpServer({
        backend,
        metrics,
        token: options.http.token,
        clock,
        logger,
        ...(options.http.host === undefined ? {} : { host: options.http.host }),
        ...(options.http.port === undefined ? {} : { port: options.http.port }),
        ...(options.http.secureCookies === undefined ? {} : { secureCookies: options.http.secureCookies }),
      });
    }
  } catch (error) {
    poll.abort();
    await scheduler.stop({ graceful: false });
    throw error;
  }
  buildAlerters();
  if (options.syncOnStart !== false) {
    for (const connection of config.connections) {
      if (scheduler.status(connection.id)?.paused === true) continue;
      void scheduler.triggerNow(connection.id).catch(() => {});
    }
  }

  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let finishing: Promise<void> | undefined;
  const finish = (): Promise<void> => {
    finishing ??= (async () => {
      poll.abort();
      await pollLoop;
      for (const { alerter, detach } of alerters) {
        detach();
        await Promise.race([alerter.flush(), clock.sleep(5000).catch(() => {})]);
      }
      await server?.close();
      resolveStopped();
    })();
    return finishing;
  };
  const stop = async ({ graceful }: { graceful: boolean }): Promise<void> => {
    stopping = true;
    await scheduler.stop({ graceful });
    await finish();
  };

  return {
    scheduler,
    metrics,
    backend,
    get server() {
      return server;
    },
    get url() {
      return server?.url;
    },
    reload,
    stop,
    stopped,
    [Symbol.asyncDispose]: () => stop({ graceful: true }),
  };
}
