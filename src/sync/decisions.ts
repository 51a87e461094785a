/**
 * Pure decisions the engine takes per record and per batch: whether a mapped record needs a write,
 * which status a batch ends in, and what the run's status is.
 */

import type { RecordAction } from './model.js';
import type { BatchStatus, IdMapEntry } from './ports.js';

export type WriteDecision = 'create' | 'update' | 'unchanged';

/**
 * `unchanged` when the id map holds the same content hash (the last successful write carried exactly
 * this content: no API call); `update` when it holds another hash; `create` when the record was never
 * written successfully.
 */
export function decideWrite(
  contentHash: string,
  entry: Pick<IdMapEntry, 'contentHash'> | undefined,
): WriteDecision {
  if (entry === undefined) return 'create';
  return entry.contentHash === contentHash ? 'unchanged' : 'update';
}

/**
 * A batch's status from its records' actions: `failed` when the whole batch failed or nothing in it was
 * handled successfully while something failed, `partial` when some records failed and others landed,
 * `succeeded` otherwise (including all-unchanged and empty batches).
 */
export function batchStatusOf(
  actions: Iterable<RecordAction>,
  wholeBatchFailed: boolean,
): Exclude<BatchStatus, 'pending' | 'replayed'> {
  if (wholeBatchFailed) return 'failed';
  let failed = 0;
  let ok = 0;
  for (const action of actions) {
    if (action === 'failed') failed++;
    else ok++;
  }
  if (failed === 0) return 'succeeded';
  return ok === 0 ? 'failed' : 'partial';
}
