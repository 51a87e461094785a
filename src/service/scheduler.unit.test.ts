import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { InMemoryLeaseStore } from './in-memory-lease-store.js';
import type { LeaseStore, RunInfo, RunSummary } from './ports.js';
import type { SchedulerOptions } from './scheduler.js';
import { Scheduler } from './scheduler.js';
import type { SchedulerEventMap } from './scheduler-events.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0);

/** Lets promise chains settle (no time passes on any clock). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Call {
  readonly connectionId: string;
  readonly signal: AbortSignal;
  readonly info: RunInfo;
  readonly at: number;
  finish(summary?: Partial<RunSummary>): void;
  fail(error: Error): void;
}

/** A launcher whose runs stay open until the test ends them (or end at once with `autoFinish`). */
function fakeLauncher(clock: ManualClock, options: { autoFinish?: boolean } = {}) {
  const calls: Call[] = [];
  const launch = (connectionId: string, signal: AbortSignal, info: RunInfo): Promise<RunSummary> =>
    new Promise((resolve, reject) => {
      const call: Call = {
        connectionId,
        signal,
        info,
        at: clock.now(),
        finish: (summary = {}) => resolve({ status: 'succeeded', ...summary }),
        fail: reject,
      };
      calls.push(call);
      if (options.autoFinish) call.finish();
    });
  return { calls, launch };
}

function record<K extends keyof SchedulerEventMap>(scheduler: Scheduler, event: K): SchedulerEventMap[K][] {
  const seen: SchedulerEventMap[K][] = [];
  scheduler.on(event, (payload) => seen.push(payload));
  return seen;
}

function setup(options: Partial<SchedulerOptions> & { autoFinish?: boolean; start?: number } = {}) {
  const clock = new ManualClock(options.start ?? T0, { auto: false });
  const leases = new InMemoryLeaseStore(clock);
  const launcher = fakeLauncher(clock, { autoFinish: options.autoFinish ?? false });
  const scheduler = new Scheduler({
    clock,
    leases,
    launch: launcher.launch,
    holder: 'proc-A',
    leaseTtlMs: 60_000,
    ...options,
  });
  return { clock, leases, scheduler, calls: launcher.calls };
}

/** Advances in steps, letting the scheduler react after each one. */
async function advance(clock: ManualClock, totalMs: number, stepMs = MIN): Promise<void> {
  for (let done = 0; done < totalMs; done += stepMs) {
    clock.advance(Math.min(stepMs, totalMs - done));
    await settle();
  }
}

