import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/manual-clock.js';
import { type HubSpotSimulator, startHubSpotSimulator } from './index.js';
import { ERP_PROPERTY, simClient } from './test-client.js';

describe('HubSpot simulator: search and associations over HTTP', () => {
  const clock = new ManualClock();
  let sim: HubSpotSimulator;
  let call: ReturnType<typeof simClient>;
  const ids: Record<string, string> = {};

  before(async () => {
    sim = await startHubSpotSimulator({ clock, rateLimits: { enabled: false } });
    call = simClient(sim.url);
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.control.reset();
    await call('POST', '/crm/v3/properties/companies', ERP_PROPERTY);
    const rows = [
      { id: 'A', name: 'Alpha Tools', type: 'VENDOR', numberofemployees: '5', city: 'Oslo' },
      { id: 'B', name: 'Beta Supply', type: 'VENDOR', numberofemployees: '50' },
      { id: 'C', name: 'Gamma Works', type: 'PARTNER', numberofemployees: '500', city: 'Bergen' },
    ];
    const r = await call('POST', '/crm/v3/objects/companies/batch/upsert', {
      inputs: rows.map(({ id, ...p }) => ({
        idProperty: 'erp_source_id',
        id,
        properties: { erp_source_id: id, ...p },
      })),
    });
    for (const result of r.json.results) ids[result.properties.erp_source_id] = result.id;
  });

  const search = (body: unknown) => call('POST', '/crm/v3/objects/companies/search', body);
  const erpIds = (r: { json: { results: { id: string }[] } }) =>
    r.json.results.map((x) => Object.keys(ids).find((k) => ids[k] === x.id));

  it('filters: groups ORed, filters ANDed, numeric comparisons, IN, HAS_PROPERTY, CONTAINS_TOKEN', async () => {
    const vendorsOver10 = await search({
      filterGroups: [
        {
          filters: [
            { propertyName: 'type', operator: 'EQ', value: 'VENDOR' },
            { propertyName: 'numberofemployees', operator: 'GT', value: '10' },
          ],
        },
      ],
    });
    assert.deepEqual(erpIds(vendorsOver10), ['B']);
    assert.equal(vendorsOver10.json.total, 1);
    const either = await search({
      filterGroups: [
        { filters: [{ propertyName: 'erp_source_id', operator: 'EQ', value: 'A' }] },
        { filters: [{ propertyName: 'erp_source_id', operator: 'EQ', value: 'C' }] },
      ],
      sorts: [{ propertyName: 'erp_source_id', direction: 'DESCENDING' }],
    });
    assert.deepEqual(erpIds(either), ['C', 'A']);
    const checks: [unknown, string[]][] = [
      [{ propertyName: 'numberofemployees', operator: 'BETWEEN', value: '5', highValue: '50' }, ['A', 'B']],
      [{ propertyName: 'erp_source_id', operator: 'IN', values: ['A', 'C'] }, ['A', 'C']],
      [{ propertyName: 'erp_source_id', operator: 'NOT_IN', values: ['A', 'C'] }, ['B']],
      [{ propertyName: 'city', operator: 'HAS_PROPERTY' }, ['A', 'C']],
      [{ propertyName: 'city', operator: 'NOT_HAS_PROPERTY' }, ['B']],
      [{ propertyName: 'name', operator: 'CONTAINS_TOKEN', value: 'supply' }, ['B']],
      [{ propertyName: 'type', operator: 'NEQ', value: 'VENDOR' }, ['C']],
      [{ propertyName: 'numberofemployees', operator: 'LTE', value: '50' }, ['A', 'B']],
    ];
    for (const [filter, expected] of checks) {
      const r = await search({ filterGroups: [{ filters: [filter] }], sorts: ['erp_source_id'] });
      assert.deepEqual(erpIds(r), expected, JSON.stringify(filter));
    }
    const desc = await search({ sorts: ['-numberofemployees'] });
    assert.deepEqual(erpIds(desc), ['C', 'B', 'A']);
  });

  it('paging, the 200 page cap and the 10,000 result cap', async () => {
    const first = await search({ limit: 2, sorts: ['erp_source_id'] });
    assert.equal(first.json.paging.next.after, '2');
    const second = await search({ limit: 2, after: '2', sorts: ['erp_source_id'] });
    assert.deepEqual(erpIds(second), ['C']);
    assert.equal(second.json.paging, undefined);
    assert.equal((await search({ limit: 201 })).status, 400);
    const capped = await search({ limit: 100, after: '9950' });
    assert.equal(capped.status, 400);
    assert.equal(capped.json.category, 'VALIDATION_ERROR');
    const tooMany = await search({
      filterGroups: Array.from({ length: 6 }, () => ({
        filters: [{ propertyName: 'name', operator: 'HAS_PROPERTY' }],
      })),
    });
    assert.equal(tooMany.status, 400);
  });

  it('index lag: new and changed records reach search only after searchIndexDelayMs', async () => {
    sim.control.updateSettings({ searchIndexDelayMs: 2000 });
    await call('POST', '/crm/v3/objects/companies/batch/upsert', {
      inputs: [
        { idProperty: 'erp_source_id', id: 'D', properties: { name: 'Delta' } },
        { idProperty: 'erp_source_id', id: 'A', properties: { name: 'Alpha Renamed' } },
      ],
    });
    const q = {
      filterGroups: [{ filters: [{ propertyName: 'erp_source_id', operator: 'IN', values: ['A', 'D'] }] }],
    };
    const early = await search(q);
    assert.equal(early.json.total, 1, 'D not yet indexed');
    assert.equal(early.json.results[0].properties.name, 'Alpha Tools', 'old value still indexed');
    clock.advance(2000);
    const late = await search(q);
    assert.equal(late.json.total, 2);
    assert.ok(
      late.json.results.some((r: { properties: { name: string } }) => r.properties.name === 'Alpha Renamed'),
    );
  });

  it('associations: default, labelled (201 or 200 by setting), read, idempotent, archive, unknown ids', async () => {
    const contacts = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { email: 'a@x.example' } }, { properties: { email: 'b@x.example' } }],
    });
    const [c1, c2] = contacts.json.results.map((r: { id: string }) => r.id).sort();
    const def = await call('POST', '/crm/v4/associations/companies/contacts/batch/associate/default', {
      inputs: [{ from: { id: ids['A'] }, to: { id: c1 } }],
    });
    assert.equal(def.status, 200);
    assert.equal(def.json.results[0].associationSpec.associationTypeId, 280);
    const again = await call('POST', '/crm/v4/associations/companies/contacts/batch/associate/default', {
      inputs: [{ from: { id: ids['A'] }, to: { id: c1 } }],
    });
    assert.equal(again.status, 200, 'idempotent');
    const labelled = await call('POST', '/crm/v4/associations/contacts/companies/batch/create', {
      inputs: [
        {
          from: { id: c2 },
          to: { id: ids['A'] },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
        },
      ],
    });
    assert.equal(labelled.status, 201);
    assert.equal(labelled.json.results[0].fromObjectTypeId, '0-1');
    sim.control.updateSettings({ associationBatchCreateStatus: 200 });
    const status200 = await call('POST', '/crm/v4/associations/contacts/companies/batch/create', {
      inputs: [
        {
          from: { id: c2 },
          to: { id: ids['A'] },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
        },
      ],
    });
    assert.equal(status200.status, 200);
    const partial = await call('POST', '/crm/v4/associations/contacts/companies/batch/create', {
      inputs: [
        {
          from: { id: '999999' },
          to: { id: ids['A'] },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
        },
      ],
    });
    assert.equal(partial.status, 207);
    assert.deepEqual(partial.json.errors[0].context.ids, ['999999']);
    const read = await call('POST', '/crm/v4/associations/companies/contacts/batch/read', {
      inputs: [{ id: ids['A'] }, { id: ids['B'] }],
    });
    assert.equal(read.status, 207);
    assert.deepEqual(
      read.json.results[0].to.map((t: { toObjectId: string }) => t.toObjectId),
      [c1, c2],
    );
    assert.equal(read.json.results[0].to[0].associationTypes[0].typeId, 280);
    const v3 = await call('GET', `/crm/v3/objects/companies/${ids['A']}?associations=contacts`);
    assert.equal(v3.json.associations.contacts.results.length, 2);
    const archived = await call('POST', '/crm/v4/associations/companies/contacts/batch/archive', {
      inputs: [{ from: { id: ids['A'] }, to: [{ id: c1 }] }],
    });
    assert.equal(archived.status, 204);
    assert.deepEqual(sim.control.dump().contacts.find((c) => c.id === c1)?.associations, {});
  });
});
