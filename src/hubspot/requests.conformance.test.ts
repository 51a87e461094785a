import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateRequest } from '../../sim/hubspot/openapi-validator.js';
import { ManualClock } from '../core/manual-clock.js';
import {
  companies,
  OAUTH,
  recordingTransport,
  type Sim,
  simClient,
  startSim,
} from './testing/sim-harness.js';

/**
 * Every request the client sends in a full flow (setup, option PATCH, company and contact upserts,
 * associations, batch read, list, archive, OAuth refresh) is checked against HubSpot's official OpenAPI
 * request schemas, through the simulator's validator (with its documented relaxations for spec errors).
 */
describe('HubSpot client requests conform to the official OpenAPI specs', () => {
  let sim: Sim;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 9));
  before(async () => {
    sim = await startSim(clock, { batchValidation: 'reject-batch' });
  });
  after(async () => {
    await sim.close();
  });

  it('validates every request body and path', async () => {
    const { transport, sent } = recordingTransport();
    const client = simClient(sim, clock, transport, { auth: { kind: 'oauth', ...OAUTH } });
    // An enumeration missing one of our options makes setup PATCH it.
    await client.http.request({
      method: 'POST',
      path: '/crm/v3/properties/contacts',
      body: {
        name: 'epicor_record_type',
        label: 'Epicor record type',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'contactinformation',
        options: [{ label: 'Vendor contact', value: 'vendor_contact', hidden: false }],
      },
    });
    const report = await client.ensureSchema();
    assert.deepEqual(report.optionsAdded, ['contacts.epicor_record_type']);

    const records = companies(120);
    const bad = records[5];
    assert.ok(bad);
    bad.properties = { ...bad.properties, epicor_record_type: 'nope' };
    const outcomes = await client.upsertCompanies(records);
    const company = outcomes.find((o) => o.status === 'created');
    const contacts = await client.upsertContacts([
      { sourceId: 'P:1', properties: { email: 'a@example.com', firstname: 'A' } },
      { sourceId: 'P:2', properties: { firstname: 'B' } },
    ]);
    await client.associateContactsWithCompanies(
      contacts.map((c) => ({ contactId: c.hubspotId ?? '', companyId: company?.hubspotId ?? '' })),
    );
    await client.readBySourceIds('companies', ['EPIC01:vendor:1', 'missing'], { properties: ['name'] });
    for await (const _ of client.iterateConnectorObjects('contacts')) {
      // drain
    }
    await client.archive('companies', [company?.hubspotId ?? '']);
    await client.http.request({
      method: 'POST',
      path: '/crm/v3/objects/companies/search',
      limiter: 'search',
      body: {
        filterGroups: [{ filters: [{ propertyName: 'epicor_source_id', operator: 'HAS_PROPERTY' }] }],
        limit: 10,
      },
    });

    const kinds = new Set<string>();
    const problems: string[] = [];
    for (const request of sent) {
      const body =
        request.path === '/oauth/v1/token' && typeof request.body === 'string'
          ? Object.fromEntries(new URLSearchParams(request.body))
          : request.body;
      const result = validateRequest(request.path, request.method, body);
      kinds.add(result.matched ?? `${request.method} ${request.path}`);
      if (!result.valid) problems.push(`${request.method} ${request.path}: ${result.errors.join('; ')}`);
    }
    assert.deepEqual(problems, []);
    // The flow really exercised every kind of request the client makes.
    for (const expected of [
      'POST /oauth/v1/token (request)',
      'GET /crm/v3/properties/{objectType}/groups/{groupName} (request)',
      'POST /crm/v3/properties/{objectType}/groups (request)',
      'GET /crm/v3/properties/{objectType}/{propertyName} (request)',
      'POST /crm/v3/properties/{objectType} (request)',
      'PATCH /crm/v3/properties/{objectType}/{propertyName} (request)',
      'POST /crm/v3/objects/companies/batch/upsert (request)',
      'POST /crm/v3/objects/contacts/batch/upsert (request)',
      'POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default (request)',
      'POST /crm/v3/objects/companies/batch/read (request)',
      'GET /crm/v3/objects/contacts (request)',
      'POST /crm/v3/objects/companies/batch/archive (request)',
      'POST /crm/v3/objects/companies/search (request)',
    ]) {
      assert.ok(kinds.has(expected), `${expected} not exercised; saw ${[...kinds].join(', ')}`);
    }
  });
});
