import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { TokenCache } from './token-cache.js';

function counterCache(clock: ManualClock, lifetimeSeconds = 3600, skewMs = 60_000) {
  let n = 0;
  let release: (() => void) | undefined;
  const gate = { hold: false };
  const cache = new TokenCache(
    async () => {
      n++;
      if (gate.hold) await new Promise<void>((resolve) => (release = resolve));
      return { accessToken: `t${n}`, expiresInSeconds: lifetimeSeconds };
    },
    clock,
    skewMs,
  );
  return { cache, gate, release: () => release?.() };
}

describe('TokenCache', () => {
  it('fetches lazily and reuses the token until shortly before ExpiresIn', async () => {
    const clock = new ManualClock(0);
    const { cache } = counterCache(clock);
    assert.equal(cache.fetches, 0);
    assert.equal(await cache.get(), 't1');
    clock.advance(3_539_000);
    assert.equal(await cache.get(), 't1');
    clock.advance(1_000); // 3540 s = 3600 s - 60 s skew
    assert.equal(await cache.get(), 't2');
    assert.equal(cache.fetches, 2);
  });

  it('caps the skew at 10 % of a short lifetime', async () => {
    const clock = new ManualClock(0);
    const { cache } = counterCache(clock, 30);
    await cache.get();
    clock.advance(26_000);
    assert.equal(await cache.get(), 't1');
    clock.advance(1_000);
    assert.equal(await cache.get(), 't2');
  });

  it('shares one fetch among concurrent callers and ignores invalidations of replaced tokens', async () => {
    const clock = new ManualClock(0);
    const { cache, gate, release } = counterCache(clock);
    assert.equal(await cache.get(), 't1');
    gate.hold = true;
    cache.invalidate('t1');
    cache.invalidate('t1');
    const waiting = [cache.get(), cache.get(), cache.get()];
    cache.invalidate('t1');
    await Promise.resolve();
    release();
    assert.deepEqual(await Promise.all(waiting), ['t2', 't2', 't2']);
    cache.invalidate('t1'); // late 401 from a request that used the old token
    assert.equal(await cache.get(), 't2');
    assert.equal(cache.fetches, 2);
  });
});
