/** Which batches a replay re-runs, and in which order. Pure: the store lists, this decides. */
import type { BatchStatus, ReplayableBatch, ReplaySelector } from './ports.js';
import { companiesFirst } from './streams.js';

/** `failed` and `partial` batches hold records that did not land; `replayed` ones were superseded. */
export function isReplayable(status: BatchStatus): boolean {
  return status === 'failed' || status === 'partial';
}

/**
 * Keeps the replayable batches the selector names and orders them companies first (a contact needs its
 * company's HubSpot id), oldest first within each group as listed.
 */
export function selectReplayBatches(
  candidates: readonly ReplayableBatch[],
  selector: ReplaySelector,
): ReplayableBatch[] {
  const chosen = candidates.filter((batch) => {
    if (!isReplayable(batch.status)) return false;
    if ('batchId' in selector) return batch.id === selector.batchId;
    if ('runId' in selector) return batch.runId === selector.runId;
    return true;
  });
  return companiesFirst(chosen, (batch) => batch.kind);
}
