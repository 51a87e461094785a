import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advanceCursor, compareCursors, furthestPosition, pageEndPosition } from './cursor.js';
import type { SourceRecord, StreamCursor } from './model.js';

const c = (value: string, key: string): StreamCursor => ({ value, key });
const rec = (value: string, key: string): SourceRecord => ({
  kind: 'vendor',
  key,
  position: c(value, key),
  fields: {},
});

describe('cursor maths', () => {
  it('orders by value, then key, in code-unit order; null is the beginning', () => {
    assert.equal(compareCursors(null, null), 0);
    assert.ok(compareCursors(null, c('', '')) < 0);
    assert.ok(compareCursors(c('2026-01-01T00:00:00.001Z', 'a'), c('2026-01-01T00:00:00.000Z', 'z')) > 0);
    assert.ok(compareCursors(c('5', 'B'), c('5', 'a')) < 0, 'upper case sorts before lower case (no locale)');
    assert.equal(compareCursors(c('5', '00012'), c('5', '00012')), 0);
  });

  it('only ever moves forwards', () => {
    const stored = c('0000000100', '7');
    assert.deepEqual(advanceCursor(stored, c('0000000101', '1')), c('0000000101', '1'));
    assert.deepEqual(advanceCursor(stored, c('0000000100', '8')), c('0000000100', '8'));
    assert.equal(advanceCursor(stored, c('0000000100', '7')), null, 'same position: no write');
    assert.equal(advanceCursor(stored, c('0000000099', '9')), null, 'a lookback page never moves it back');
    assert.equal(advanceCursor(stored, null), null);
    assert.deepEqual(advanceCursor(null, c('1', '1')), c('1', '1'));
  });

  it('is monotonic over any sequence of candidates', () => {
    let stored: StreamCursor | null = null;
    let max: StreamCursor | null = null;
    const values = ['5', '3', '9', '9', '1', '7', '12', '10'];
    for (const [i, value] of values.entries()) {
      const candidate = c(value.padStart(4, '0'), String(i % 3));
      stored = advanceCursor(stored, candidate) ?? stored;
      if (compareCursors(candidate, max) > 0) max = candidate;
      assert.deepEqual(stored, max);
    }
  });

  it('a page ends at its own position or its furthest record, whichever is later', () => {
    const records = [rec('3', 'a'), rec('5', 'b'), rec('4', 'c')];
    assert.deepEqual(furthestPosition(records), c('5', 'b'));
    assert.equal(furthestPosition([]), null);
    assert.deepEqual(pageEndPosition({ position: c('6', 'x'), records }), c('6', 'x'));
    assert.deepEqual(pageEndPosition({ position: null, records }), c('5', 'b'));
    assert.deepEqual(pageEndPosition({ position: c('1', 'x'), records }), c('5', 'b'));
  });
});
