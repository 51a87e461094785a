/**
 * Cursor maths the engine owns. Cursor values are opaque, but the source normalises them so that plain
 * string order (code-unit order, never locale order) is change order, and keys so that string order is
 * key order; the engine therefore compares `(value, key)` pairs lexicographically and nothing more.
 * Lookback is NOT applied here (only the source knows how a value encodes time).
 */
import type { SourceRecord, StreamCursor } from './model.js';

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders positions; `null` (the beginning of the stream) precedes every position. */
export function compareCursors(a: StreamCursor | null, b: StreamCursor | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareStrings(a.value, b.value) || compareStrings(a.key, b.key);
}

/**
 * The cursor to store after a page: the candidate when it lies strictly after the stored cursor,
 * otherwise `null` (= do not touch the cursor). This is what makes the stored cursor monotonic even when
 * lookback re-reads older records or a source returns a page that ends behind the checkpoint.
 */
export function advanceCursor(
  stored: StreamCursor | null,
  candidate: StreamCursor | null,
): StreamCursor | null {
  if (candidate === null) return null;
  return compareCursors(candidate, stored) > 0 ? candidate : null;
}

/** The furthest position among records (for pages that do not state their own position). */
export function furthestPosition(records: readonly SourceRecord[]): StreamCursor | null {
  let best: StreamCursor | null = null;
  for (const record of records) if (compareCursors(record.position, best) > 0) best = record.position;
  return best;
}

/** The position a handled page moves the stream to: the page's own, else its furthest record. */
export function pageEndPosition(page: {
  readonly position: StreamCursor | null;
  readonly records: readonly SourceRecord[];
}): StreamCursor | null {
  const furthest = furthestPosition(page.records);
  return compareCursors(page.position, furthest) >= 0 ? page.position : furthest;
}
