import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRequestInit } from '../core/http.js';
import { ManualClock } from '../core/manual-clock.js';
import { SyncEvents } from '../sync/events.js';
import type { RunResult } from '../sync/result.js';
import { cursorChangeTime } from './cursor-time.js';
import { meteredTransport, type TrafficEvent } from './metered-transport.js';
import { pageBoundarySignal } from './page-boundary-stop.js';
import { PendingWork } from './pending-work.js';
import { summarize } from './run-service.js';
import { GracefulStopRequested, ImmediateStopRequested } from './stop-reasons.js';

const zero = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };
const counts = { ...zero, created: 1 };

describe('meteredTransport', () => {
  it('counts requests, 429s and unchanged repeats after a retryable failure, per system', async () => {
    const statuses = [503, 200, 429, 200, 200, 404];
    const events: TrafficEvent[] = [];
    const transport = meteredTransport(
      async () => new Response(null, { status: statuses.shift() ?? 200 }),
      (url) => (url.port === '1' ? 'epicor' : url.port === '2' ? 'hubspot' : undefined),
      (event) => events.push(event),
    );
    const get: HttpRequestInit = { method: 'GET', headers: {} };
    const post = (body: string): HttpRequestInit => ({ method: 'POST', headers: {}, body });
    await transport('http://127.0.0.1:1/a', get); // 503
    await transport('http://127.0.0.1:1/a', get); // retry → 200
    await transport('http://127.0.0.1:2/b', post('x')); // 429
    await transport('http://127.0.0.1:2/b', post('y')); // other body: not a retry
    await transport('http://127.0.0.1:2/b', post('x')); // retry of the 429
    await transport('http://127.0.0.1:3/hook', get); // not counted
    assert.deepEqual(events, [
      { system: 'epicor', status: 503, retry: false },
      { system: 'epicor', status: 200, retry: true },
      { system: 'hubspot', status: 429, retry: false },
      { system: 'hubspot', status: 200, retry: false },
      { system: 'hubspot', status: 200, retry: true },
    ]);
  });

  it('counts a network error as a request without status, and its repeat as a retry', async () => {
    let fail = true;
    const events: TrafficEvent[] = [];
    const transport = meteredTransport(
      async () => {
        if (fail) {
          fail = false;
          throw new TypeError('fetch failed');
        }
        return new Response('ok');
      },
      () => 'epicor',
      (event) => events.push(event),
    );
    await assert.rejects(transport('http://x/', { method: 'GET', headers: {} }));
    await transport('http://x/', { method: 'GET', headers: {} });
    assert.deepEqual(events, [
      { system: 'epicor', retry: false },
      { system: 'epicor', status: 200, retry: true },
    ]);
  });
});

describe('pageBoundarySignal', () => {
  const setup = () => {
    const soft = new AbortController();
    const hard = new AbortController();
    const events = new SyncEvents();
    const clock = new ManualClock(0, { auto: false });
    const boundary = pageBoundarySignal({
      soft: soft.signal,
      hard: hard.signal,
      events,
      clock,
      drainTimeoutMs: 1000,
    });
    return { soft, hard, events, clock, boundary };
  };
  const written = (events: SyncEvents, kind: 'vendor' | 'customer') =>
    events.emit('batch:written', {
      runId: '1',
      kind,
      batchId: '1',
      status: 'succeeded',
      counts: zero,
      cursor: null,
    });

  it('aborts at once when no page is in flight', () => {
    const { soft, boundary } = setup();
    soft.abort(new GracefulStopRequested());
    assert.equal(boundary.signal.aborted, true);
    assert.ok(boundary.signal.reason instanceof GracefulStopRequested);
  });

  it('waits for every page in flight at the request to be committed', () => {
    const { soft, events, boundary } = setup();
    events.emit('page:read', { runId: '1', kind: 'vendor', records: 5, position: null });
    events.emit('page:read', { runId: '1', kind: 'customer', records: 5, position: null });
    soft.abort(new GracefulStopRequested());
    assert.equal(boundary.signal.aborted, false);
    written(events, 'vendor');
    assert.equal(boundary.signal.aborted, false, 'the customer page is still being written');
    events.emit('page:read', { runId: '1', kind: 'vendor', records: 5, position: null });
    written(events, 'customer');
    assert.equal(boundary.signal.aborted, true);
    boundary.dispose();
  });

  it('stops anyway after the drain timeout, and at once on an immediate stop', async () => {
    const first = setup();
    first.events.emit('page:read', { runId: '1', kind: 'vendor', records: 5, position: null });
    first.soft.abort(new GracefulStopRequested());
    await first.clock.advance(999);
    assert.equal(first.boundary.signal.aborted, false);
    await first.clock.advance(1);
    assert.equal(first.boundary.signal.aborted, true);

    const second = setup();
    second.events.emit('page:read', { runId: '1', kind: 'vendor', records: 5, position: null });
    second.soft.abort(new GracefulStopRequested());
    second.hard.abort(new ImmediateStopRequested());
    assert.ok(second.boundary.signal.reason instanceof ImmediateStopRequested);
  });
});

