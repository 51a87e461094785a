import type { MappedRecord } from '../sync/model.js';
import type { Destination, UpsertOutcome } from '../sync/ports.js';

/** The category HubSpot's answer gets when the unique source-id property already belongs to a record. */
export const DUPLICATE_SOURCE_ID = 'duplicate_unique_value';

/**
 * Contacts are upserted by email when they have a valid one. When the email changed in Epicor (or a
 * contact synced without one gains one), HubSpot finds no contact by the new email, tries to create
 * one, and refuses because the source id already belongs to the existing contact. Those records are
 * sent again keyed by the source id (`bySourceId`, a client with `contactKey: source-id` sharing the
 * same rate budget), which updates the existing contact and its email. Costs a request only then.
 */
export function withContactKeyFallback(primary: Destination, bySourceId: Destination): Destination {
  return {
    ensureSchema: (signal) => primary.ensureSchema(signal),
    associate: (pairs, signal) => primary.associate(pairs, signal),
    archive: (objectType, ids, signal) => primary.archive(objectType, ids, signal),
    upsert: async (objectType, records, signal) => {
      const outcomes = await primary.upsert(objectType, records, signal);
      if (objectType !== 'contacts') return outcomes;
      const retry = new Set(
        outcomes
          .filter((o) => o.status === 'failed' && o.errorCategory === DUPLICATE_SOURCE_ID)
          .map((o) => o.sourceId),
      );
      if (retry.size === 0) return outcomes;
      const again: MappedRecord[] = records.filter((r) => retry.has(r.sourceId));
      const second = new Map<string, UpsertOutcome>(
        (await bySourceId.upsert(objectType, again, signal)).map((o) => [o.sourceId, o]),
      );
      return outcomes.map((o) => (retry.has(o.sourceId) ? (second.get(o.sourceId) ?? o) : o));
    },
  };
}