describe('Scheduler: firing on the injected clock', () => {
  it('fires an interval schedule every 15 minutes from when it was added', async () => {
    const { clock, scheduler, calls } = setup({ autoFinish: true });
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '15m' } });
    scheduler.start();
    assert.equal(scheduler.status('c1')?.nextRunAt, T0 + 15 * MIN);
    await advance(clock, 14 * MIN);
    assert.equal(calls.length, 0);
    await advance(clock, 46 * MIN);
    assert.deepEqual(
      calls.map((call) => (call.at - T0) / MIN),
      [15, 30, 45, 60],
    );
    assert.ok(calls.every((call) => call.info.trigger === 'schedule'));
    assert.equal(scheduler.status('c1')?.nextRunAt, T0 + 75 * MIN);
    assert.equal(scheduler.status('c1')?.lastRun?.status, 'succeeded');
    await scheduler.stop();
  });

  it('fires a cron schedule in its time zone across the spring-forward gap (Europe/Berlin)', async () => {
    const start = Date.UTC(2026, 2, 27, 12);
    const { clock, scheduler, calls } = setup({ autoFinish: true, start });
    scheduler.upsertConnection({ id: 'c1', schedule: { cron: '30 2 * * *', timezone: 'Europe/Berlin' } });
    scheduler.start();
    await advance(clock, 4 * 24 * 60 * MIN, 10 * MIN);
    assert.deepEqual(
      calls.map((call) => new Date(call.at).toISOString()),
      [
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-29T01:30:00.000Z', // 02:30 does not exist that night: runs at 03:30 CEST, once
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
        '2026-03-31T00:30:00.000Z',
      ],
    );
    await scheduler.stop();
  });

  it('fires once on the fall-back night when the local time happens twice', async () => {
    const start = Date.UTC(2026, 9, 23, 12);
    const { clock, scheduler, calls } = setup({ autoFinish: true, start });
    scheduler.upsertConnection({ id: 'c1', schedule: { cron: '30 2 * * *', timezone: 'Europe/Berlin' } });
    scheduler.start();
    await advance(clock, 3 * 24 * 60 * MIN, 10 * MIN);
    assert.deepEqual(
      calls.map((call) => new Date(call.at).toISOString()),
      ['2026-10-24T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    );
    await scheduler.stop();
  });

  it('waits for a far-off cron slot in capped steps (setTimeout overflows past 24.8 days)', async () => {
    const { clock, scheduler, calls } = setup({ autoFinish: true });
    scheduler.upsertConnection({ id: 'c1', schedule: { cron: '0 3 1 * *' } }); // monthly
    scheduler.start();
    await advance(clock, 3 * 60 * MIN, 60 * MIN);
    assert.equal(calls.length, 1);
    assert.equal(scheduler.status('c1')?.nextRunAt, Date.UTC(2026, 1, 1, 3), 'a month ahead');
    await advance(clock, 32 * 24 * 60 * MIN, 60 * MIN);
    assert.deepEqual(
      calls.map((call) => new Date(call.at).toISOString()),
      ['2026-01-01T03:00:00.000Z', '2026-02-01T03:00:00.000Z'],
    );
    assert.ok(Math.max(...clock.sleeps) <= 60 * MIN);
    await scheduler.stop();
  });

  it('emits a tick per slot and collapses slots missed by a late wake-up into one', async () => {
    const { clock, scheduler, calls } = setup({ autoFinish: true });
    const ticks = record(scheduler, 'tick');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    clock.advance(10 * MIN + 30_000); // e.g. the host slept: ten slots passed at once
    await settle();
    assert.equal(calls.length, 1);
    assert.deepEqual(ticks, [{ connectionId: 'c1', scheduledAt: T0 + MIN, firedAt: T0 + 10.5 * MIN }]);
    assert.equal(scheduler.status('c1')?.nextRunAt, T0 + 11 * MIN);
    await scheduler.stop();
  });

  it('a listener that throws does not stop the loop', async () => {
    const { clock, scheduler, calls } = setup({ autoFinish: true });
    scheduler.on('tick', () => {
      throw new Error('listener bug');
    });
    scheduler.on('run:started', async () => {
      throw new Error('async listener bug');
    });
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, 3 * MIN);
    assert.equal(calls.length, 3);
    await scheduler.stop();
  });

  it('a run that throws is reported and the schedule goes on', async () => {
    const { clock, scheduler, calls } = setup();
    const failed = record(scheduler, 'run:failed');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, MIN);
    calls[0]?.fail(new Error('Epicor returned 500'));
    await settle();
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.error.message, 'Epicor returned 500');
    assert.equal(scheduler.status('c1')?.lastRun?.status, 'failed');
    assert.equal(scheduler.status('c1')?.state, 'idle');
    await advance(clock, MIN);
    assert.equal(calls.length, 2);
    calls[1]?.finish({ status: 'partial', counts: { created: 3, failed: 1 } });
    await settle();
    assert.deepEqual(scheduler.status('c1')?.lastRun?.summary?.counts, { created: 3, failed: 1 });
    await scheduler.stop();
  });
});

