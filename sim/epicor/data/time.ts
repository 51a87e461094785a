import { DateTime } from 'luxon';

/**
 * Epicor stores dates and datetimes without a zone (SQL `date`/`datetime`), in the server's local time.
 * The simulator keeps them as naive text plus a "wall" number: the same wall-clock reading expressed as
 * if it were UTC, so naive values sort and compare as plain numbers without a zone lookup per row.
 */

/** Wall-clock milliseconds of a naive `YYYY-MM-DDTHH:mm:ss[.SSS]` text; NaN if it does not parse. */
export function wallMsOf(text: string): number {
  return Date.parse(text.endsWith('Z') ? text : `${text}Z`);
}

/** `2026-03-16T00:00:00`: the date-only column format (midnight, no zone). */
export function dateText(wallMs: number): string {
  const day = Math.floor(wallMs / DAY_MS);
  let text = dateTexts.get(day);
  if (text === undefined) {
    text = `${new Date(day * DAY_MS).toISOString().slice(0, 10)}T00:00:00`;
    if (dateTexts.size < 100_000) dateTexts.set(day, text);
  }
  return text;
}

/** Date texts are shared: a few hundred distinct days cover hundreds of thousands of rows. */
const dateTexts = new Map<number, string>();

/** `2026-03-16T14:22:05` or `…05.123`: milliseconds only when non-zero, as .NET prints a DateTime. */
export function dateTimeText(wallMs: number): string {
  const iso = new Date(wallMs).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** The wall-clock reading, in `zone`, of an instant. */
export function wallMsInZone(epochMs: number, zone: string): number {
  const dt = DateTime.fromMillis(epochMs, { zone });
  if (!dt.isValid) throw new Error(`Unknown time zone ${zone}`);
  return epochMs + dt.offset * 60_000;
}

export const DAY_MS = 86_400_000;

/** Seconds since midnight of a wall-clock reading (Epicor's `ChangeTime`). */
export function secondsOfDay(wallMs: number): number {
  return Math.floor((((wallMs % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
}
