import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCeiling, backoffDelay } from './backoff.js';
import { ManualClock } from './manual-clock.js';
import { seededRandom } from './random.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, jittered below the ceiling', () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((attempt) => backoffCeiling(attempt, options)),
      [100, 200, 400, 800, 1_000],
    );
    assert.equal(
      backoffDelay(3, options, () => 0.5),
      200,
    );
    assert.equal(
      backoffDelay(9, options, () => 0.999),
      999,
    );
    const random = seededRandom(7);
    for (let attempt = 1; attempt < 10; attempt++) {
      const delay = backoffDelay(attempt, options, random);
      assert.ok(delay >= 0 && delay <= backoffCeiling(attempt, options));
    }
  });
});

describe('ManualClock', () => {
  it('advances instantly in auto mode and records each sleep', async () => {
    const clock = new ManualClock(1_000);
    await clock.sleep(250);
    await clock.sleep(50);
    assert.equal(clock.now(), 1_300);
    assert.deepEqual(clock.sleeps, [250, 50]);
  });

  it('wakes sleepers only when advanced past their deadline in manual mode', async () => {
    const clock = new ManualClock(0, { auto: false });
    let woke = false;
    const sleeping = clock.sleep(100).then(() => {
      woke = true;
    });
    clock.advance(99);
    await Promise.resolve();
    assert.equal(woke, false);
    clock.advance(1);
    await sleeping;
    assert.equal(woke, true);
  });
});
