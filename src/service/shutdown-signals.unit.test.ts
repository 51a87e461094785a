import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { InMemoryLeaseStore } from './in-memory-lease-store.js';
import type { RunSummary } from './ports.js';
import { Scheduler } from './scheduler.js';
import { handleShutdownSignals } from './shutdown-signals.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('handleShutdownSignals', () => {
  it('stops gracefully on the first signal and at once on the second', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1), { auto: false });
    let seen: { signal: AbortSignal; abortNow: AbortSignal } | undefined;
    const scheduler = new Scheduler({
      clock,
      leases: new InMemoryLeaseStore(clock),
      launch: (_id, signal, info) =>
        new Promise<RunSummary>((_resolve, reject) => {
          seen = { signal, abortNow: info.abortNow };
          // Like the engine: a graceful request lets the batch finish; abortNow cancels it.
          info.abortNow.addEventListener('abort', () => reject(info.abortNow.reason));
        }),
    });
    const proc = new EventEmitter();
    const stops: boolean[] = [];
    const dispose = handleShutdownSignals(proc, scheduler, { onStopped: (how) => stops.push(how.graceful) });
    scheduler.upsertConnection({ id: 'c1', schedule: { every: '1h' } });
    scheduler.start();
    assert.equal(await scheduler.triggerNow('c1'), 'started');
    assert.ok(seen);

    proc.emit('SIGTERM');
    await settle();
    assert.equal((seen.signal.reason as { code: string }).code, 'ERR_STOP_GRACEFUL');
    assert.equal(seen.abortNow.aborted, false);
    assert.deepEqual(stops, [], 'still waiting for the batch in flight');

    proc.emit('SIGINT');
    await settle();
    assert.equal((seen.abortNow.reason as { code: string }).code, 'ERR_STOP_IMMEDIATE');
    assert.deepEqual(stops, [false]);

    assert.equal(proc.listenerCount('SIGTERM'), 1);
    dispose();
    assert.equal(proc.listenerCount('SIGTERM'), 0);
    assert.equal(proc.listenerCount('SIGINT'), 0);
  });

  it('reports a graceful stop when one signal was enough', async () => {
    const proc = new EventEmitter();
    const calls: boolean[] = [];
    const stops: boolean[] = [];
    handleShutdownSignals(
      proc,
      {
        stop: async ({ graceful }) => {
          calls.push(graceful);
        },
      },
      { onStopped: (how) => stops.push(how.graceful) },
    );
    proc.emit('SIGTERM');
    await settle();
    assert.deepEqual(calls, [true]);
    assert.deepEqual(stops, [true]);
  });
});
