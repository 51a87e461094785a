/** HubSpot's batch upsert limit; the engine never hands the destination more in one call. */
export const MAX_BATCH_SIZE = 100;

/**
 * Keeps one item per source id, the LAST one seen (a record changed twice within a page must be written
 * in its latest state, and HubSpot rejects a batch naming the same id twice). Order follows each kept
 * item's last occurrence. `superseded` are the earlier copies, for the audit trail.
 */
export function dedupeBySourceId<T extends { readonly sourceId: string }>(
  items: readonly T[],
): { kept: T[]; superseded: T[] } {
  const lastIndex = new Map<string, number>();
  items.forEach((item, index) => {
    lastIndex.set(item.sourceId, index);
  });
  const kept: T[] = [];
  const superseded: T[] = [];
  items.forEach((item, index) => {
    (lastIndex.get(item.sourceId) === index ? kept : superseded).push(item);
  });
  return { kept, superseded };
}

/** Splits into consecutive chunks of at most `size` (1..100) items; no empty chunks. */
export function chunk<T>(items: readonly T[], size: number = MAX_BATCH_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    throw new RangeError(`Batch size must be an integer from 1 to ${MAX_BATCH_SIZE}, got ${size}`);
  }
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