describe('PendingWork', () => {
  it('runs queued replays, and the sync only when due or asked for', () => {
    const work = new PendingWork();
    assert.deepEqual(work.take('a', 'manual'), { sync: true, replays: [] }, 'nothing queued: a sync');
    work.requestReplay('a', { batchId: '3' });
    work.requestReplay('a', { batchId: '3' });
    assert.deepEqual(work.take('a', 'manual'), { sync: false, replays: [{ batchId: '3' }] }, 'deduplicated');
    work.requestReplay('a', { allFailed: true });
    assert.deepEqual(work.take('a', 'schedule'), { sync: true, replays: [{ allFailed: true }] });
    work.requestReplay('a', { runId: '1' });
    work.requestSync('a');
    assert.deepEqual(work.take('a', 'follow-up'), { sync: true, replays: [{ runId: '1' }] });
    work.requestReplay('a', { runId: '1' });
    work.cancelReplay('a', { runId: '1' });
    assert.equal(work.hasReplays('a'), false);
  });
});

describe('summarize', () => {
  const result = (status: RunResult['status'], extra: Partial<RunResult> = {}): RunResult => ({
    runId: '1',
    runKind: 'sync',
    status,
    startedAt: 0,
    finishedAt: 1,
    durationMs: 1,
    streams: {},
    totals: counts,
    failures: [],
    failuresOmitted: 0,
    ...extra,
  });

  it('reports the worst status, summed counts and every failed source id', () => {
    const summary = summarize([
      result('partial', {
        runId: '1',
        failures: [{ kind: 'vendor', sourceId: 'X:vendor:1', category: 'c', message: 'm' }],
      }),
      result('succeeded', { runId: '2' }),
    ]);
    assert.equal(summary.status, 'partial');
    assert.equal(summary.runId, '2');
    assert.equal(summary.counts?.['created'], 2);
    assert.deepEqual(summary.failedSourceIds, ['X:vendor:1']);
    assert.equal(
      summarize([result('succeeded'), result('failed', { error: { code: 'E', message: 'boom' } })]).error,
      'E: boom',
    );
    assert.equal(summarize([]).status, 'succeeded');
  });
});

describe('cursorChangeTime', () => {
  it('reads date cursors in the Epicor zone and ignores revision numbers', () => {
    assert.equal(cursorChangeTime('2026-01-01T10:00:00.000Z', 'Europe/Berlin'), Date.UTC(2026, 0, 1, 10));
    assert.equal(cursorChangeTime('2026-01-01T10:00:00', 'Europe/Berlin'), Date.UTC(2026, 0, 1, 9));
    assert.equal(cursorChangeTime('2026-01-01', 'UTC'), Date.UTC(2026, 0, 1));
    assert.equal(cursorChangeTime('00000000000001000240', 'UTC'), undefined);
  });
});
