/**
 * A scriptable in-process stand-in for the HubSpot side (`Destination`): objects keyed by the unique
 * source id (so upserts are idempotent, as in HubSpot), per-record rejections, whole-call failures
 * before or after the write lands, and counters to assert on. For engine tests only.
 */
import type { HubSpotObjectType, MappedRecord } from '../model.js';
import type { AssociationFailure, AssociationPair, Destination, UpsertOutcome } from '../ports.js';

export interface StoredObject {
  readonly id: string;
  properties: Readonly<Record<string, string>>;
}

export class FakeHubSpot implements Destination {
  readonly objects: Record<HubSpotObjectType, Map<string, StoredObject>> = {
    companies: new Map(),
    contacts: new Map(),
  };
  /** How many times each source id was CREATED (must never exceed 1). */
  readonly creates = new Map<string, number>();
  readonly associations = new Set<string>();
  readonly archived: string[] = [];
  upsertCalls = 0;
  recordsSent = 0;
  schemaCalls = 0;
  #nextId = 1000;
  /** Per-record rejection: return a message to reject the record (outcome `failed`). */
  rejectIf: ((record: MappedRecord) => string | undefined) | undefined;
  /**
   * Called on each upsert call (1-based); return `{ error, when }` to throw: `before` the write (nothing
   * lands) or `after` it (the records land in HubSpot but the caller never hears so).
   */
  failCall:
    | ((
        call: number,
        objectType: HubSpotObjectType,
      ) => { error: Error; when: 'before' | 'after' } | undefined)
    | undefined;
  /** Awaited at the start of each upsert call (for overlap and abort tests). */
  onUpsert:
    | ((call: number, records: readonly MappedRecord[], signal?: AbortSignal) => Promise<void> | void)
    | undefined;

  async ensureSchema(): Promise<void> {
    this.schemaCalls++;
  }

  async upsert(
    objectType: HubSpotObjectType,
    records: readonly MappedRecord[],
    signal?: AbortSignal,
  ): Promise<readonly UpsertOutcome[]> {
    const call = ++this.upsertCalls;
    await this.onUpsert?.(call, records, signal);
    signal?.throwIfAborted();
    if (records.length > 100)
      throw new Error(`upsert of ${records.length} records: HubSpot takes at most 100`);
    if (new Set(records.map((r) => r.sourceId)).size !== records.length)
      throw new Error('duplicate ids in one batch');
    const failure = this.failCall?.(call, objectType);
    if (failure?.when === 'before') throw failure.error;
    this.recordsSent += records.length;
    const outcomes = records.map((record): UpsertOutcome => {
      const reason = this.rejectIf?.(record);
      if (reason !== undefined)
        return {
          sourceId: record.sourceId,
          status: 'failed',
          errorCategory: 'validation',
          errorMessage: reason,
        };
      const table = this.objects[objectType];
      const existing = table.get(record.sourceId);
      if (existing) {
        existing.properties = { ...record.properties };
        return { sourceId: record.sourceId, status: 'updated', hubspotId: existing.id };
      }
      const id = String(this.#nextId++);
      table.set(record.sourceId, { id, properties: { ...record.properties } });
      this.creates.set(record.sourceId, (this.creates.get(record.sourceId) ?? 0) + 1);
      return { sourceId: record.sourceId, status: 'created', hubspotId: id };
    });
    if (failure?.when === 'after') throw failure.error;
    return outcomes;
  }

  async associate(pairs: readonly AssociationPair[]): Promise<readonly AssociationFailure[]> {
    for (const pair of pairs) this.associations.add(`${pair.contactId}->${pair.companyId}`);
    return [];
  }

  async archive(objectType: HubSpotObjectType, hubspotIds: readonly string[]): Promise<void> {
    const table = this.objects[objectType];
    for (const [sourceId, object] of [...table]) {
      if (hubspotIds.includes(object.id)) {
        table.delete(sourceId);
        this.archived.push(object.id);
      }
    }
  }

  idOf(objectType: HubSpotObjectType, sourceId: string): string | undefined {
    return this.objects[objectType].get(sourceId)?.id;
  }
}
