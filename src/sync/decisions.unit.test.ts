import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchStatusOf, decideWrite } from './decisions.js';

describe('hash-skip decision', () => {
  it('creates without an id-map entry, skips on equal hash, updates on a different hash', () => {
    assert.equal(decideWrite('v1:aa', undefined), 'create');
    assert.equal(decideWrite('v1:aa', { contentHash: 'v1:aa' }), 'unchanged');
    assert.equal(decideWrite('v1:aa', { contentHash: 'v1:bb' }), 'update');
    assert.equal(
      decideWrite('v2:aa', { contentHash: 'v1:aa' }),
      'update',
      'a new hash version rewrites once',
    );
  });
});

describe('batch status from outcomes', () => {
  it('succeeded when nothing failed, including empty and all-unchanged batches', () => {
    assert.equal(batchStatusOf([], false), 'succeeded');
    assert.equal(batchStatusOf(['created', 'updated', 'unchanged', 'skipped'], false), 'succeeded');
  });
  it('partial when some records failed and others were handled', () => {
    assert.equal(batchStatusOf(['created', 'failed'], false), 'partial');
    assert.equal(batchStatusOf(['unchanged', 'failed'], false), 'partial');
  });
  it('failed when every record failed or the whole batch failed', () => {
    assert.equal(batchStatusOf(['failed', 'failed'], false), 'failed');
    assert.equal(batchStatusOf(['created', 'created'], true), 'failed');
  });
});
