/**
 * Turning Epicor values into the strings HubSpot wants. HubSpot property values are always strings:
 * numbers as plain decimals, booleans `true`/`false`, dates `YYYY-MM-DD`, date-times ISO 8601.
 */
import { DateTime } from 'luxon';

/**
 * Any Epicor JSON value as text: null/undefined -> '', booleans `true`/`false`, numbers as plain
 * decimals (never exponent form), Dates as ISO instants, arrays `;`-joined (HubSpot's multi-value
 * separator), other objects as JSON.
 */
export function toText(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'boolean') return raw ? 'true' : 'false';
  if (typeof raw === 'number') return Number.isFinite(raw) ? (toDecimalString(String(raw)) ?? '') : '';
  if (typeof raw === 'bigint') return raw.toString();
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : raw.toISOString();
  if (Array.isArray(raw))
    return raw
      .map(toText)
      .filter((t) => t !== '')
      .join(';');
  return JSON.stringify(raw) ?? '';
}

/**
 * A number written as a plain decimal string: sign kept only when negative, no leading zeros, no
 * trailing fractional zeros, exponent expanded ("1.5e3" -> "1500", "-0.50" -> "-0.5", "007" -> "7").
 * Undefined when the text is not a number (thousands separators, units, "N/A").
 */
export function toDecimalString(text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(text.trim());
  if (m === null) return undefined;
  const sign = m[1] ?? '';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  let digits = intPart + fracPart;
  let point = intPart.length + Number(m[4] ?? '0');
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fraction = digits.slice(point).replace(/0+$/, '');
  const abs = fraction === '' ? whole : `${whole}.${fraction}`;
  return sign === '-' && abs !== '0' ? `-${abs}` : abs;
}

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);

/** `true`/`false` from the usual spellings, undefined otherwise. */
export function toBoolString(text: string): 'true' | 'false' | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return 'true';
  if (FALSE.has(t)) return 'false';
  return undefined;
}

/**
 * `YYYY-MM-DD` for a HubSpot `date` property from an ISO date or date-time (Epicor sends dates as
 * `2024-05-01T00:00:00`); the calendar date as written, without time-zone arithmetic. Undefined for
 * anything else or an impossible date.
 */
export function toDateString(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const iso = date.toISOString().slice(0, 10);
  return iso === `${y}-${mo}-${d}` ? iso : undefined;
}

/**
 * An ISO instant in UTC (`2024-05-01T08:00:00.000Z`) for a HubSpot `datetime` property. A value without
 * an offset is read in `timeZone` (the Epicor server's zone, from the connection config).
 */
export function toDateTimeString(text: string, timeZone: string): string | undefined {
  const dt = DateTime.fromISO(text.trim(), { zone: timeZone });
  if (!dt.isValid) return undefined;
  return dt.toUTC().toISO() ?? undefined;
}
