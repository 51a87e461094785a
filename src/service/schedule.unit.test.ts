import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { describeSchedule, nextFireTime, parseInterval, parseSchedule } from './schedule.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

describe('parseInterval', () => {
  it('reads units and compound intervals', () => {
    assert.equal(parseInterval('30s'), 30_000);
    assert.equal(parseInterval('15m'), 900_000);
    assert.equal(parseInterval('1h'), 3_600_000);
    assert.equal(parseInterval('1h30m'), 5_400_000);
    assert.equal(parseInterval('2d'), 172_800_000);
    assert.equal(parseInterval('250ms'), 250);
  });

  it('rejects anything else', () => {
    for (const text of ['', '15', 'm', '1.5h', '-1m', '15 minutes', '1w']) {
      assert.equal(parseInterval(text), undefined, text);
    }
  });
});

describe('parseSchedule', () => {
  it('parses cron with a zone, cron defaulting to UTC, and intervals', () => {
    assert.deepEqual(parseSchedule({ cron: '0 * * * *', timezone: 'Europe/Berlin' }), {
      kind: 'cron',
      expression: '0 * * * *',
      timezone: 'Europe/Berlin',
    });
    assert.equal(describeSchedule(parseSchedule({ cron: '*/5 * * * *' })), 'cron */5 * * * * (UTC)');
    assert.deepEqual(parseSchedule({ every: '15m' }), { kind: 'interval', everyMs: 900_000, text: '15m' });
  });

  it('reports every problem with its path', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /exactly one of "cron" or "every"/],
      [{ cron: '* * * * *', every: '1m' }, /exactly one/],
      [{ cron: '61 * * * *' }, /schedule\.cron: "61 \* \* \* \*" is not a valid cron/],
      [{ cron: '0 0 30 2 *' }, /never matches/],
      [{ cron: '2030-01-01T00:00:00Z' }, /must have 5 fields/],
      [{ cron: '* * * * *', timezone: 'Mars/Base' }, /unknown time zone "Mars\/Base"/],
      [{ every: 'soon' }, /schedule\.every: "soon" is not an interval/],
      [{ every: '500ms' }, /at least 1s/],
      [{ every: '1m', timezone: 'UTC' }, /only applies to "cron"/],
      [{ every: '1m', extra: true }, /extra/],
    ];
    for (const [input, pattern] of cases) {
      assert.throws(
        () => parseSchedule(input),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
        JSON.stringify(input),
      );
    }
  });
});

describe('nextFireTime', () => {
  it('keeps intervals on the grid anchored when the schedule was set, skipping missed slots', () => {
    const every = parseSchedule({ every: '15m' });
    const anchor = Date.UTC(2026, 0, 1, 10, 7);
    assert.equal(nextFireTime(every, anchor, anchor), anchor + 900_000);
    assert.equal(nextFireTime(every, anchor + 900_000, anchor), anchor + 1_800_000, 'strictly after');
    assert.equal(nextFireTime(every, anchor + 3_700_000, anchor), anchor + 4_500_000, 'late wake-up');
  });

  it('reads cron in the schedule time zone', () => {
    const nine = parseSchedule({ cron: '0 9 * * *', timezone: 'America/New_York' });
    // 9:00 EST = 14:00 UTC in January.
    assert.equal(iso(nextFireTime(nine, Date.UTC(2026, 0, 5, 12), 0)), '2026-01-05T14:00:00.000Z');
    // 9:00 EDT = 13:00 UTC in July.
    assert.equal(iso(nextFireTime(nine, Date.UTC(2026, 6, 6, 12), 0)), '2026-07-06T13:00:00.000Z');
  });

  it('returns null when a cron expression never matches again', () => {
    const never = { kind: 'cron', expression: '0 0 30 2 *', timezone: 'UTC' } as const;
    assert.equal(nextFireTime(never, Date.UTC(2026, 0, 1), 0), null);
  });
});
