import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { RateLimiterRegistry, SlidingWindowLimiter } from './rate-limiter.js';

const options = {
  limit: 190,
  intervalMs: 10_000,
  safetyMarginRatio: 0.02,
  safetyMarginMs: 250,
  adaptToHeaders: true,
};

/** Max number of timestamps inside any window of `span` ms (inclusive start, exclusive end). */
function maxInWindow(times: number[], span: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= span) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('SlidingWindowLimiter', () => {
  it('uses ≥ 95% of the budget and never exceeds capacity in any window', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter(options, clock);
    assert.equal(limiter.capacity, 186);
    const starts: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      await limiter.acquire();
      starts.push(clock.now());
      clock.advance(7); // requests take a little time
    }
    const max = maxInWindow(starts, 10_000);
    assert.ok(max <= 186, `max ${max}`);
    assert.ok(max / 190 >= 0.95, `utilisation ${max / 190}`);
    // Over the whole run the mean rate is close to the limit too.
    const seconds = (starts.at(-1) ?? 0) / 1000;
    assert.ok(1_000 / seconds / 19 > 0.9, `mean ${1_000 / seconds}/s`);
  });

  it('counts concurrent acquirers (in-flight requests) before they finish', async () => {
    const clock = new ManualClock(0, { auto: false });
    const limiter = new SlidingWindowLimiter({ ...options, limit: 10, safetyMarginRatio: 0 }, clock);
    let started = 0;
    const all = Array.from({ length: 15 }, () => limiter.acquire().then(() => started++));
    await new Promise((r) => setImmediate(r));
    assert.equal(started, 10);
    clock.advance(10_249);
    await new Promise((r) => setImmediate(r));
    assert.equal(started, 10);
    clock.advance(1);
    await Promise.all(all);
    assert.equal(started, 15);
  });

  it('adopts Max/Interval headers and books usage the server saw but we did not', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter(options, clock);
    await limiter.acquire();
    limiter.observe({ max: 100, intervalMs: 10_000, remaining: 60 });
    const snap = limiter.snapshot();
    assert.equal(snap.limit, 100);
    assert.equal(snap.capacity, 98);
    assert.equal(snap.inWindow, 40);
    assert.equal(snap.externalUsage, 39);
    // Remaining higher than ours (requests still in flight): nothing is added.
    limiter.observe({ max: 100, remaining: 99 });
    assert.equal(limiter.snapshot().inWindow, 40);
  });

  it('books only usage beyond all our starts, and ignores stale answers', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter(options, clock);
    const sentAt = await limiter.acquire();
    clock.advance(10);
    await limiter.acquire();
    await limiter.acquire();
    // HubSpot counted 3 while we sent 3 (arrival order may differ): nothing foreign.
    limiter.observe({ max: 190, remaining: 187 }, sentAt);
    assert.equal(limiter.snapshot().externalUsage, 0);
    // HubSpot counted 5: two requests came from someone else.
    limiter.observe({ max: 190, remaining: 185 }, sentAt);
    assert.equal(limiter.snapshot().externalUsage, 2);
    assert.equal(limiter.snapshot().inWindow, 5);
    // An answer to a request sent longer ago than the safety margin says nothing about the window now.
    clock.advance(1_000);
    limiter.observe({ max: 190, remaining: 0 }, sentAt);
    assert.equal(limiter.snapshot().externalUsage, 2);
    // Phantoms expire with the window of the start they were booked at.
    clock.advance(10_250 - 1_010);
    assert.equal(limiter.snapshot().inWindow, 2);
  });

  it('ignores headers when adaptation is off, and blocks everyone after a 429', async () => {
    const clock = new ManualClock(0);
    const limiter = new SlidingWindowLimiter({ ...options, adaptToHeaders: false }, clock);
    limiter.observe({ max: 5, remaining: 0 });
    assert.equal(limiter.snapshot().limit, 190);
    limiter.blockUntil(3_000);
    await limiter.acquire();
    assert.equal(clock.now(), 3_000);
  });

  it('rejects a nonsense configuration', () => {
    assert.throws(() => new SlidingWindowLimiter({ ...options, limit: 0 }, new ManualClock()), RangeError);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = new ManualClock(0, { auto: false });
    const limiter = new SlidingWindowLimiter({ ...options, limit: 1, safetyMarginRatio: 0 }, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
  });
});

describe('RateLimiterRegistry', () => {
  it('hands the same limiter to every client of one key', () => {
    const registry = new RateLimiterRegistry();
    const clock = new ManualClock();
    const a = registry.get('k', () => new SlidingWindowLimiter(options, clock));
    const b = registry.get('k', () => new SlidingWindowLimiter(options, clock));
    const c = registry.get('other', () => new SlidingWindowLimiter(options, clock));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(registry.size, 2);
  });
});
