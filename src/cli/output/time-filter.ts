import { UsageError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A point in time from the command line: an ISO date (`2026-11-27`, UTC midnight), an ISO date-time
 * with or without an offset (`2026-11-27T09:30`, read as UTC when it has none), or an age (`90m`,
 * `24h`, `7d`) counted back from `now`.
 */
export function parseTimeArgument(text: string, now: number, flag: string): number {
  const value = text.trim();
  const age = /^(\d+)([smhdw])$/.exec(value);
  if (age !== null) return now - Number(age[1]) * (UNIT_MS[age[2] ?? 's'] ?? 1000);
  const iso =
    /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (iso !== null) {
    const [, date, time, zone] = iso;
    const ms = Date.parse(time === undefined ? `${date}T00:00:00Z` : `${date}T${time}${zone ?? 'Z'}`);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(
    `${flag} must be an ISO date or date-time (2026-11-27, 2026-11-27T09:30:00Z) or an age such as 90m, 24h or 7d.`,
  );
}
