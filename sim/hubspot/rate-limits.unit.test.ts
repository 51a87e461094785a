import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DailyCounter, nextMidnight, RateLimiter, RollingWindow } from './rate-limits.js';
import { maxInRollingWindow } from './request-log.js';

const config = { tenSecondly: 3, oauthTenSecondly: 2, daily: 100, searchPerSecond: 2, enabled: true };

describe('RollingWindow', () => {
  it('counts requests in (now - window, now] and frees slots as they age out', () => {
    const w = new RollingWindow(10_000);
    w.add(0);
    w.add(4000);
    w.add(9000);
    assert.equal(w.count(9999), 3);
    assert.equal(w.msUntilSlot(9000, 3), 1000);
    assert.equal(w.countWithin(9500, 1000), 1);
    assert.equal(w.count(10_000), 2, 'the request at 0 leaves at exactly 10 s');
  });
});

describe('RateLimiter', () => {
  it('refuses the request after the bucket is full with TEN_SECONDLY_ROLLING and reports headers', () => {
    const rl = new RateLimiter('UTC');
    for (let i = 0; i < 3; i++) assert.equal(rl.standard(i, 'app', false, config).ok, true);
    const refused = rl.standard(5, 'app', false, config);
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.policyName, 'TEN_SECONDLY_ROLLING');
      assert.equal(refused.retryAfterMs, 9995);
      assert.equal(refused.headers['x-hubspot-ratelimit-remaining'], '0');
    }
    assert.equal(rl.standard(5, 'other-app', false, config).ok, true, 'buckets are per app');
    assert.equal(rl.standard(10_000, 'app', false, config).ok, true);
  });

  it('OAuth apps get their own size and no daily headers', () => {
    const rl = new RateLimiter('UTC');
    const d = rl.standard(0, 'oauth:x', true, config);
    assert.equal(d.headers['x-hubspot-ratelimit-max'], '2');
    assert.equal(d.headers['x-hubspot-ratelimit-daily'], undefined);
  });

  it('daily budget is shared per portal and resets at midnight in the portal zone', () => {
    const rl = new RateLimiter('UTC');
    const start = Date.UTC(2026, 0, 1, 23, 59, 0);
    rl.daily.setUsed(start, 100);
    const refused = rl.standard(start, 'app', false, config);
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.equal(refused.policyName, 'DAILY');
      assert.equal(refused.retryAfterMs, 60_000);
    }
    assert.equal(rl.standard(Date.UTC(2026, 0, 2), 'app', false, config).ok, true);
  });

  it('search has its own per-second window and no headers', () => {
    const rl = new RateLimiter('UTC');
    assert.equal(rl.search(0, config).ok, true);
    assert.equal(rl.search(10, config).ok, true);
    const refused = rl.search(20, config);
    assert.equal(refused.ok, false);
    assert.deepEqual(refused.headers, {});
    assert.equal(rl.search(1000, config).ok, true);
  });

  it('disabled limits never refuse; forced policies always do', () => {
    const rl = new RateLimiter('UTC');
    for (let i = 0; i < 10; i++)
      assert.equal(rl.standard(0, 'a', false, { ...config, enabled: false }).ok, true);
    const forced = rl.standard(0, 'b', false, { ...config, enabled: false }, 'TEN_SECONDLY_ROLLING');
    assert.equal(forced.ok, false);
  });
});

describe('daily reset time', () => {
  it('uses the portal time zone', () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 0);
    assert.equal(nextMidnight(now, 'UTC'), Date.UTC(2026, 5, 2));
    assert.equal(nextMidnight(now, 'America/New_York'), Date.UTC(2026, 5, 2, 4));
    const c = new DailyCounter('Europe/Oslo');
    c.add(now, 5);
    assert.equal(c.used(Date.UTC(2026, 5, 1, 21, 59)), 5);
    assert.equal(c.used(Date.UTC(2026, 5, 1, 22, 0)), 0);
  });
});

describe('maxInRollingWindow', () => {
  it('finds the busiest rolling window', () => {
    assert.equal(maxInRollingWindow([], 10_000), 0);
    assert.equal(maxInRollingWindow([0, 1, 2, 10_000, 10_001], 10_000), 3);
    assert.equal(maxInRollingWindow([0, 9_999, 5000, 19_998], 10_000), 3);
  });
});
