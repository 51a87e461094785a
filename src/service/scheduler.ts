import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import { ConnectorError, coerceError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { SafeEmitter } from './events.js';
import { keepLease } from './lease-keeper.js';
import type { LeaseStore, RunLauncher, RunSummary, RunTrigger } from './ports.js';
import type { Schedule, ScheduleInput } from './schedule.js';
import { describeSchedule, nextFireTime, parseSchedule, sameSchedule } from './schedule.js';
import type { LastRun, SchedulerEventMap, SkipReason } from './scheduler-events.js';
import { GracefulStopRequested, ImmediateStopRequested, LeaseLost } from './stop-reasons.js';

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly leases: LeaseStore;
  readonly launch: RunLauncher;
  readonly logger?: Logger;
  /** This process's identity in the lease table; default `host:pid:uuid`. */
  readonly holder?: string;
  /** Lease lifetime; a crashed process blocks its connections at most this long. Default 60 s. */
  readonly leaseTtlMs?: number;
  /** How often a running sync renews its lease. Default a third of the TTL. */
  readonly leaseRenewEveryMs?: number;
  /**
   * What a tick (or "sync now") does while the connection is already running here: `coalesce` (default)
   * folds every such request into ONE follow-up run started when the current run ends; `skip` drops them.
   */
  readonly overlap?: 'coalesce' | 'skip';
  /** After an immediate stop, how long to wait for runs to notice before giving up on them. Default 10 s. */
  readonly immediateStopTimeoutMs?: number;
}

export interface ConnectionSchedule {
  readonly id: string;
  /** A parsed `Schedule`, or the config shape `{ cron, timezone }` / `{ every }`. */
  readonly schedule: Schedule | ScheduleInput;
  readonly paused?: boolean;
}

export interface ConnectionStatus {
  readonly id: string;
  readonly schedule: string;
  readonly state: 'idle' | 'running' | 'paused';
  /** Paused connections can still show `running` while the run that was going when paused finishes. */
  readonly paused: boolean;
  readonly nextRunAt: number | null;
  readonly runningSince: number | null;
  readonly followUpPending: boolean;
  readonly lastRun: LastRun | null;
}

/** What `triggerNow` (and each tick) led to. */
export type TriggerOutcome = 'started' | 'unknown-connection' | SkipReason;

interface Entry {
  readonly id: string;
  schedule: Schedule;
  /** Interval schedules fire at anchor + k·every; reset when the schedule changes. */
  anchor: number;
  paused: boolean;
  removed: boolean;
  nextRunAt: number | null;
  timer: AbortController | undefined;
  followUp: boolean;
  lastRun: LastRun | undefined;
}

interface ActiveRun {
  readonly trigger: RunTrigger;
  /** Undefined while the lease is being acquired. */
  startedAt: number | undefined;
  readonly soft: AbortController;
  readonly hard: AbortController;
  /** Resolves when this run has left the active map (ended, or never got its lease). */
  readonly ended: Promise<void>;
  readonly end: () => void;
}

export const LEASE_PREFIX = 'sync:';

/**
 * Longest single wait. setTimeout fires at once beyond ~24.8 days (a monthly cron would run immediately),
 * and re-checking hourly also follows wall-clock corrections (NTP, VM resume) that monotonic timers miss.
 */
const MAX_WAIT_MS = 3_600_000;

export class SchedulerStoppedError extends ConnectorError {
  constructor() {
    super('ERR_SCHEDULER_STOPPED', 'The scheduler has been stopped; create a new one to start again');
  }
}

/**
 * Runs each connection's sync on its own cron expression or interval, on the injected clock. One run per
 * connection at a time: in this process by a map of active runs, across processes by a lease in the store.
 * See docs/service.md for the semantics (coalescing, leases, shutdown). In tests give it a ManualClock in
 * manual mode (`{ auto: false }`) and drive it with `advance()`: in auto mode every wait would end at once and
 * the loop would fire slot after slot without end.
 */