describe('Scheduler: one run per connection', () => {
  it('coalesces ticks missed during a long run into one follow-up run', async () => {
    const { clock, scheduler, calls } = setup();
    const skipped = record(scheduler, 'run:skipped');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, MIN);
    assert.equal(calls.length, 1);
    assert.equal(scheduler.status('c1')?.state, 'running');
    await advance(clock, 3 * MIN); // three slots pass while the first run is still going
    assert.equal(calls.length, 1, 'no overlapping run');
    assert.deepEqual(
      skipped.map((event) => [event.reason, event.followUpPending]),
      [
        ['running', true],
        ['running', true],
        ['running', true],
      ],
    );
    assert.equal(scheduler.status('c1')?.followUpPending, true);
    calls[0]?.finish();
    await settle();
    assert.equal(calls.length, 2, 'exactly one follow-up, not three queued runs');
    assert.equal(calls[1]?.info.trigger, 'follow-up');
    assert.equal(calls[1]?.at, T0 + 4 * MIN, 'starts as soon as the long run ends');
    calls[1]?.finish();
    await settle();
    assert.equal(calls.length, 2);
    assert.equal(scheduler.status('c1')?.followUpPending, false);
    await scheduler.stop();
  });

  it("with overlap 'skip' drops the missed ticks", async () => {
    const { clock, scheduler, calls } = setup({ overlap: 'skip' });
    const skipped = record(scheduler, 'run:skipped');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, 3 * MIN);
    calls[0]?.finish();
    await settle();
    assert.equal(calls.length, 1);
    assert.ok(skipped.every((event) => event.reason === 'running' && !event.followUpPending));
    await advance(clock, MIN);
    assert.equal(calls.length, 2, 'the next slot runs normally');
    calls[1]?.finish();
    await scheduler.stop();
  });

  it('skips (does not queue) a tick while another process holds the lease', async () => {
    const { clock, leases, scheduler, calls } = setup({ autoFinish: true });
    const skipped = record(scheduler, 'run:skipped');
    assert.equal(await leases.acquire('sync:c1', 'proc-B', 10 * MIN), true);
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '5m' } });
    scheduler.start();
    await advance(clock, 5 * MIN);
    assert.equal(calls.length, 0);
    assert.deepEqual(
      skipped.map((event) => event.reason),
      ['lease-held'],
    );
    await leases.release('sync:c1', 'proc-B');
    await advance(clock, 4 * MIN);
    assert.equal(calls.length, 0, 'nothing was queued for when the lease came free');
    await advance(clock, MIN);
    assert.equal(calls.length, 1);
    assert.equal(leases.holderOf('sync:c1'), undefined, 'released after the run');
    await scheduler.stop();
  });

  it('two schedulers sharing one lease store never run a connection at once', async () => {
    const clock = new ManualClock(T0, { auto: false });
    const leases = new InMemoryLeaseStore(clock);
    const a = fakeLauncher(clock);
    const b = fakeLauncher(clock);
    const common = { clock, leases, leaseTtlMs: MIN, leaseRenewEveryMs: 20_000 };
    const one = new Scheduler({ ...common, launch: a.launch, holder: 'proc-A' });
    const two = new Scheduler({ ...common, launch: b.launch, holder: 'proc-B' });
    const skipped = [record(one, 'run:skipped'), record(two, 'run:skipped')];
    for (const scheduler of [one, two]) {
      scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
      scheduler.start();
    }
    await advance(clock, MIN);
    assert.equal(a.calls.length + b.calls.length, 1);
    const [running, other, otherSkips, runningHolder] =
      a.calls.length === 1 ? [a, b, skipped[1], 'proc-A'] : [b, a, skipped[0], 'proc-B'];
    // The run lasts five minutes, well past the one-minute TTL: renewals keep the lease.
    await advance(clock, 5 * MIN, 10_000);
    assert.equal(other.calls.length, 0);
    assert.equal(running.calls.length, 1);
    assert.equal(leases.holderOf('sync:c1'), runningHolder);
    assert.ok(otherSkips !== undefined && otherSkips.length === 6);
    assert.ok(otherSkips.every((event) => event.reason === 'lease-held'));
    running.calls[0]?.finish();
    await settle();
    assert.equal(running.calls.length, 2, 'the holder runs its coalesced follow-up');
    running.calls[1]?.finish();
    await settle();
    assert.equal(leases.holderOf('sync:c1'), undefined, 'released at the end');
    await Promise.all([one.stop(), two.stop()]);
  });

  it('stops the run at once when the lease is lost', async () => {
    const clock = new ManualClock(T0, { auto: false });
    const memory = new InMemoryLeaseStore(clock);
    const leases: LeaseStore = {
      acquire: (name, holder, ttl) => memory.acquire(name, holder, ttl),
      renew: async () => false,
      release: (name, holder) => memory.release(name, holder),
    };
    const launcher = fakeLauncher(clock);
    const scheduler = new Scheduler({ clock, leases, launch: launcher.launch, leaseTtlMs: MIN });
    const lost = record(scheduler, 'lease:lost');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '5m' } });
    scheduler.start();
    await advance(clock, 5 * MIN);
    const call = launcher.calls[0];
    assert.ok(call);
    await advance(clock, 20_000, 20_000);
    assert.equal(lost.length, 1);
    assert.equal(call.signal.aborted, true);
    assert.equal(call.info.abortNow.aborted, true);
    assert.equal((call.signal.reason as { code: string }).code, 'ERR_LEASE_LOST');
    call.fail(call.signal.reason as Error);
    await scheduler.stop();
  });

  it('keeps the run going while renewals fail only transiently', async () => {
    const clock = new ManualClock(T0, { auto: false });
    const memory = new InMemoryLeaseStore(clock);
    let renewFailures = 0;
    const leases: LeaseStore = {
      acquire: (name, holder, ttl) => memory.acquire(name, holder, ttl),
      renew: async (name, holder, ttl) => {
        if (renewFailures++ < 2) throw new Error('database is restarting');
        return memory.renew(name, holder, ttl);
      },
      release: (name, holder) => memory.release(name, holder),
    };
    const launcher = fakeLauncher(clock);
    const scheduler = new Scheduler({
      clock,
      leases,
      launch: launcher.launch,
      leaseTtlMs: MIN,
      leaseRenewEveryMs: 15_000,
    });
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '5m' } });
    scheduler.start();
    await advance(clock, 5 * MIN);
    await advance(clock, 45_000, 15_000); // fail, fail, succeed — all before the 60 s expiry
    assert.equal(launcher.calls[0]?.signal.aborted, false);
    launcher.calls[0]?.finish();
    await scheduler.stop();
  });
});

