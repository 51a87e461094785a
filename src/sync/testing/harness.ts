/**
 * Wires the engine as production will, with the real SQLite store (`:memory:`) and the real mapping, and
 * the two remote systems replaced by scriptable fakes. Also seeds Epicor-shaped rows and checks that
 * HubSpot converged to the source.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/manual-clock.js';
import { openStore, type Store } from '../../store/index.js';
import { createSyncEngine, type SyncEngine, type SyncEngineConfig } from '../engine.js';
import { SyncEvents } from '../events.js';
import { createMapper } from '../mapping/index.js';
import type { EntityKind } from '../model.js';
import type { Destination, RecordMapper, SyncStore } from '../ports.js';
import { sourceIdForRecord } from '../source-id.js';
import { createStoreAdapter } from '../store-adapter.js';
import { objectTypeOf } from '../streams.js';
import { FakeEpicor } from './fake-epicor.js';
import { FakeHubSpot } from './fake-hubspot.js';

export const COMPANY = 'EPIC06';

export interface Harness {
  readonly clock: ManualClock;
  readonly store: Store;
  readonly connectionId: number;
  readonly syncStore: SyncStore;
  readonly epicor: FakeEpicor;
  readonly hubspot: FakeHubSpot;
  readonly events: SyncEvents;
  readonly mapper: RecordMapper;
  /** A fresh engine (as after a restart), optionally over another store view (fault injection). */
  engine(options?: { store?: SyncStore; destination?: Destination; config?: SyncEngineConfig }): SyncEngine;
  sourceIdOf(kind: EntityKind, key: string): string;
  close(): Promise<void>;
}

export async function openHarness(
  options: { pageSize?: number; config?: SyncEngineConfig } = {},
): Promise<Harness> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = await openStore({ sqlitePath: ':memory:', clock });
  const connection = await store.connections.create({ name: 'test', settings: {} });
  const syncStore = createStoreAdapter(store, connection.id);
  const epicor = new FakeEpicor({ now: () => clock.now(), pageSize: options.pageSize ?? 5 });
  const hubspot = new FakeHubSpot();
  const events = new SyncEvents();
  const mapper = createMapper({ company: COMPANY });
  const sourceIdOf = (kind: EntityKind, key: string): string => sourceIdForRecord(COMPANY, kind, key) ?? '';
  return {
    clock,
    store,
    connectionId: connection.id,
    syncStore,
    epicor,
    hubspot,
    events,
    mapper,
    sourceIdOf,
    engine: (overrides = {}) =>
      createSyncEngine({
        source: epicor,
        destination: overrides.destination ?? hubspot,
        store: overrides.store ?? syncStore,
        mapper,
        sourceIdOf,
        clock,
        events,
        config: { lookbackMs: 0, batchSize: 3, ...options.config, ...overrides.config },
      }),
    close: () => store.close(),
  };
}

/** Puts a row in the fake Epicor one millisecond after the previous change (distinct change values). */
export function put(h: Harness, kind: EntityKind, key: string, fields: Record<string, unknown>): void {
  h.clock.advance(1);
  h.epicor.put(kind, key, { Company: COMPANY, ...fields });
}

export function putVendor(h: Harness, n: number, extra: Record<string, unknown> = {}): void {
  put(h, 'vendor', String(n), {
    VendorNum: n,
    VendorID: `V${n}`,
    Name: `Vendor ${n}`,
    City: 'Leeds',
    ...extra,
  });
}

export function putCustomer(h: Harness, n: number, extra: Record<string, unknown> = {}): void {
  put(h, 'customer', String(n), {
    CustNum: n,
    CustID: `C${n}`,
    Name: `Customer ${n}`,
    City: 'York',
    ...extra,
  });
}

export function putVendorContact(
  h: Harness,
  vendor: number,
  con: number,
  extra: Record<string, unknown> = {},
): void {
  put(h, 'vendorContact', `${vendor}|PP1|${con}`, {
    VendorNum: vendor,
    PurPoint: 'PP1',
    ConNum: con,
    Name: `Ann Lee${con}`,
    EmailAddress: `ann.${vendor}.${con}@example.com`,
    ...extra,
  });
}

/** A mixed data set: vendors, customers and vendor contacts. */
export function seed(
  h: Harness,
  sizes: { vendors?: number; customers?: number; contacts?: number } = {},
): void {
  const vendors = sizes.vendors ?? 12;
  for (let n = 1; n <= vendors; n++) putVendor(h, n);
  for (let n = 1; n <= (sizes.customers ?? 8); n++) putCustomer(h, n);
  for (let c = 1; c <= (sizes.contacts ?? 10); c++) putVendorContact(h, ((c - 1) % vendors) + 1, c);
}

const ALL: readonly EntityKind[] = ['vendor', 'customer', 'vendorContact', 'customerContact'];

/**
 * HubSpot holds exactly the source's records (one object per source id, none created twice), the
 * id map points at them with the hash of their current content, every contact is associated with its
 * company, and every record has at least one successful write in the audit trail.
 */
export async function assertConverged(
  h: Harness,
  options: { except?: readonly string[] } = {},
): Promise<void> {
  const except = new Set(options.except ?? []);
  for (const kind of ALL) {
    const objectType = objectTypeOf(kind);
    const expected = h.epicor
      .rows(kind)
      .map((row) => h.sourceIdOf(kind, row.key))
      .filter((id) => !except.has(id));
    const ids = await h.store.idMap.getMany(h.connectionId, expected);
    for (const row of h.epicor.rows(kind)) {
      const mapped = h.mapper.map(row);
      if (!mapped.ok || except.has(mapped.record.sourceId)) continue;
      const entry = ids.get(mapped.record.sourceId);
      assert.equal(
        entry?.contentHash,
        mapped.record.contentHash,
        `${mapped.record.sourceId} synced in its latest state`,
      );
      assert.deepEqual(
        h.hubspot.objects[objectType].get(mapped.record.sourceId)?.properties,
        mapped.record.properties,
      );
    }
    for (const sourceId of expected) {
      const object = h.hubspot.objects[objectType].get(sourceId);
      assert.ok(object, `${sourceId} is in HubSpot`);
      assert.equal(object.properties['epicor_source_id'], sourceId);
      assert.equal(ids.get(sourceId)?.hubspotId, object.id, `id map of ${sourceId} points at its object`);
      const written = await h.store.audit.query({
        connectionId: h.connectionId,
        sourceId,
        actions: ['created', 'updated'],
        limit: 1,
      });
      assert.equal(written.rows.length, 1, `${sourceId} has a successful write in the audit trail`);
    }
  }
  for (const [sourceId, count] of h.hubspot.creates) assert.equal(count, 1, `${sourceId} created once`);
  for (const [sourceId, contact] of h.hubspot.objects.contacts) {
    if (!sourceId.includes(':vendor-contact:')) continue;
    const vendorNum = sourceId.split(':')[2] ?? '';
    const companyId = h.hubspot.idOf('companies', h.sourceIdOf('vendor', vendorNum));
    assert.ok(
      h.hubspot.associations.has(`${contact.id}->${companyId}`),
      `${sourceId} associated with its company`,
    );
  }
}
