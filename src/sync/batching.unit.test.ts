import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunk, dedupeBySourceId, MAX_BATCH_SIZE } from './batching.js';

describe('batching', () => {
  it('chunks into at most 100, in order, with no empty chunk', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    const chunks = chunk(items);
    assert.deepEqual(
      chunks.map((part) => part.length),
      [100, 100, 50],
    );
    assert.deepEqual(chunks.flat(), items);
    assert.deepEqual(chunk([]), []);
    assert.deepEqual(chunk([1, 2, 3], 2), [[1, 2], [3]]);
    assert.equal(chunk(Array.from({ length: 100 }), MAX_BATCH_SIZE).length, 1);
  });

  it('refuses sizes HubSpot would reject', () => {
    assert.throws(() => chunk([1], 101), RangeError);
    assert.throws(() => chunk([1], 0), RangeError);
    assert.throws(() => chunk([1], 2.5), RangeError);
  });

  it('dedupes by source id, last wins, keeping each survivor at its last position', () => {
    const items = [
      { sourceId: 'a', v: 1 },
      { sourceId: 'b', v: 1 },
      { sourceId: 'a', v: 2 },
      { sourceId: 'c', v: 1 },
      { sourceId: 'a', v: 3 },
    ];
    const { kept, superseded } = dedupeBySourceId(items);
    assert.deepEqual(kept, [
      { sourceId: 'b', v: 1 },
      { sourceId: 'c', v: 1 },
      { sourceId: 'a', v: 3 },
    ]);
    assert.deepEqual(superseded, [
      { sourceId: 'a', v: 1 },
      { sourceId: 'a', v: 2 },
    ]);
  });
});
