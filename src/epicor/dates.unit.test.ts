import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clockToSeconds,
  dateLiteral,
  dateTimeLiteral,
  parseEpicorDate,
  parseEpicorDateTime,
  secondsToClock,
  toUtcCursor,
  wallTimeToUtc,
} from './dates.js';

const zone = 'America/Chicago';

describe('Epicor dates', () => {
  it('reads values without a zone in the tenant zone, across DST', () => {
    const winter = parseEpicorDateTime('2026-01-10T12:00:00', zone);
    const summer = parseEpicorDateTime('2026-07-10T12:00:00', zone);
    assert.ok(winter && summer);
    assert.equal(toUtcCursor(winter), '2026-01-10T18:00:00.000Z');
    assert.equal(toUtcCursor(summer), '2026-07-10T17:00:00.000Z');
    const zoned = parseEpicorDateTime('2026-07-10T12:00:00-03:00', zone);
    assert.ok(zoned);
    assert.equal(toUtcCursor(zoned), '2026-07-10T15:00:00.000Z');
    assert.equal(parseEpicorDateTime('', zone), null);
    assert.equal(parseEpicorDateTime(20260101, zone), null);
    assert.equal(parseEpicorDateTime('2026-13-01T00:00:00', zone), null);
  });

  it('reads date columns as the tenant-local date', () => {
    assert.equal(parseEpicorDate('2026-03-16T00:00:00', zone), '2026-03-16');
    assert.equal(parseEpicorDate('2026-03-16', zone), '2026-03-16');
    assert.equal(parseEpicorDate('2026-03-16T04:00:00Z', zone), '2026-03-15');
    assert.equal(parseEpicorDate('2026-03-16T05:00:00Z', zone), '2026-03-16');
    assert.equal(parseEpicorDate(null, zone), null);
  });

  it('formats datetime literals in each style, unquoted', () => {
    const instant = parseEpicorDateTime('2026-03-16T14:05:00Z', zone);
    assert.ok(instant);
    assert.equal(dateTimeLiteral(instant, 'utc', zone), '2026-03-16T14:05:00Z');
    assert.equal(dateTimeLiteral(instant, 'offset', zone), '2026-03-16T09:05:00-05:00');
    assert.equal(dateTimeLiteral(instant, 'local', zone), '2026-03-16T09:05:00');
    const precise = parseEpicorDateTime('2026-03-16T14:05:00.007Z', zone);
    assert.ok(precise);
    assert.equal(dateTimeLiteral(precise, 'utc', zone), '2026-03-16T14:05:00.007Z');
  });

  it('formats date literals; tenant midnight carries the day-specific offset', () => {
    assert.equal(dateLiteral('2026-03-16', 'utc-midnight', zone), '2026-03-16T00:00:00Z');
    assert.equal(dateLiteral('2026-03-16', 'offset-midnight', zone), '2026-03-16T00:00:00-05:00');
    assert.equal(dateLiteral('2026-01-16', 'offset-midnight', zone), '2026-01-16T00:00:00-06:00');
    assert.equal(dateLiteral('2026-03-16', 'local-midnight', zone), '2026-03-16T00:00:00');
    assert.equal(dateLiteral('2026-03-16', 'date', zone), '2026-03-16');
  });

  it('converts ChangeTime seconds to a clock and back', () => {
    assert.equal(secondsToClock(0), '00:00:00');
    assert.equal(secondsToClock(32_700), '09:05:00');
    assert.equal(secondsToClock(90_000), '23:59:59');
    assert.equal(clockToSeconds('09:05:00'), 32_700);
    assert.ok(Number.isNaN(clockToSeconds('9:5')));
    assert.equal(wallTimeToUtc('2026-03-16T09:05:00', zone)?.toISO(), '2026-03-16T14:05:00.000Z');
  });
});
