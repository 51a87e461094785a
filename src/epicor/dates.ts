import { DateTime } from 'luxon';

/**
 * Epicor date handling. Values arrive as ISO strings with or without an offset; a value without one is
 * read in the tenant's IANA time zone. Cursor encodings (see cursor.ts) are fixed-width so that string
 * order equals time order.
 */

const HAS_ZONE = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Parses an Epicor datetime; a value with no offset is wall time in `timeZone`. Null when unusable. */
export function parseEpicorDateTime(value: unknown, timeZone: string): DateTime | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  const parsed = HAS_ZONE.test(text)
    ? DateTime.fromISO(text, { setZone: true })
    : DateTime.fromISO(text, { zone: timeZone });
  return parsed.isValid ? parsed : null;
}

/** The calendar date an Epicor date column means, as `YYYY-MM-DD` in the tenant's zone. */
export function parseEpicorDate(value: unknown, timeZone: string): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  // No offset: the date as written (Epicor date columns are local dates at midnight).
  if (!HAS_ZONE.test(text)) {
    const match = /^(\d{4}-\d{2}-\d{2})/.exec(text);
    return match?.[1] ?? null;
  }
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.setZone(timeZone).toISODate() : null;
}

/** `2026-03-16T14:05:00.000Z` — fixed width, so string order is instant order. */
export function toUtcCursor(instant: DateTime): string {
  return instant.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
}

export function fromUtcCursor(value: string): DateTime | null {
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid ? parsed : null;
}

export type DateTimeLiteralStyle = 'utc' | 'offset' | 'local';

/** Formats an instant for an OData `$filter` (unquoted; quoted dates give Epicor a 400). */
export function dateTimeLiteral(instant: DateTime, style: DateTimeLiteralStyle, timeZone: string): string {
  const withFraction = instant.millisecond !== 0;
  const base = withFraction ? "yyyy-MM-dd'T'HH:mm:ss.SSS" : "yyyy-MM-dd'T'HH:mm:ss";
  switch (style) {
    case 'utc':
      return instant.toUTC().toFormat(`${base}'Z'`);
    case 'offset':
      return instant.setZone(timeZone).toFormat(`${base}ZZ`);
    case 'local':
      return instant.setZone(timeZone).toFormat(base);
  }
}

export type DateLiteralStyle = 'utc-midnight' | 'offset-midnight' | 'local-midnight' | 'date';

/** Formats a `YYYY-MM-DD` date for `$filter`; `2026-03-16T00:00:00Z` is the form verified live. */
export function dateLiteral(date: string, style: DateLiteralStyle, timeZone: string): string {
  switch (style) {
    case 'utc-midnight':
      return `${date}T00:00:00Z`;
    case 'offset-midnight':
      return DateTime.fromISO(date, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
    case 'local-midnight':
      return `${date}T00:00:00`;
    case 'date':
      return date;
  }
}

/** `HH:mm:ss` for a ChangeTime (seconds since midnight), clamped to the day. */
export function secondsToClock(seconds: number): string {
  const s = Math.min(86_399, Math.max(0, Math.trunc(seconds)));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

export function clockToSeconds(clock: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(clock);
  if (!match) return Number.NaN;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** Converts tenant wall time `YYYY-MM-DDTHH:mm:ss` to a UTC instant (for display and comparison). */
export function wallTimeToUtc(wall: string, timeZone: string): DateTime | null {
  const parsed = DateTime.fromISO(wall, { zone: timeZone });
  return parsed.isValid ? parsed.toUTC() : null;
}
