import type { StreamCursor } from '../sync/model.js';
import {
  clockToSeconds,
  type DateLiteralStyle,
  type DateTimeLiteralStyle,
  dateLiteral,
  dateTimeLiteral,
  fromUtcCursor,
  parseEpicorDate,
  parseEpicorDateTime,
  secondsToClock,
  toUtcCursor,
} from './dates.js';
import { EpicorDataError } from './errors.js';
import { type FilterColumn, intLiteral, stringLiteral } from './odata.js';
import type { ChangeStrategy, KeyField } from './settings.js';

/**
 * Cursor maths. A position is `{ value, key }` (see StreamCursor):
 *
 * value, per strategy — fixed-width so that JS string order equals Epicor's sort order:
 *   datetime        `2026-03-16T14:05:00.000Z`  UTC instant, millisecond precision
 *   changeDateTime  `2026-03-16T09:05:00`       tenant wall time: ChangeDate + ChangeTime (local, as
 *                                                Epicor sorts them — not converted to UTC)
 *   changeDate      `2026-03-16`                tenant-local date
 *   sysRevId        `00000000000000123456`      decimal, zero-padded to 20 digits (any uint64)
 *   full            ``                          always empty (order is by key alone)
 *   `''` for any strategy also means "the change column is null" (null sorts first in SQL Server).
 *
 * Record key (SourceRecord.key, the identity): the immutable key parts joined by `|` (`204`, `17||3`);
 * `|` and `\` inside a string part are escaped as `\|` and `\\`.
 *
 * Position key (StreamCursor.key): the same parts with integer parts zero-padded to 10 digits (Epicor
 * ints are int32) and joined by U+001F (which sorts below every printable character), e.g.
 * `0000000017␟␟0000000003`; a one-part key is just `0000000204`. JS string order is then key order for
 * integer parts. String parts (ShipToNum, PurPoint) are compared by the server's collation, which JS code-unit
 * order only approximates; filters are always rebuilt from the parts, so this affects only the engine's
 * "is this position further?" check, where a mismatch can cause a re-read, never a skip.
 */

export interface LiteralStyles {
  readonly timeZone: string;
  readonly dateTimeLiteral: DateTimeLiteralStyle;
  readonly dateLiteral: DateLiteralStyle;
}

const SYSREV_WIDTH = 20;

function escapePart(part: string): string {
  return part.replaceAll('\\', '\\\\').replaceAll('|', '\\|');
}

export function encodeKey(parts: readonly string[]): string {
  return parts.map(escapePart).join('|');
}

export function decodeKey(key: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '\\' && i + 1 < key.length) {
      current += key[i + 1];
      i++;
    } else if (c === '|') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function integerText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return intLiteral(value);
  return undefined;
}

/** The record's key string, e.g. `17||3` for CustNum 17, ShipToNum '', ConNum 3. */
export function keyOf(row: Readonly<Record<string, unknown>>, keyFields: readonly KeyField[]): string {
  const parts = keyFields.map((field) => {
    const value = row[field.name];
    if (field.type === 'int') {
      const text = integerText(value);
      if (text === undefined) {
        throw new EpicorDataError(
          `Key column ${field.name} is ${JSON.stringify(value ?? null)}, not an integer (check the stream's keyFields)`,
        );
      }
      return text;
    }
    if (value === null || value === undefined) return '';
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new EpicorDataError(`Key column ${field.name} is not a string`);
    }
    return String(value);
  });
  return encodeKey(parts);
}

const INT_KEY_WIDTH = 10;
/** ASCII Unit Separator: sorts below every printable character, so `(9,'')` < `(9,'B')`. */
const POSITION_SEPARATOR = '\u001f';

/** The sortable position key of a row (integer parts zero-padded), see the table above. */
export function positionKeyOf(
  row: Readonly<Record<string, unknown>>,
  keyFields: readonly KeyField[],
): string {
  return sortableKey(keyOf(row, keyFields), keyFields);
}

