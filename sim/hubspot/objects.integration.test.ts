import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/manual-clock.js';
import { type HubSpotSimulator, startHubSpotSimulator } from './index.js';
import { ERP_PROPERTY, simClient } from './test-client.js';

const BATCH_TOO_LARGE =
  'The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again';

describe('HubSpot simulator: objects over HTTP', () => {
  const clock = new ManualClock();
  let sim: HubSpotSimulator;
  let call: ReturnType<typeof simClient>;

  before(async () => {
    sim = await startHubSpotSimulator({ clock, rateLimits: { enabled: false } });
    call = simClient(sim.url);
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.control.reset();
    sim.control.updateSettings({
      batchValidation: 'reject-batch',
      batchResultOrder: 'shuffled',
      searchIndexDelayMs: 0,
    });
    const r = await call('POST', '/crm/v3/properties/companies', ERP_PROPERTY);
    assert.equal(r.status, 201);
  });

  const upsert = (inputs: unknown[], type = 'companies') =>
    call('POST', `/crm/v3/objects/${type}/batch/upsert`, { inputs });
  const erp = (id: string, properties: Record<string, string> = {}, trace?: string) => ({
    idProperty: 'erp_source_id',
    id,
    properties: { erp_source_id: id, name: `Company ${id}`, ...properties },
    ...(trace ? { objectWriteTraceId: trace } : {}),
  });

  it('upserts create then update, with new flags, string values and system properties', async () => {
    const first = await upsert([erp('E1', { type: 'VENDOR', numberofemployees: '12' }), erp('E2')]);
    assert.equal(first.status, 200);
    assert.equal(first.json.status, 'COMPLETE');
    assert.equal(first.json.results.length, 2);
    assert.ok(first.json.results.every((r: { new: boolean }) => r.new === true));
    assert.equal(first.json.numErrors, undefined);
    for (const key of ['startedAt', 'completedAt', 'requestedAt', 'links']) assert.ok(key in first.json, key);
    const e1 = first.json.results.find(
      (r: { properties: { erp_source_id: string } }) => r.properties.erp_source_id === 'E1',
    );
    assert.equal(e1.properties.hs_object_id, e1.id);
    assert.equal(e1.properties.numberofemployees, '12');
    assert.ok(e1.properties.createdate && e1.properties.hs_lastmodifieddate);

    clock.advance(1000);
    const second = await upsert([erp('E1', { name: 'Renamed' })]);
    assert.equal(second.status, 200);
    assert.equal(second.json.results[0].new, false);
    assert.equal(second.json.results[0].id, e1.id);
    assert.equal(second.json.results[0].properties.name, 'Renamed');
    assert.equal(sim.control.count('companies'), 2);
  });

  it('rejects a non-unique idProperty with the documented message (0-2 companies, 0-1 contacts)', async () => {
    const r = await upsert([{ idProperty: 'name', id: 'X', properties: { name: 'X' } }]);
    assert.equal(r.status, 400);
    assert.equal(r.json.category, 'VALIDATION_ERROR');
    assert.equal(
      r.json.message,
      'Unable to perform update/upsert by non-unique 0-2 property name in portal ID 12345678',
    );
    const c = await call('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [{ idProperty: 'email', id: 'a@b.example', properties: { firstname: 'A' } }],
    });
    assert.equal(c.status, 400);
    assert.match(c.json.message, /non-unique 0-1 property email/);
  });

  it('upserts contacts by email (case-insensitive)', async () => {
    const a = await upsert(
      [{ idProperty: 'email', id: 'Ann@Example.com', properties: { firstname: 'Ann' } }],
      'contacts',
    );
    assert.equal(a.status, 200);
    assert.equal(a.json.results[0].properties.email, 'ann@example.com');
    const b = await upsert(
      [{ idProperty: 'email', id: 'ann@example.com', properties: { lastname: 'Lee' } }],
      'contacts',
    );
    assert.equal(b.json.results[0].new, false);
    assert.equal(sim.control.count('contacts'), 1);
  });

  it('refuses more than 100 inputs with the exact documented message', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => erp(`E${i}`));
    const r = await upsert(inputs);
    assert.equal(r.status, 400);
    assert.equal(r.json.message, BATCH_TOO_LARGE);
    assert.equal(r.json.category, 'VALIDATION_ERROR');
    assert.match(r.json.correlationId, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('x-hubspot-correlation-id'), r.json.correlationId);
  });

  it('refuses duplicate ids within one batch', async () => {
    const r = await upsert([erp('D1'), erp('D1')]);
    assert.equal(r.status, 400);
    assert.equal(r.json.category, 'VALIDATION_ERROR');
    assert.deepEqual(r.json.context.ids, ['D1']);
    assert.equal(sim.control.count('companies'), 0);
  });

  it('reject-batch: one invalid input fails the whole batch with the embedded issue array', async () => {
    const r = await upsert([erp('V1'), erp('V2', { type: 'CUSTOMER' }), erp('V3')]);
    assert.equal(r.status, 400);
    assert.ok(r.json.message.startsWith('Property values were not valid: ['));
    const inner = JSON.parse(r.json.message.slice('Property values were not valid: '.length));
    assert.equal(inner[0].error, 'INVALID_OPTION');
    assert.equal(inner[0].name, 'type');
    assert.equal(sim.control.count('companies'), 0, 'nothing written');
  });

  it('multi-status: per-input 207 only when every input has a trace id', async () => {
    sim.control.updateSettings({ batchValidation: 'multi-status' });
    const noTrace = await upsert([erp('M1'), erp('M2', { numberofemployees: 'many' })]);
    assert.equal(noTrace.status, 400);
    const r = await upsert([
      erp('M1', {}, 't1'),
      erp('M2', { numberofemployees: 'many' }, 't2'),
      erp('M3', { bogus: 'x' }, 't3'),
    ]);
    assert.equal(r.status, 207);
    assert.equal(r.json.numErrors, 2);
    assert.equal(r.json.results.length, 1);
    assert.equal(r.json.results[0].objectWriteTraceId, 't1');
    const byTrace = new Map(
      r.json.errors.map((e: { context: { objectWriteTraceId: string[] } }) => [
        e.context.objectWriteTraceId[0],
        e,
      ]),
    );
    assert.match((byTrace.get('t2') as { message: string }).message, /INVALID_NUMBER/);
    assert.match((byTrace.get('t3') as { message: string }).message, /PROPERTY_DOESNT_EXIST/);
    for (const e of r.json.errors) {
      assert.equal(e.status, 'error');
      assert.deepEqual(e.errors, []);
      assert.deepEqual(e.links, {});
    }
  });

  it('batch/create: 201, contact email conflict 409, associations on create', async () => {
    const company = await upsert([erp('C1')]);
    const companyId = company.json.results[0].id;
    const r = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        {
          properties: { email: 'x@y.example', firstname: 'X' },
          associations: [
            {
              to: { id: companyId },
              types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }],
            },
          ],
        },
      ],
    });
    assert.equal(r.status, 201);
    const contactId = r.json.results[0].id;
    assert.deepEqual(sim.control.dump().companies[0]?.associations.contacts, [
      { id: contactId, typeIds: [280] },
    ]);
    const dup = await call('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { email: 'X@y.example' } }],
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.category, 'CONFLICT');
    assert.equal(dup.json.message, `Contact already exists. Existing ID: ${contactId}`);
    const bad = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'not-an-email' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /INVALID_EMAIL/);
  });

  it('batch/read by idProperty: missing ids come in one OBJECT_NOT_FOUND error (207)', async () => {
    await upsert([erp('R1', { phone: '555' })]);
    const r = await call('POST', '/crm/v3/objects/companies/batch/read', {
      idProperty: 'erp_source_id',
      properties: ['name', 'phone', 'city'],
      inputs: [{ id: 'R1' }, { id: 'R404' }, { id: 'R405' }],
    });
    assert.equal(r.status, 207);
    assert.equal(r.json.results[0].properties.phone, '555');
    assert.equal(r.json.results[0].properties.city, null);
    assert.equal(r.json.numErrors, 1);
    assert.equal(r.json.errors[0].category, 'OBJECT_NOT_FOUND');
    assert.deepEqual(r.json.errors[0].context.ids, ['R404', 'R405']);
    const ok = await call('POST', '/crm/v3/objects/companies/batch/read', {
      idProperty: 'erp_source_id',
      inputs: [{ id: 'R1' }],
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.errors, undefined);
  });

  it('batch/update: unknown ids are per-input OBJECT_NOT_FOUND errors echoing the trace id', async () => {
    const created = await upsert([erp('U1')]);
    const id = created.json.results[0].id;
    const r = await call('POST', '/crm/v3/objects/companies/batch/update', {
      inputs: [
        { id, properties: { city: 'Oslo' }, objectWriteTraceId: 'a' },
        { id: '999999', properties: { city: 'X' }, objectWriteTraceId: 'b' },
      ],
    });
    assert.equal(r.status, 207);
    assert.equal(r.json.results[0].properties.city, 'Oslo');
    assert.deepEqual(r.json.errors[0].context, { objectWriteTraceId: ['b'], ids: ['999999'] });
  });

  it('single create/get/patch/delete, get by idProperty, list paging', async () => {
    const created = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Solo', erp_source_id: 'S1' },
    });
    assert.equal(created.status, 201);
    const id = created.json.id;
    const byUnique = await call(
      'GET',
      '/crm/v3/objects/companies/S1?idProperty=erp_source_id&properties=name,erp_source_id',
    );
    assert.equal(byUnique.json.id, id);
    const patched = await call('PATCH', `/crm/v3/objects/companies/${id}`, {
      properties: { city: 'Bergen' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.json.properties.city, 'Bergen');
    for (let i = 0; i < 24; i++)
      await call('POST', '/crm/v3/objects/companies', { properties: { name: `N${i}` } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/crm/v3/objects/companies?limit=10${cursor ? `&after=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.json.results.length <= 10);
      seen.push(...page.json.results.map((r: { id: string }) => r.id));
      cursor = page.json.paging?.next?.after;
    } while (cursor);
    assert.equal(seen.length, 25);
    assert.equal((await call('DELETE', `/crm/v3/objects/companies/${id}`)).status, 204);
    assert.equal((await call('DELETE', '/crm/v3/objects/companies/424242')).status, 204);
    assert.equal((await call('GET', `/crm/v3/objects/companies/${id}`)).status, 404);
    assert.equal((await call('GET', `/crm/v3/objects/companies/${id}?archived=true`)).json.archived, true);
    const archive = await call('POST', '/crm/v3/objects/companies/batch/archive', {
      inputs: [{ id: seen[1] }],
    });
    assert.equal(archive.status, 204);
    assert.equal(sim.control.count('companies'), 23);
  });

  it('a deleted unique value can be upserted again as a new record', async () => {
    const a = await upsert([erp('Z1')]);
    await call('DELETE', `/crm/v3/objects/companies/${a.json.results[0].id}`);
    const b = await upsert([erp('Z1')]);
    assert.equal(b.json.results[0].new, true);
    assert.notEqual(b.json.results[0].id, a.json.results[0].id);
  });

  it('duplicate value of a unique property on create is refused (400 by default, 409 by setting)', async () => {
    await upsert([erp('Q1')]);
    const r = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Other', erp_source_id: 'Q1' },
    });
    assert.equal(r.status, 400);
    assert.match(r.json.message, /already has that value/);
    sim.control.updateSettings({ uniqueValueConflictStatus: 409 });
    const c = await call('POST', '/crm/v3/objects/companies', {
      properties: { name: 'Other', erp_source_id: 'Q1' },
    });
    assert.equal(c.status, 409);
    assert.equal(c.json.category, 'CONFLICT');
    sim.control.updateSettings({ uniqueValueConflictStatus: 400 });
  });
});
