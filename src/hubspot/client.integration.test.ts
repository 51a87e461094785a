import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { HubSpotUniquePropertyError } from './errors.js';
import {
  companies,
  recordingTransport,
  type Sim,
  simClient,
  startSim,
  upsertedIds,
} from './testing/sim-harness.js';

/**
 * The client against the HubSpot simulator over loopback. The simulator and the client share one
 * ManualClock in auto mode: every wait (rate-limit window, backoff) advances it at once, so windows of
 * 10 s cost nothing in real time while both sides still see consistent time.
 */
describe('HubSpot client against the simulator', () => {
  let sim: Sim;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 9));

  before(async () => {
    sim = await startSim(clock);
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.control.reset();
  });

  it('setup creates the group and properties once; a second run creates nothing', async () => {
    const { transport, sent } = recordingTransport();
    const client = simClient(sim, clock, transport);
    const first = await client.ensureSchema();
    assert.deepEqual(first.groupsCreated.sort(), ['companies.ml_connector', 'contacts.ml_connector']);
    assert.ok(first.propertiesCreated.includes('companies.epicor_source_id'));
    assert.ok(first.propertiesCreated.includes('contacts.epicor_record_type'));
    const custom = sim.control.dump().customProperties;
    const sourceId = custom.companies.find((p) => p.name === 'epicor_source_id');
    assert.equal(sourceId?.hasUniqueValue, true);
    const writesBefore = sent.filter((r) => r.method !== 'GET').length;

    const second = await client.ensureSchema();
    assert.deepEqual(second.groupsCreated, []);
    assert.deepEqual(second.propertiesCreated, []);
    assert.deepEqual(second.optionsAdded, []);
    assert.equal(second.unchanged.length, first.propertiesCreated.length);
    assert.equal(sent.filter((r) => r.method !== 'GET').length, writesBefore, 'second run only reads');
  });

  it('refuses a non-unique epicor_source_id with a clear error', async () => {
    const { transport } = recordingTransport();
    const client = simClient(sim, clock, transport);
    await client.http.request({
      method: 'POST',
      path: '/crm/v3/properties/companies',
      body: {
        name: 'epicor_source_id',
        label: 'Source',
        type: 'string',
        fieldType: 'text',
        groupName: 'companyinformation',
      },
    });
    const error = await client.ensureSchema().catch((e: unknown) => e);
    assert.ok(error instanceof HubSpotUniquePropertyError, String(error));
    assert.equal(error.code, 'ERR_HUBSPOT_UNIQUE_PROPERTY');
    assert.match(error.message, /not unique/);
  });

  it('upserts 1,050 companies in exactly 11 requests, then again as updates only', async () => {
    const { transport, sent } = recordingTransport();
    const client = simClient(sim, clock, transport);
    await client.ensureSchema();
    const records = companies(1_050);

    const first = await client.upsertCompanies(records);
    const upserts = sent.filter((r) => r.path === '/crm/v3/objects/companies/batch/upsert');
    assert.equal(upserts.length, 11);
    assert.ok(upserts.every((r) => ((r.body as { inputs: unknown[] }).inputs.length ?? 0) <= 100));
    assert.equal(first.length, 1_050);
    assert.ok(first.every((o) => o.status === 'created' && o.hubspotId));
    assert.equal(sim.control.count('companies'), 1_050);
    const byId = new Map(sim.control.records('companies').map((r) => [r.id, r]));
    for (const outcome of first.slice(0, 50)) {
      assert.equal(byId.get(outcome.hubspotId ?? '')?.properties['epicor_source_id'], outcome.sourceId);
    }

    const renamed = records.map((r) => ({
      ...r,
      properties: { ...r.properties, name: `${r.properties['name']} (renamed)` },
    }));
    const second = await client.upsertCompanies(renamed);
    assert.equal(sent.filter((r) => r.path === '/crm/v3/objects/companies/batch/upsert').length, 22);
    assert.ok(second.every((o) => o.status === 'updated'));
    assert.deepEqual(
      second.map((o) => o.hubspotId),
      first.map((o) => o.hubspotId),
    );
    assert.equal(sim.control.count('companies'), 1_050, 'nothing created on the second pass');
    assert.match(
      sim.control.findByProperty('companies', 'epicor_source_id', 'EPIC01:vendor:7')?.properties['name'] ??
        '',
      /renamed/,
    );
    assert.equal(client.stats().rateLimited429, 0);
  });

  it('collapses duplicates inside a call (last wins)', async () => {
    const client = simClient(sim, clock, recordingTransport().transport);
    await client.ensureSchema();
    const outcomes = await client.upsertCompanies([
      { sourceId: 'D:1', properties: { name: 'first' } },
      { sourceId: 'D:1', properties: { name: 'second' } },
    ]);
    assert.equal(outcomes.length, 1);
    assert.equal(
      sim.control.findByProperty('companies', 'epicor_source_id', 'D:1')?.properties['name'],
      'second',
    );
  });

  for (const mode of ['reject-batch', 'multi-status'] as const) {
    it(`writes 98 of 100 and reports the 2 bad records with reasons (${mode})`, async () => {
      sim.control.updateSettings({ batchValidation: mode });
      const { transport, sent } = recordingTransport();
      const client = simClient(sim, clock, transport);
      await client.ensureSchema();
      const records = companies(100);
      const bad1 = records[17];
      const bad2 = records[62];
      assert.ok(bad1 && bad2);
      bad1.properties = { ...bad1.properties, epicor_record_type: 'supplier' };
      bad2.properties = { ...bad2.properties, epicor_inactive: 'maybe' };
      const outcomes = await client.upsertCompanies(records);

      assert.equal(outcomes.length, 100);
      const failed = outcomes.filter((o) => o.status === 'failed');
      assert.deepEqual(failed.map((o) => o.sourceId).sort(), [bad1.sourceId, bad2.sourceId].sort());
      const f1 = failed.find((o) => o.sourceId === bad1.sourceId);
      assert.equal(f1?.errorCategory, 'VALIDATION_ERROR');
      assert.equal(f1?.errorCode, 'INVALID_OPTION');
      assert.match(f1?.errorMessage ?? '', /supplier/);
      assert.equal(failed.find((o) => o.sourceId === bad2.sourceId)?.errorCode, 'INVALID_BOOLEAN');
      assert.equal(outcomes.filter((o) => o.status === 'created').length, 98);
      assert.equal(sim.control.count('companies'), 98);

      // No record that landed was sent again.
      const landed = [
        ...upsertedIds(sent, '/companies/batch/upsert', 200),
        ...(mode === 'multi-status' ? upsertedIds(sent, '/companies/batch/upsert', 207) : []),
      ].filter((id) => id !== bad1.sourceId && id !== bad2.sourceId);
      assert.equal(landed.length, 98);
      assert.equal(new Set(landed).size, 98);
      if (mode === 'multi-status')
        assert.equal(sent.filter((r) => r.path.endsWith('/batch/upsert')).length, 1);
      else assert.ok(sent.filter((r) => r.path.endsWith('/batch/upsert')).length <= 30);
    });
  }

  it('upserts contacts by email or source id, reports INVALID_EMAIL, and associates them', async () => {
    const client = simClient(sim, clock, recordingTransport().transport);
    await client.ensureSchema();
    const [company] = await client.upsertCompanies([{ sourceId: 'C:1', properties: { name: 'Acme' } }]);
    assert.ok(company?.hubspotId);
    const outcomes = await client.upsertContacts([
      {
        sourceId: 'P:1',
        properties: { email: 'Ann@Example.com', firstname: 'Ann', epicor_record_type: 'vendor_contact' },
      },
      { sourceId: 'P:2', properties: { firstname: 'NoMail', epicor_record_type: 'vendor_contact' } },
      { sourceId: 'P:3', properties: { email: 'broken@', firstname: 'Bad' } },
    ]);
    const by = new Map(outcomes.map((o) => [o.sourceId, o]));
    assert.equal(by.get('P:1')?.status, 'created');
    assert.equal(by.get('P:1')?.idProperty, 'email');
    assert.equal(by.get('P:2')?.status, 'created');
    assert.equal(by.get('P:2')?.idProperty, 'epicor_source_id');
    assert.equal(by.get('P:3')?.status, 'failed');
    assert.equal(by.get('P:3')?.errorCode, 'INVALID_EMAIL');

    const again = await client.upsertContacts([
      { sourceId: 'P:1', properties: { email: 'ann@example.com', lastname: 'Lee' } },
    ]);
    assert.equal(again[0]?.status, 'updated');
    assert.equal(again[0]?.hubspotId, by.get('P:1')?.hubspotId);
    assert.equal(sim.control.count('contacts'), 2);

    const pairs = [by.get('P:1'), by.get('P:2')].map((o) => ({
      contactId: o?.hubspotId ?? '',
      companyId: company.hubspotId ?? '',
    }));
    const associated = await client.associateContactsWithCompanies([...pairs, ...pairs]);
    assert.equal(associated.length, 2);
    assert.ok(associated.every((a) => a.status === 'associated'));
    const links = sim.control
      .dump()
      .associations.filter((a) => a.from === 'contacts' && a.to === 'companies');
    assert.deepEqual(links.map((a) => a.fromId).sort(), pairs.map((p) => p.contactId).sort());
    // Associating again is harmless.
    assert.ok((await client.associateContactsWithCompanies(pairs)).every((a) => a.status === 'associated'));
  });

  for (const [validation, conflictStatus] of [
    ['multi-status', 400],
    ['reject-batch', 400],
    ['multi-status', 409],
    ['reject-batch', 409],
  ] as const) {
    it(`a contact whose email changed is updated by source id, not duplicated (${validation}, ${conflictStatus})`, async () => {
      sim.control.updateSettings({ batchValidation: validation, uniqueValueConflictStatus: conflictStatus });
      const { transport, sent } = recordingTransport();
      const client = simClient(sim, clock, transport);
      await client.ensureSchema();
      const first = await client.upsertContacts([
        { sourceId: 'M:1', properties: { email: 'ann@example.com', firstname: 'Ann' } },
        { sourceId: 'M:2', properties: { firstname: 'NoMail' } },
        { sourceId: 'M:3', properties: { email: 'bob@example.com', firstname: 'Bob' } },
      ]);
      assert.ok(first.every((o) => o.status === 'created'));
      const ids = new Map(first.map((o) => [o.sourceId, o.hubspotId]));
      sent.length = 0;

      const outcomes = await client.upsertContacts([
        { sourceId: 'M:1', properties: { email: 'ann.new@example.com', firstname: 'Ann' } },
        { sourceId: 'M:2', properties: { email: 'pat@example.com', firstname: 'Pat' } },
        { sourceId: 'M:3', properties: { email: 'bob@example.com', firstname: 'Robert' } },
        { sourceId: 'M:4', properties: { email: 'new@example.com', firstname: 'New' } },
      ]);
      const by = new Map(outcomes.map((o) => [o.sourceId, o]));
      assert.deepEqual(
        outcomes.map((o) => [o.sourceId, o.status]).sort(),
        [
          ['M:1', 'updated'],
          ['M:2', 'updated'],
          ['M:3', 'updated'],
          ['M:4', 'created'],
        ],
        JSON.stringify(outcomes),
      );
      assert.equal(by.get('M:1')?.hubspotId, ids.get('M:1'));
      assert.equal(by.get('M:1')?.idProperty, 'epicor_source_id');
      assert.equal(by.get('M:2')?.hubspotId, ids.get('M:2'));
      assert.equal(by.get('M:3')?.idProperty, 'email', 'unchanged emails stay keyed by email');
      assert.equal(sim.control.count('contacts'), 4, 'no duplicate');
      const moved = sim.control.findByProperty('contacts', 'epicor_source_id', 'M:1');
      assert.equal(moved?.id, ids.get('M:1'));
      assert.equal(moved?.properties['email'], 'ann.new@example.com');
      assert.equal(sim.control.findByProperty('contacts', 'email', 'ann@example.com'), undefined);
      assert.equal(
        sim.control.findByProperty('contacts', 'epicor_source_id', 'M:2')?.properties['email'],
        'pat@example.com',
      );
      // Only the moved contacts were sent again, keyed by source id, through the same client.
      const rekeyed = sent
        .filter((r) => r.path.endsWith('/contacts/batch/upsert'))
        .flatMap((r) => (r.body as { inputs: { idProperty: string; id: string }[] }).inputs)
        .filter((input) => input.idProperty === 'epicor_source_id')
        .map((input) => input.id);
      assert.deepEqual(rekeyed.sort(), ['M:1', 'M:2']);
    });
  }

  it('a changed email that belongs to another contact fails that record alone; nothing is merged', async () => {
    // Default simulator settings: a bad record rejects its whole batch (400, or 409 for a conflict).
    const client = simClient(sim, clock, recordingTransport().transport);
    await client.ensureSchema();
    await client.upsertContacts([
      { sourceId: 'N:1', properties: { email: 'ann@example.com' } },
      { sourceId: 'N:2', properties: { email: 'bob@example.com' } },
      { sourceId: 'N:3', properties: { firstname: 'NoMail' } },
    ]);
    const outcomes = await client.upsertContacts([
      { sourceId: 'N:1', properties: { email: 'bob@example.com' } },
      { sourceId: 'N:3', properties: { email: 'cy@example.com' } },
      { sourceId: 'N:4', properties: { email: 'dee@example.com' } },
    ]);
    const by = new Map(outcomes.map((o) => [o.sourceId, o]));
    assert.equal(by.get('N:1')?.status, 'failed');
    assert.equal(by.get('N:1')?.errorCategory, 'CONFLICT');
    assert.equal(by.get('N:3')?.status, 'updated', 'isolated from the conflicting record');
    assert.equal(by.get('N:4')?.status, 'created');
    assert.equal(sim.control.count('contacts'), 4);
    assert.equal(
      sim.control.findByProperty('contacts', 'email', 'bob@example.com')?.properties['epicor_source_id'],
      'N:2',
    );
    assert.equal(
      sim.control.findByProperty('contacts', 'epicor_source_id', 'N:1')?.properties['email'],
      'ann@example.com',
    );
  });

  it('reads by source id, iterates every connector company, and archives', async () => {
    const client = simClient(sim, clock, recordingTransport().transport);
    await client.ensureSchema();
    await client.upsertCompanies(companies(250));
    await client.http.request({
      method: 'POST',
      path: '/crm/v3/objects/companies',
      body: { properties: { name: 'Manual' } },
    });

    const found = await client.readBySourceIds(
      'companies',
      ['EPIC01:vendor:3', 'EPIC01:vendor:250', 'nope'],
      { properties: ['name'] },
    );
    assert.deepEqual([...found.keys()].sort(), ['EPIC01:vendor:250', 'EPIC01:vendor:3']);
    assert.equal(found.get('EPIC01:vendor:3')?.properties['name'], 'Vendor 3');

    const seen: string[] = [];
    for await (const company of client.iterateConnectorObjects('companies'))
      seen.push(company.properties['epicor_source_id'] ?? '');
    assert.equal(seen.length, 250);
    assert.equal(new Set(seen).size, 250);

    const ids = [...found.values()].map((o) => o.id);
    assert.equal(await client.archive('companies', ids), 2);
    assert.equal(sim.control.count('companies'), 249);
  });
});