/** Record key → position key (`17||3` → `0000000017␟␟0000000003`, ␟ = U+001F). */
export function sortableKey(key: string, keyFields: readonly KeyField[]): string {
  const parts = decodeKey(key);
  if (parts.length !== keyFields.length) {
    throw new EpicorDataError(`Key "${key}" has ${parts.length} parts; expected ${keyFields.length}`);
  }
  return parts
    .map((part, i) => {
      if (keyFields[i]?.type === 'int')
        return part.startsWith('-') ? part : part.padStart(INT_KEY_WIDTH, '0');
      if (keyFields.length > 1 && hasControlCharacter(part)) {
        throw new EpicorDataError(`Key part ${JSON.stringify(part)} contains a control character`);
      }
      return part;
    })
    .join(POSITION_SEPARATOR);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

/** Position key → its parts (single-part keys are taken whole). */
export function decodePositionKey(key: string, keyFields: readonly KeyField[]): string[] {
  return keyFields.length === 1 ? [key] : key.split(POSITION_SEPARATOR);
}

/** Filter columns (field = literal) for a position key, in key order. */
export function keyColumns(key: string, keyFields: readonly KeyField[]): FilterColumn[] {
  const parts = decodePositionKey(key, keyFields);
  if (parts.length !== keyFields.length) {
    throw new EpicorDataError(`Cursor key "${key}" has ${parts.length} parts; expected ${keyFields.length}`);
  }
  return keyFields.map((field, i) => {
    const part = parts[i] as string;
    return { field: field.name, literal: field.type === 'int' ? intLiteral(part) : stringLiteral(part) };
  });
}

/** Columns in sort order for `$orderby`: the change column(s), then the key. */
export function orderByFields(change: ChangeStrategy, keyFields: readonly KeyField[]): string[] {
  return [...changeFields(change), ...keyFields.map((k) => k.name)];
}

/** The change column names a strategy reads. */
export function changeFields(change: ChangeStrategy): string[] {
  switch (change.strategy) {
    case 'datetime':
    case 'changeDate':
    case 'sysRevId':
      return [change.field];
    case 'changeDateTime':
      return [change.dateField, change.timeField];
    case 'full':
      return [];
  }
}

/** Reads a row's change value as a cursor string (see the table above); '' when null. */
export function changeValueOf(
  row: Readonly<Record<string, unknown>>,
  change: ChangeStrategy,
  timeZone: string,
): string {
  switch (change.strategy) {
    case 'full':
      return '';
    case 'datetime': {
      const raw = row[change.field];
      if (raw === null || raw === undefined || raw === '') return '';
      const parsed = parseEpicorDateTime(raw, timeZone);
      if (!parsed)
        throw new EpicorDataError(`${change.field} value ${JSON.stringify(raw)} is not a datetime`);
      return toUtcCursor(parsed);
    }
    case 'changeDate': {
      const raw = row[change.field];
      if (raw === null || raw === undefined || raw === '') return '';
      const date = parseEpicorDate(raw, timeZone);
      if (!date) throw new EpicorDataError(`${change.field} value ${JSON.stringify(raw)} is not a date`);
      return date;
    }
    case 'changeDateTime': {
      const rawDate = row[change.dateField];
      if (rawDate === null || rawDate === undefined || rawDate === '') return '';
      const date = parseEpicorDate(rawDate, timeZone);
      if (!date)
        throw new EpicorDataError(`${change.dateField} value ${JSON.stringify(rawDate)} is not a date`);
      const rawTime = row[change.timeField];
      const seconds = rawTime === null || rawTime === undefined || rawTime === '' ? 0 : Number(rawTime);
      if (!Number.isFinite(seconds)) {
        throw new EpicorDataError(`${change.timeField} value ${JSON.stringify(rawTime)} is not a number`);
      }
      return `${date}T${secondsToClock(seconds)}`;
    }
    case 'sysRevId': {
      const raw = row[change.field];
      if (raw === null || raw === undefined || raw === '') return '';
      const text = integerText(raw);
      if (text === undefined || text.startsWith('-')) {
        throw new EpicorDataError(
          `${change.field} value ${JSON.stringify(raw)} is not a non-negative integer`,
        );
      }
      if (text.length > SYSREV_WIDTH)
        throw new EpicorDataError(`${change.field} value ${text} exceeds 20 digits`);
      return text.padStart(SYSREV_WIDTH, '0');
    }
  }
}

/** Filter columns (change field(s) = literal) for a cursor value. */
export function changeColumns(value: string, change: ChangeStrategy, styles: LiteralStyles): FilterColumn[] {
  switch (change.strategy) {
    case 'full':
      return [];
    case 'datetime': {
      if (value === '') return [{ field: change.field, literal: null }];
      const instant = fromUtcCursor(value);
      if (!instant) throw new EpicorDataError(`Cursor value "${value}" is not a UTC instant`);
      return [
        { field: change.field, literal: dateTimeLiteral(instant, styles.dateTimeLiteral, styles.timeZone) },
      ];
    }
    case 'changeDate': {
      if (value === '') return [{ field: change.field, literal: null }];
      assertDate(value);
      return [{ field: change.field, literal: dateLiteral(value, styles.dateLiteral, styles.timeZone) }];
    }
    case 'changeDateTime': {
      if (value === '') return [{ field: change.dateField, literal: null }];
      const [date, clock] = value.split('T') as [string, string | undefined];
      assertDate(date);
      const seconds = clockToSeconds(clock ?? '');
      if (Number.isNaN(seconds))
        throw new EpicorDataError(`Cursor value "${value}" is not a local date-time`);
      return [
        { field: change.dateField, literal: dateLiteral(date, styles.dateLiteral, styles.timeZone) },
        { field: change.timeField, literal: String(seconds) },
      ];
    }
    case 'sysRevId':
      if (value === '') return [{ field: change.field, literal: null }];
      if (!/^\d+$/.test(value)) throw new EpicorDataError(`Cursor value "${value}" is not a SysRevID`);
      return [{ field: change.field, literal: intLiteral(value) }];
  }
}

function assertDate(value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new EpicorDataError(`Cursor value "${value}" is not a date`);
}

/** The position of a row in its stream. */
export function positionOf(
  row: Readonly<Record<string, unknown>>,
  change: ChangeStrategy,
  keyFields: readonly KeyField[],
  timeZone: string,
): StreamCursor {
  return { value: changeValueOf(row, change, timeZone), key: positionKeyOf(row, keyFields) };
}
