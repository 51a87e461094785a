import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideRetry,
  defaultRetryTimingOptions,
  nextPortalMidnight,
  parseRateLimitHeaders,
  parseRetryAfter,
} from './retry-timing.js';

const headers = (h: Record<string, string>) => (name: string) => h[name.toLowerCase()] ?? null;
const half = () => 0.5;

describe('parseRateLimitHeaders', () => {
  it('reads the X-HubSpot-RateLimit-* set HubSpot sends to private apps', () => {
    assert.deepEqual(
      parseRateLimitHeaders(
        headers({
          'x-hubspot-ratelimit-daily': '500000',
          'x-hubspot-ratelimit-daily-remaining': '498677',
          'x-hubspot-ratelimit-interval-milliseconds': '10000',
          'x-hubspot-ratelimit-max': '150',
          'x-hubspot-ratelimit-remaining': '149',
        }),
      ),
      { max: 150, remaining: 149, intervalMs: 10_000, dailyMax: 500_000, dailyRemaining: 498_677 },
    );
  });

  it('leaves out absent and malformed values (search answers carry none)', () => {
    assert.deepEqual(parseRateLimitHeaders(headers({})), {});
    assert.deepEqual(
      parseRateLimitHeaders(
        headers({ 'x-hubspot-ratelimit-max': 'lots', 'x-hubspot-ratelimit-remaining': '-1' }),
      ),
      {},
    );
    assert.deepEqual(parseRateLimitHeaders(headers({ 'x-hubspot-ratelimit-max': '0' })), {});
  });
});

describe('parseRetryAfter', () => {
  it('accepts delta-seconds and HTTP dates, rejects junk', () => {
    assert.equal(parseRetryAfter('3', 0), 3_000);
    assert.equal(parseRetryAfter('1.5', 0), 1_500);
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
  });
});

describe('nextPortalMidnight', () => {
  it('is the next midnight in the portal zone', () => {
    const now = Date.UTC(2026, 2, 10, 23, 30);
    assert.equal(nextPortalMidnight(now, 'UTC'), Date.UTC(2026, 2, 11));
    // 23:30 UTC is 19:30 in New York (EDT, UTC-4 on 10 March 2026) → midnight is 04:00 UTC the next day.
    assert.equal(nextPortalMidnight(now, 'America/New_York'), Date.UTC(2026, 2, 11, 4));
    assert.equal(nextPortalMidnight(now, 'Not/AZone'), Date.UTC(2026, 2, 11));
  });
});

describe('decideRetry', () => {
  const o = defaultRetryTimingOptions;
  const base = { attempt: 1, intervalMs: 10_000 };

  it('stops on a DAILY 429 whatever Retry-After says', () => {
    assert.deepEqual(
      decideRetry({ ...base, status: 429, policyName: 'DAILY', retryAfterMs: 1_000 }, o, half),
      {
        action: 'stop-daily',
      },
    );
  });

  it('waits out the rest of the rolling window on TEN_SECONDLY_ROLLING', () => {
    const d = decideRetry(
      { ...base, status: 429, policyName: 'TEN_SECONDLY_ROLLING', windowRemainingMs: 3_200 },
      o,
      half,
    );
    assert.deepEqual(d, {
      action: 'retry',
      delayMs: 3_300,
      reason: '429 TEN_SECONDLY_ROLLING',
      rateLimited: true,
    });
    const whole = decideRetry({ ...base, status: 429, policyName: 'TEN_SECONDLY_ROLLING' }, o, half);
    assert.equal(whole.action === 'retry' && whole.delayMs, 10_100);
  });

  it('prefers Retry-After on any non-daily 429', () => {
    const d = decideRetry(
      {
        ...base,
        status: 429,
        policyName: 'TEN_SECONDLY_ROLLING',
        retryAfterMs: 2_000,
        windowRemainingMs: 9_000,
      },
      o,
      half,
    );
    assert.equal(d.action === 'retry' && d.delayMs, 2_100);
  });

  it('waits about a second on SECONDLY (search)', () => {
    const d = decideRetry({ ...base, status: 429, policyName: 'SECONDLY' }, o, half);
    assert.equal(d.action === 'retry' && d.delayMs, 1_100);
  });

  it('waits at least 2 s on 423 Locked', () => {
    const d = decideRetry({ ...base, status: 423 }, o, () => 0);
    assert.equal(d.action === 'retry' && d.delayMs, 2_000);
    const late = decideRetry({ ...base, status: 423, attempt: 8 }, o, () => 0.99);
    assert.ok(late.action === 'retry' && late.delayMs > 2_000);
  });

  it('honours Retry-After on 477 and refuses waits beyond the maximum', () => {
    const d = decideRetry({ ...base, status: 477, retryAfterMs: 60_000 }, o, half);
    assert.equal(d.action === 'retry' && d.delayMs, 60_000);
    const far = decideRetry({ ...base, status: 477, retryAfterMs: 24 * 3_600_000 }, o, half);
    assert.equal(far.action, 'fail');
  });

  it('backs off exponentially with jitter on 5xx and network errors', () => {
    const d1 = decideRetry({ ...base, status: 503 }, o, () => 0.999);
    const d3 = decideRetry({ ...base, status: 502, attempt: 3 }, o, () => 0.999);
    const net = decideRetry({ ...base, status: undefined, attempt: 2 }, o, () => 0.999);
    assert.ok(d1.action === 'retry' && d1.delayMs <= 500 && d1.delayMs > 400);
    assert.ok(d3.action === 'retry' && d3.delayMs <= 2_000 && d3.delayMs > 1_900);
    assert.ok(net.action === 'retry' && net.delayMs <= 1_000 && net.delayMs > 900);
  });

  it('does not retry other 4xx', () => {
    for (const status of [400, 401, 403, 404, 409])
      assert.equal(decideRetry({ ...base, status }, o, half).action, 'fail');
  });
});