export class Scheduler {
  readonly #clock: Clock;
  readonly #leases: LeaseStore;
  readonly #launch: RunLauncher;
  readonly #logger: Logger;
  readonly #holder: string;
  readonly #ttlMs: number;
  readonly #renewEveryMs: number;
  readonly #overlap: 'coalesce' | 'skip';
  readonly #immediateStopTimeoutMs: number;
  readonly #events: SafeEmitter<SchedulerEventMap>;
  readonly #entries = new Map<string, Entry>();
  readonly #active = new Map<string, ActiveRun>();
  readonly #work = new Set<Promise<unknown>>();
  #started = false;
  #stopping: 'graceful' | 'immediate' | undefined;
  #drained: Promise<void> | undefined;
  #finished = false;
  #resolveStopped: () => void = () => {};
  readonly #stopped = new Promise<void>((resolve) => {
    this.#resolveStopped = resolve;
  });

  constructor(options: SchedulerOptions) {
    this.#clock = options.clock;
    this.#leases = options.leases;
    this.#launch = options.launch;
    this.#logger = options.logger ?? silentLogger;
    this.#holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.#ttlMs = options.leaseTtlMs ?? 60_000;
    this.#renewEveryMs = options.leaseRenewEveryMs ?? Math.max(1, Math.floor(this.#ttlMs / 3));
    this.#overlap = options.overlap ?? 'coalesce';
    this.#immediateStopTimeoutMs = options.immediateStopTimeoutMs ?? 10_000;
    this.#events = new SafeEmitter(this.#logger);
    if (this.#renewEveryMs >= this.#ttlMs) {
      throw new ConnectorError('ERR_CONFIG', 'leaseRenewEveryMs must be shorter than leaseTtlMs');
    }
  }

  get holder(): string {
    return this.#holder;
  }

  on<K extends keyof SchedulerEventMap>(
    event: K,
    listener: (payload: SchedulerEventMap[K]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof SchedulerEventMap>(
    event: K,
    filter?: (payload: SchedulerEventMap[K]) => boolean,
  ): Promise<SchedulerEventMap[K]> {
    return this.#events.once(event, filter);
  }

  /** Starts waiting for every registered connection's next slot. */
  start(): void {
    if (this.#stopping !== undefined) throw new SchedulerStoppedError();
    if (this.#started) return;
    this.#started = true;
    for (const entry of this.#entries.values()) this.#arm(entry);
  }

  /** Adds a connection or changes its schedule/paused flag, without a restart. A run in flight is left alone. */
  upsertConnection(config: ConnectionSchedule): ConnectionStatus {
    const schedule = 'kind' in config.schedule ? config.schedule : parseSchedule(config.schedule);
    const existing = this.#entries.get(config.id);
    if (existing === undefined) {
      const entry: Entry = {
        id: config.id,
        schedule,
        anchor: this.#clock.now(),
        paused: config.paused ?? false,
        removed: false,
        nextRunAt: null,
        timer: undefined,
        followUp: false,
        lastRun: undefined,
      };
      this.#entries.set(entry.id, entry);
      this.#arm(entry);
      this.#events.emit('connection:changed', { connectionId: entry.id, change: 'added' });
      return this.#status(entry);
    }
    if (!sameSchedule(existing.schedule, schedule)) {
      existing.schedule = schedule;
      existing.anchor = this.#clock.now();
      this.#arm(existing);
      this.#events.emit('connection:changed', { connectionId: existing.id, change: 'updated' });
    }
    if (config.paused !== undefined && config.paused !== existing.paused) {
      if (config.paused) this.pause(existing.id);
      else this.resume(existing.id);
    }
    return this.#status(existing);
  }

  /**
   * Forgets a connection. A run in flight is asked to stop gracefully; the promise resolves once it has
   * ended. False when the id was unknown.
   */
  async removeConnection(id: string): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    entry.removed = true;
    entry.followUp = false;
    entry.timer?.abort();
    this.#entries.delete(id);
    this.#events.emit('connection:changed', { connectionId: id, change: 'removed' });
    const run = this.#active.get(id);
    if (run !== undefined) {
      if (!run.soft.signal.aborted) run.soft.abort(new GracefulStopRequested('the connection was removed'));
      await run.ended;
    }
    return true;
  }

  /** Stops future runs (scheduled, follow-up and manual); a run in flight finishes normally. */
  pause(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    if (entry.paused) return true;
    entry.paused = true;
    entry.followUp = false;
    this.#arm(entry);
    this.#events.emit('connection:changed', { connectionId: id, change: 'paused' });
    return true;
  }

  /** Resumes on the schedule's next slot after now; missed slots are not caught up. */
  resume(id: string): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    if (!entry.paused) return true;
    entry.paused = false;
    this.#arm(entry);
    this.#events.emit('connection:changed', { connectionId: id, change: 'resumed' });
    return true;
  }

  /** "Sync now": starts a run unless paused, stopping, running here (then coalesced) or leased elsewhere. */
  async triggerNow(id: string): Promise<TriggerOutcome> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return 'unknown-connection';
    return this.#track(this.#fire(entry, 'manual', this.#clock.now()));
  }

  status(id: string): ConnectionStatus | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : this.#status(entry);
  }

  list(): ConnectionStatus[] {
    return [...this.#entries.values()].map((entry) => this.#status(entry));
  }

  /**
   * Stops taking new work. Graceful (default): running syncs get their signal aborted with
   * `GracefulStopRequested` and the promise resolves when they have ended. Immediate (`graceful: false`, e.g.
   * a second SIGTERM): both signals abort with `ImmediateStopRequested`; resolves when runs end or after
   * `immediateStopTimeoutMs`, whichever comes first. May be called again to escalate.
   */
  async stop(options: { graceful?: boolean } = {}): Promise<void> {
    const graceful = options.graceful ?? true;
    if (this.#stopping === undefined) {
      for (const entry of this.#entries.values()) {
        entry.timer?.abort();
        entry.timer = undefined;
        entry.nextRunAt = null;
        entry.followUp = false;
      }
    }
    const mode = graceful ? 'graceful' : 'immediate';
    if (this.#stopping === undefined || (mode === 'immediate' && this.#stopping === 'graceful')) {
      this.#stopping = mode;
      for (const [id, run] of this.#active) {
        const reason = graceful ? new GracefulStopRequested() : new ImmediateStopRequested();
        if (!run.soft.signal.aborted) run.soft.abort(reason);
        if (!graceful && !run.hard.signal.aborted) run.hard.abort(reason);
        this.#logger.info({ connectionId: id, graceful }, 'asked running sync to stop');
      }
      this.#drained ??= this.#drain();
      if (graceful) void this.#drained.then(() => this.#finish(0));
      else void this.#waitImmediate(this.#drained);
    }
    return this.#stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ graceful: true });
  }

  async #waitImmediate(drained: Promise<void>): Promise<void> {
    const timeout = new AbortController();
    const timedOut = this.#clock.sleep(this.#immediateStopTimeoutMs, timeout.signal).then(
      () => true,
      () => false,
    );
    const gaveUp = await Promise.race([drained.then(() => false), timedOut]);
    timeout.abort();
    const abandonedRuns = gaveUp ? this.#active.size : 0;
    if (gaveUp) this.#logger.warn({ abandonedRuns }, 'gave up waiting for runs; their leases will expire');
    this.#finish(abandonedRuns);
  }

  #finish(abandonedRuns: number): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#events.emit('stopped', { graceful: this.#stopping === 'graceful', abandonedRuns });
    this.#resolveStopped();
  }

  /** Waits until no fire or run is in flight. */
  async #drain(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  #deactivate(id: string, run: ActiveRun): void {
    if (this.#active.get(id) === run) this.#active.delete(id);
    run.end();
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#work.add(promise);
    void promise.finally(() => this.#work.delete(promise)).catch(() => {});
    return promise;
  }

  /** (Re)starts the wait for the entry's next slot, cancelling any previous wait. */
  #arm(entry: Entry): void {
    entry.timer?.abort();
    entry.timer = undefined;
    if (!this.#started || this.#stopping !== undefined || entry.paused || entry.removed) {
      entry.nextRunAt = null;
      return;
    }
    const timer = new AbortController();
    entry.timer = timer;
    entry.nextRunAt = nextFireTime(entry.schedule, this.#clock.now(), entry.anchor);
    void this.#waitLoop(entry, timer.signal);
  }

  async #waitLoop(entry: Entry, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && entry.nextRunAt !== null) {
      const due = entry.nextRunAt;
      const delay = due - this.#clock.now();
      if (delay > 0) {
        try {
          await this.#clock.sleep(Math.min(delay, MAX_WAIT_MS), signal);
        } catch {
          return;
        }
        continue; // re-check: the wait was capped, or a timer woke a hair early
      }
      if (signal.aborted) return;
      const firedAt = this.#clock.now();
      this.#events.emit('tick', { connectionId: entry.id, scheduledAt: due, firedAt });
      void this.#track(this.#fire(entry, 'schedule', due));
      // Slots missed while we slept past them collapse into this one.
      entry.nextRunAt = nextFireTime(entry.schedule, firedAt, entry.anchor);
    }
  }

  #skip(entry: Entry, trigger: RunTrigger, reason: SkipReason): SkipReason {
    this.#events.emit('run:skipped', {
      connectionId: entry.id,
      trigger,
      reason,
      followUpPending: entry.followUp,
      at: this.#clock.now(),
    });
    return reason;
  }

  async #fire(entry: Entry, trigger: RunTrigger, scheduledAt: number): Promise<TriggerOutcome> {
    if (this.#stopping !== undefined) return this.#skip(entry, trigger, 'stopping');
    if (entry.removed) return 'unknown-connection';
    if (entry.paused) return this.#skip(entry, trigger, 'paused');
    if (this.#active.has(entry.id)) {
      if (this.#overlap === 'coalesce') entry.followUp = true;
      return this.#skip(entry, trigger, 'running');
    }
    let end: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    const run: ActiveRun = {
      trigger,
      startedAt: undefined,
      soft: new AbortController(),
      hard: new AbortController(),
      ended,
      end,
    };
    this.#active.set(entry.id, run);
    const lease = LEASE_PREFIX + entry.id;
    let acquired: boolean;
    try {
      acquired = await this.#leases.acquire(lease, this.#holder, this.#ttlMs);
    } catch (error) {
      this.#deactivate(entry.id, run);
      this.#logger.warn(
        { connectionId: entry.id, err: coerceError(error).message },
        'could not acquire lease',
      );
      return this.#skip(entry, trigger, 'lease-error');
    }
    if (!acquired) {
      this.#deactivate(entry.id, run);
      this.#logger.info({ connectionId: entry.id }, 'connection is being synced by another process; skipped');
      return this.#skip(entry, trigger, 'lease-held');
    }
    if (this.#stopping !== undefined || entry.removed || entry.paused) {
      this.#deactivate(entry.id, run);
      await this.#release(lease, entry.id);
      if (entry.removed) return 'unknown-connection';
      return this.#skip(entry, trigger, this.#stopping !== undefined ? 'stopping' : 'paused');
    }
    run.startedAt = this.#clock.now();
    void this.#track(this.#execute(entry, run, lease, scheduledAt));
    return 'started';
  }

  async #execute(entry: Entry, run: ActiveRun, lease: string, scheduledAt: number): Promise<void> {
    const startedAt = run.startedAt ?? this.#clock.now();
    this.#events.emit('run:started', {
      connectionId: entry.id,
      trigger: run.trigger,
      scheduledAt,
      startedAt,
    });
    const keeperStop = new AbortController();
    const keeper = keepLease({
      leases: this.#leases,
      name: lease,
      holder: this.#holder,
      ttlMs: this.#ttlMs,
      renewEveryMs: this.#renewEveryMs,
      clock: this.#clock,
      logger: this.#logger,
      signal: keeperStop.signal,
      onLost: () => {
        const reason = new LeaseLost(entry.id);
        if (!run.soft.signal.aborted) run.soft.abort(reason);
        if (!run.hard.signal.aborted) run.hard.abort(reason);
        this.#events.emit('lease:lost', { connectionId: entry.id, at: this.#clock.now() });
      },
    });
    let outcome: { summary: RunSummary } | { error: Error };
    try {
      const summary = await this.#launch(entry.id, run.soft.signal, {
        trigger: run.trigger,
        scheduledAt,
        abortNow: run.hard.signal,
      });
      outcome = { summary };
    } catch (error) {
      outcome = { error: coerceError(error) };
    }
    keeperStop.abort();
    await keeper;
    await this.#release(lease, entry.id);
    const endedAt = this.#clock.now();
    const base = { trigger: run.trigger, startedAt, endedAt, durationMs: endedAt - startedAt };
    this.#deactivate(entry.id, run);
    // The connection may have been removed and added again while this run went on: report to the current entry.
    const current = this.#entries.get(entry.id) ?? entry;
    if ('summary' in outcome) {
      const lastRun: LastRun = { ...base, status: outcome.summary.status, summary: outcome.summary };
      current.lastRun = lastRun;
      this.#events.emit('run:finished', { connectionId: entry.id, run: lastRun, summary: outcome.summary });
    } else {
      const lastRun: LastRun = { ...base, status: 'failed', error: outcome.error.message };
      current.lastRun = lastRun;
      this.#logger.error({ connectionId: entry.id, err: outcome.error.message }, 'sync run failed');
      this.#events.emit('run:failed', { connectionId: entry.id, run: lastRun, error: outcome.error });
    }
    if (current.followUp) {
      current.followUp = false;
      if (this.#stopping === undefined && !current.removed && !current.paused) {
        void this.#track(this.#fire(current, 'follow-up', endedAt));
      }
    }
  }

  async #release(lease: string, connectionId: string): Promise<void> {
    try {
      await this.#leases.release(lease, this.#holder);
    } catch (error) {
      // The lease expires on its own after the TTL; nothing else to do.
      this.#logger.warn({ connectionId, err: coerceError(error).message }, 'could not release lease');
    }
  }

  #status(entry: Entry): ConnectionStatus {
    const run = this.#active.get(entry.id);
    const running = run?.startedAt !== undefined;
    return {
      id: entry.id,
      schedule: describeSchedule(entry.schedule),
      state: running ? 'running' : entry.paused ? 'paused' : 'idle',
      paused: entry.paused,
      nextRunAt: entry.nextRunAt,
      runningSince: run?.startedAt ?? null,
      followUpPending: entry.followUp,
      lastRun: entry.lastRun ?? null,
    };
  }
}
