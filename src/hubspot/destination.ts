import type { AssociationFailure, Destination, UpsertOutcome } from '../sync/ports.js';
import type { RecordOutcome } from './batch.js';
import type { HubSpotClient } from './client.js';
import type { PropertyDefinition } from './properties.js';

/**
 * The sync engine's `Destination` port over the HubSpot client. Per-record failures come back as
 * outcomes whose `errorCategory` is HubSpot's inner code when there is one (`invalid_email`,
 * `invalid_option`, `duplicate_email_in_batch`), else its category (`validation_error`, `conflict`),
 * lower-cased; whole-call failures (auth, daily limit, HubSpot down) throw the client's typed errors.
 */
export function createHubSpotDestination(
  client: HubSpotClient,
  options: { extraProperties?: readonly PropertyDefinition[] } = {},
): Destination {
  const call = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    ensureSchema: async (signal) => {
      await client.ensureSchema(options.extraProperties ?? [], call(signal));
    },
    upsert: async (objectType, records, signal) => {
      const inputs = records.map((r) => ({ sourceId: r.sourceId, properties: r.properties }));
      const outcomes =
        objectType === 'companies'
          ? await client.upsertCompanies(inputs, call(signal))
          : await client.upsertContacts(inputs, call(signal));
      return outcomes.map(toUpsertOutcome);
    },
    associate: async (pairs, signal) => {
      const outcomes = await client.associateContactsWithCompanies(pairs, call(signal));
      return outcomes
        .filter((o) => o.status === 'failed')
        .map(
          (o): AssociationFailure => ({
            contactId: o.fromId,
            companyId: o.toId,
            errorCategory: categoryOf(o.errorCode, o.errorCategory),
            errorMessage: o.errorMessage ?? 'HubSpot rejected the association',
          }),
        );
    },
    archive: async (objectType, hubspotIds, signal) => {
      await client.archive(objectType, hubspotIds, call(signal));
    },
  };
}

function categoryOf(code: string | undefined, category: string | undefined): string {
  return (code ?? category ?? 'rejected').toLowerCase();
}

export function toUpsertOutcome(outcome: RecordOutcome): UpsertOutcome {
  if (outcome.status !== 'failed') {
    return {
      sourceId: outcome.sourceId,
      status: outcome.status,
      ...(outcome.hubspotId === undefined ? {} : { hubspotId: outcome.hubspotId }),
    };
  }
  return {
    sourceId: outcome.sourceId,
    status: 'failed',
    errorCategory: categoryOf(outcome.errorCode, outcome.errorCategory),
    errorMessage: outcome.errorMessage ?? 'HubSpot rejected the record',
  };
}
