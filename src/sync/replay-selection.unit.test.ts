import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityKind } from './model.js';
import type { BatchStatus, ReplayableBatch } from './ports.js';
import { isReplayable, selectReplayBatches } from './replay-selection.js';

const batch = (id: string, runId: string, kind: EntityKind, status: BatchStatus): ReplayableBatch => ({
  id,
  runId,
  kind,
  status,
  query: { id },
  attempts: 1,
});

const all = [
  batch('1', 'r1', 'vendorContact', 'failed'),
  batch('2', 'r1', 'vendor', 'partial'),
  batch('3', 'r1', 'customer', 'succeeded'),
  batch('4', 'r2', 'customer', 'failed'),
  batch('5', 'r2', 'vendor', 'replayed'),
  batch('6', 'r2', 'customerContact', 'partial'),
  batch('7', 'r2', 'vendor', 'pending'),
];
const ids = (list: readonly ReplayableBatch[]) => list.map((b) => b.id);

describe('replay selection', () => {
  it('replays only failed and partial batches', () => {
    assert.deepEqual((['failed', 'partial', 'succeeded', 'replayed', 'pending'] as const).map(isReplayable), [
      true,
      true,
      false,
      false,
      false,
    ]);
  });
  it('all failed: companies first, then contacts, oldest first within each', () => {
    assert.deepEqual(ids(selectReplayBatches(all, { allFailed: true })), ['2', '4', '1', '6']);
  });
  it('by run', () => {
    assert.deepEqual(ids(selectReplayBatches(all, { runId: 'r2' })), ['4', '6']);
  });
  it('by batch: only that one, and only if replayable', () => {
    assert.deepEqual(ids(selectReplayBatches(all, { batchId: '1' })), ['1']);
    assert.deepEqual(ids(selectReplayBatches(all, { batchId: '5' })), []);
    assert.deepEqual(ids(selectReplayBatches(all, { batchId: '99' })), []);
  });
});