describe('Scheduler: changes at runtime', () => {
  it('adds, reschedules, pauses, resumes and removes connections without a restart', async () => {
    const { clock, scheduler, calls } = setup({ autoFinish: true });
    const changes = record(scheduler, 'connection:changed');
    scheduler.start();
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '10m' } });
    await advance(clock, 10 * MIN);
    assert.equal(calls.length, 1);

    scheduler.upsertConnection({ id: 'c1', schedule: { every: '2m' } }); // re-anchored at T0+10m
    assert.equal(scheduler.status('c1')?.nextRunAt, T0 + 12 * MIN);
    await advance(clock, 4 * MIN);
    assert.equal(calls.length, 3);

    assert.equal(scheduler.pause('c1'), true);
    assert.equal(scheduler.status('c1')?.state, 'paused');
    assert.equal(scheduler.status('c1')?.nextRunAt, null);
    await advance(clock, 10 * MIN);
    assert.equal(calls.length, 3, 'no runs while paused');
    assert.equal(await scheduler.triggerNow('c1'), 'paused');

    assert.equal(scheduler.resume('c1'), true);
    assert.equal(scheduler.status('c1')?.nextRunAt, T0 + 26 * MIN, 'next slot on the grid, no catch-up');
    await advance(clock, 2 * MIN);
    assert.equal(calls.length, 4);

    scheduler.upsertConnection({ id: 'c2', schedule: { cron: '*/5 * * * *' }, paused: true });
    assert.equal(scheduler.status('c2')?.state, 'paused');
    scheduler.upsertConnection({ id: 'c2', schedule: { cron: '*/5 * * * *' }, paused: false });
    assert.equal(scheduler.status('c2')?.nextRunAt, T0 + 30 * MIN);

    assert.equal(await scheduler.removeConnection('c1'), true);
    assert.equal(scheduler.status('c1'), undefined);
    assert.equal(await scheduler.removeConnection('c1'), false);
    await advance(clock, 4 * MIN);
    assert.deepEqual(
      calls.slice(4).map((call) => call.connectionId),
      ['c2'],
    );
    assert.deepEqual(
      scheduler.list().map((status) => status.id),
      ['c2'],
    );
    assert.deepEqual(
      changes.map((change) => `${change.connectionId}:${change.change}`),
      ['c1:added', 'c1:updated', 'c1:paused', 'c1:resumed', 'c2:added', 'c2:resumed', 'c1:removed'],
    );
    await scheduler.stop();
  });

  it('triggerNow starts a run at once, and coalesces while one is going', async () => {
    const { scheduler, calls, leases } = setup();
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1h' } });
    scheduler.start();
    assert.equal(await scheduler.triggerNow('c1'), 'started');
    assert.equal(calls[0]?.info.trigger, 'manual');
    assert.equal(leases.holderOf('sync:c1'), 'proc-A');
    assert.equal(scheduler.status('c1')?.runningSince, T0);
    assert.equal(await scheduler.triggerNow('c1'), 'running');
    assert.equal(await scheduler.triggerNow('nope'), 'unknown-connection');
    calls[0]?.finish();
    await settle();
    assert.equal(calls.length, 2);
    assert.equal(calls[1]?.info.trigger, 'follow-up');
    calls[1]?.finish();
    await scheduler.stop();
  });

  it('removing a running connection asks its run to stop gracefully and waits for it', async () => {
    const { scheduler, calls } = setup();
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1h' } });
    scheduler.start();
    await scheduler.triggerNow('c1');
    let removed = false;
    const removal = scheduler.removeConnection('c1').then(() => {
      removed = true;
    });
    await settle();
    const call = calls[0];
    assert.ok(call);
    assert.equal((call.signal.reason as { code: string }).code, 'ERR_STOP_GRACEFUL');
    assert.equal(removed, false);
    call.finish({ status: 'cancelled' });
    await removal;
    assert.equal(removed, true);
    await scheduler.stop();
  });
  it('a connection removed and re-added while its old run goes on never runs twice at once', async () => {
    const { scheduler, calls } = setup();
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1h' } });
    scheduler.start();
    await scheduler.triggerNow('c1');
    const removal = scheduler.removeConnection('c1');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1h' } });
    assert.equal(await scheduler.triggerNow('c1'), 'running', 'the old run still holds the connection');
    calls[0]?.finish({ status: 'cancelled' });
    await removal;
    await settle();
    assert.equal(calls.length, 2, 'the coalesced request runs once the old run is over');
    assert.equal(calls[1]?.info.trigger, 'follow-up');
    assert.equal(scheduler.status('c1')?.lastRun?.status, 'cancelled');
    calls[1]?.finish();
    await scheduler.stop();
  });
});

