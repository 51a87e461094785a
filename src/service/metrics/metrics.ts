import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../core/clock.js';

/** Metric names, exported so docs, dashboards and tests refer to one list. */
export const METRIC_NAMES = {
  recordsSynced: 'ml_connector_records_synced_total',
  apiRequests: 'ml_connector_api_requests_total',
  apiRateLimited: 'ml_connector_api_rate_limited_total',
  apiRetries: 'ml_connector_api_retries_total',
  runDuration: 'ml_connector_run_duration_seconds',
  runs: 'ml_connector_runs_total',
  cursorLag: 'ml_connector_cursor_lag_seconds',
  rateLimitBudget: 'ml_connector_rate_limit_budget_used_ratio',
} as const;

/** Run durations from a few seconds (nothing changed) to an hour (initial load). */
export const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

export interface MetricsOptions {
  readonly clock: Clock;
  /** Also collect Node process metrics (CPU, memory, event loop) into this registry. Default false. */
  readonly processMetrics?: boolean;
}

/** Plain-data inputs, so the engine's and clients' own types never leak in here. */
export interface RecordsEvent {
  readonly connection: string;
  readonly stream: string;
  readonly outcome: string;
  readonly count?: number;
}
export interface BatchEvent {
  readonly connection: string;
  readonly stream: string;
  /** Records per outcome (created, updated, unchanged, failed, skipped). */
  readonly counts: Readonly<Record<string, number | undefined>>;
}
export interface ApiRequestEvent {
  /** `epicor` or `hubspot`. */
  readonly system: string;
  /** HTTP status when a response came back; 429 also counts as rate limited. */
  readonly status?: number;
  /** True when this request repeats an earlier one (counts as a retry too). */
  readonly retry?: boolean;
}
export interface RunEvent {
  readonly connection: string;
  readonly status: string;
  readonly durationMs: number;
}
export interface CursorEvent {
  readonly connection: string;
  readonly stream: string;
  /** Change time of the newest record synced (epoch ms, ISO text or Date); null forgets the stream. */
  readonly newestChangeAt: number | string | Date | null;
}
export interface BudgetEvent {
  readonly system: string;
  /** Requests used in the current window and the window's allowance (e.g. HubSpot's 10-second limit). */
  readonly used: number;
  readonly limit: number;
}

export interface Metrics {
  /** Non-global: several services (and tests) in one process never share counters. */
  readonly registry: Registry;
  readonly contentType: string;
  records(event: RecordsEvent): void;
  batch(event: BatchEvent): void;
  apiRequest(event: ApiRequestEvent): void;
  retry(event: { readonly system: string }): void;
  run(event: RunEvent): void;
  cursor(event: CursorEvent): void;
  rateLimitBudget(event: BudgetEvent): void;
  /** The Prometheus text exposition for `GET /metrics`. */
  text(): Promise<string>;
}

const positive = (value: number | undefined): value is number =>
  value !== undefined && Number.isFinite(value) && value > 0;

function toEpochMs(value: number | string | Date): number | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'ml_connector_' });

  const recordsSynced = new Counter({
    name: METRIC_NAMES.recordsSynced,
    help: 'Records handled by the sync, by connection, stream and outcome',
    labelNames: ['connection', 'stream', 'outcome'] as const,
    registers,
  });
  const apiRequests = new Counter({
    name: METRIC_NAMES.apiRequests,
    help: 'HTTP requests made to an external API, including retries',
    labelNames: ['system'] as const,
    registers,
  });
  const apiRateLimited = new Counter({
    name: METRIC_NAMES.apiRateLimited,
    help: 'Responses with HTTP 429 (rate limited) from an external API',
    labelNames: ['system'] as const,
    registers,
  });
  const apiRetries = new Counter({
    name: METRIC_NAMES.apiRetries,
    help: 'Requests to an external API that repeated an earlier attempt',
    labelNames: ['system'] as const,
    registers,
  });
  const runDuration = new Histogram({
    name: METRIC_NAMES.runDuration,
    help: 'Wall time of sync runs, by connection and final status',
    labelNames: ['connection', 'status'] as const,
    buckets: RUN_DURATION_BUCKETS,
    registers,
  });
  const runs = new Counter({
    name: METRIC_NAMES.runs,
    help: 'Sync runs ended, by connection and final status',
    labelNames: ['connection', 'status'] as const,
    registers,
  });

  // Lag grows while nothing new is synced, so it is computed at scrape time from the newest change seen.
  const newestChange = new Map<string, { connection: string; stream: string; at: number }>();
  new Gauge({
    name: METRIC_NAMES.cursorLag,
    help: 'Seconds between now and the change time of the newest record synced, by connection and stream',
    labelNames: ['connection', 'stream'] as const,
    registers,
    collect() {
      this.reset();
      const now = options.clock.now();
      for (const { connection, stream, at } of newestChange.values()) {
        this.set({ connection, stream }, Math.max(0, (now - at) / 1000));
      }
    },
  });
  const budget = new Gauge({
    name: METRIC_NAMES.rateLimitBudget,
    help: 'Fraction of the rate-limit window already used (1 = the next request would be throttled)',
    labelNames: ['system'] as const,
    registers,
  });

  const metrics: Metrics = {
    registry,
    contentType: registry.contentType,
    records({ connection, stream, outcome, count = 1 }) {
      if (positive(count)) recordsSynced.inc({ connection, stream, outcome }, count);
    },
    batch({ connection, stream, counts }) {
      for (const [outcome, count] of Object.entries(counts)) {
        if (positive(count)) recordsSynced.inc({ connection, stream, outcome }, count);
      }
    },
    apiRequest({ system, status, retry }) {
      apiRequests.inc({ system });
      if (status === 429) apiRateLimited.inc({ system });
      if (retry) apiRetries.inc({ system });
    },
    retry({ system }) {
      apiRetries.inc({ system });
    },
    run({ connection, status, durationMs }) {
      runs.inc({ connection, status });
      if (Number.isFinite(durationMs) && durationMs >= 0) {
        runDuration.observe({ connection, status }, durationMs / 1000);
      }
    },
    cursor({ connection, stream, newestChangeAt }) {
      const key = `${connection}\u0000${stream}`;
      if (newestChangeAt === null) {
        newestChange.delete(key);
        return;
      }
      const at = toEpochMs(newestChangeAt);
      const previous = newestChange.get(key)?.at;
      // The cursor only moves forward; an older change (replayed batch) must not shrink the lag.
      if (at !== undefined && (previous === undefined || at > previous))
        newestChange.set(key, { connection, stream, at });
    },
    rateLimitBudget({ system, used, limit }) {
      if (!(limit > 0) || !Number.isFinite(used)) return;
      budget.set({ system }, Math.min(1, Math.max(0, used / limit)));
    },
    text: () => registry.metrics(),
  };
  return metrics;
}
