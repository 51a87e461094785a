import { DateTime } from 'luxon';
import type { StreamCursor } from '../sync/model.js';
import { changeColumns, changeFields, keyColumns, type LiteralStyles, orderByFields } from './cursor.js';
import { fromUtcCursor, toUtcCursor } from './dates.js';
import { EpicorDataError } from './errors.js';
import { andFilters, type ODataParams, tupleAfter } from './odata.js';
import type { ResolvedStream } from './streams.js';

/**
 * Pure planning of page queries. Keyset paging (default): page 1 uses the scan's start filter, every
 * later page `(change, key) > (last change, last key)` with `$orderby=change,key` — rows that change
 * during the scan move behind the cursor and are read again later, never skipped. `$skip` paging keeps
 * the start filter and offsets by whole pages; a row that moves behind the scan position shifts every
 * later row forward by one, so one row can be skipped (documented, kept for servers that need it).
 */

export type PagingMode = 'keyset' | 'skip';

export interface ScanStart {
  /** Saved cursor, or null to read from the beginning. Ignored by full scans (they always restart). */
  readonly from: StreamCursor | null;
  /** Re-read this far behind `from` (time-based strategies only). */
  readonly lookbackMs: number;
}

/** The filter a scan starts with: everything after (or at, for inclusive resume) the saved cursor. */
export function startFilter(
  stream: ResolvedStream,
  start: ScanStart,
  styles: LiteralStyles,
): string | undefined {
  const { from } = start;
  if (from === null || stream.change.strategy === 'full') return undefined;
  const lookbackValue = applyLookback(from.value, stream, start.lookbackMs, styles.timeZone);
  if (lookbackValue !== from.value || stream.resume === 'inclusive') {
    return tupleAfter(changeColumns(lookbackValue, stream.change, styles), true);
  }
  return tupleAfter([
    ...changeColumns(from.value, stream.change, styles),
    ...keyColumns(from.key, stream.keyFields),
  ]);
}

/** Moves a cursor value back by `lookbackMs` (no-op for SysRevID, full scans, null values or 0). */
export function applyLookback(
  value: string,
  stream: ResolvedStream,
  lookbackMs: number,
  timeZone: string,
): string {
  if (lookbackMs <= 0 || value === '') return value;
  switch (stream.change.strategy) {
    case 'datetime': {
      const instant = fromUtcCursor(value);
      if (!instant) throw new EpicorDataError(`Cursor value "${value}" is not a UTC instant`);
      return toUtcCursor(instant.minus({ milliseconds: lookbackMs }));
    }
    case 'changeDateTime': {
      const wall = DateTime.fromISO(value, { zone: timeZone });
      if (!wall.isValid) throw new EpicorDataError(`Cursor value "${value}" is not a local date-time`);
      return wall.minus({ milliseconds: lookbackMs }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
    }
    case 'changeDate': {
      // The cursor may sit anywhere in its day: step back from the day's last instant.
      const dayEnd = DateTime.fromISO(value, { zone: timeZone }).plus({ days: 1 }).minus({ milliseconds: 1 });
      if (!dayEnd.isValid) throw new EpicorDataError(`Cursor value "${value}" is not a date`);
      return dayEnd.minus({ milliseconds: lookbackMs }).toISODate() ?? value;
    }
    case 'sysRevId':
    case 'full':
      return value;
  }
}

/** The keyset predicate for the page after `after`. */
export function afterFilter(
  stream: ResolvedStream,
  after: StreamCursor,
  styles: LiteralStyles,
): string | undefined {
  return tupleAfter([
    ...changeColumns(after.value, stream.change, styles),
    ...keyColumns(after.key, stream.keyFields),
  ]);
}

export interface PagePlan {
  readonly paging: PagingMode;
  /** Start filter of the scan (kept in every `$skip` page). */
  readonly start: string | undefined;
  /** Position of the last row read so far in this scan (keyset), or null on the first page. */
  readonly after: StreamCursor | null;
  readonly pageIndex: number;
  readonly pageSize: number;
  /** Extra filter ANDed in (e.g. a fixed business filter); optional. */
  readonly extraFilter?: string;
}

/** OData options for one page; only keys with a value are present, so the object is JSON as-is. */
export function planPage(
  stream: ResolvedStream,
  plan: PagePlan,
  styles: LiteralStyles,
): Record<string, string | number> {
  const filter =
    plan.paging === 'keyset' && plan.after !== null
      ? andFilters(plan.extraFilter, afterFilter(stream, plan.after, styles))
      : andFilters(plan.extraFilter, plan.start);
  const params: ODataParams = {
    ...(selectFor(stream) === undefined ? {} : { $select: selectFor(stream) }),
    ...(filter === undefined ? {} : { $filter: filter }),
    $orderby: orderByFields(stream.change, stream.keyFields).join(','),
    $top: plan.pageSize,
    ...(plan.paging === 'skip' && plan.pageIndex > 0 ? { $skip: plan.pageIndex * plan.pageSize } : {}),
    ...(stream.expand ? { $expand: stream.expand.navigation } : {}),
  };
  return { ...params } as Record<string, string | number>;
}

/** `$select`: configured columns plus the key and change columns they need; vendorExpand selects keys. */
export function selectFor(stream: ResolvedStream): string | undefined {
  if (stream.expand && stream.select === undefined) {
    return ['Company', ...stream.keyFields.map((k) => k.name)].join(',');
  }
  if (stream.select === undefined) return undefined;
  const columns = [...stream.keyFields.map((k) => k.name), ...changeFields(stream.change), ...stream.select];
  return [...new Set(columns)].join(',');
}