describe('Scheduler: shutdown', () => {
  it('a graceful stop passes the "finish the batch" reason and waits for the run in flight', async () => {
    const { clock, scheduler, calls, leases } = setup();
    const stoppedEvents = record(scheduler, 'stopped');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, MIN);
    const call = calls[0];
    assert.ok(call);
    let stopped = false;
    const stopping = scheduler.stop({ graceful: true }).then(() => {
      stopped = true;
    });
    await settle();
    assert.equal(call.signal.aborted, true);
    assert.equal((call.signal.reason as { code: string }).code, 'ERR_STOP_GRACEFUL');
    assert.equal(call.info.abortNow.aborted, false, 'in-flight requests may complete');
    assert.equal(stopped, false, 'waits for the run');
    assert.equal(await scheduler.triggerNow('c1'), 'stopping');
    await advance(clock, 5 * MIN);
    assert.equal(calls.length, 1, 'no new work while stopping');
    call.finish({ status: 'cancelled' });
    await stopping;
    assert.equal(leases.holderOf('sync:c1'), undefined);
    assert.deepEqual(stoppedEvents, [{ graceful: true, abandonedRuns: 0 }]);
    assert.throws(() => scheduler.start(), { code: 'ERR_SCHEDULER_STOPPED' });
  });

  it('a second, immediate stop aborts the in-flight requests and resolves both stops', async () => {
    const { clock, scheduler, calls } = setup();
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, MIN);
    const call = calls[0];
    assert.ok(call);
    call.info.abortNow.addEventListener('abort', () => call.fail(call.info.abortNow.reason as Error));
    const first = scheduler.stop({ graceful: true });
    await settle();
    const second = scheduler.stop({ graceful: false });
    await Promise.all([first, second]);
    assert.equal((call.info.abortNow.reason as { code: string }).code, 'ERR_STOP_IMMEDIATE');
    assert.equal(scheduler.status('c1')?.lastRun?.status, 'failed');
  });

  it('an immediate stop gives up on a run that ignores its signals after the timeout', async () => {
    const { clock, scheduler, calls } = setup({ immediateStopTimeoutMs: 5_000 });
    const stoppedEvents = record(scheduler, 'stopped');
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
    scheduler.start();
    await advance(clock, MIN);
    let stopped = false;
    const stopping = scheduler.stop({ graceful: false }).then(() => {
      stopped = true;
    });
    await advance(clock, 4_000, 1_000);
    assert.equal(stopped, false);
    await advance(clock, 1_000, 1_000);
    await stopping;
    assert.deepEqual(stoppedEvents, [{ graceful: false, abandonedRuns: 1 }]);
    calls[0]?.finish();
  });

  it('supports await using', async () => {
    const { clock, calls, ...rest } = setup({ autoFinish: true });
    {
      await using scheduler = rest.scheduler;
      scheduler.upsertConnection({ id: 'c1', schedule: { every: '1m' } });
      scheduler.start();
      await advance(clock, MIN);
    }
    await advance(clock, 5 * MIN);
    assert.equal(calls.length, 1);
  });
});
