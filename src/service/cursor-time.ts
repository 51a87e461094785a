import { DateTime } from 'luxon';

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The change time a stream cursor stands for, when its value is a date or date-time (the `datetime`,
 * `change-date` and `change-date-time` strategies); undefined for revision numbers (`SysRevID`) and keys.
 * Values without a zone are read in the Epicor server's zone, as the client wrote them. A date alone means
 * the start of that day, so lag is overstated by up to a day for day-granular streams.
 */
export function cursorChangeTime(value: string, timeZone: string): number | undefined {
  if (!DATE_LIKE.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { zone: timeZone, setZone: false });
  return parsed.isValid ? parsed.toMillis() : undefined;
}
