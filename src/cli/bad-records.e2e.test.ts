/**
 * Records the mapping or HubSpot rejects (invalid email, a value HubSpot answers INVALID_OPTION for, an
 * over-long name): the rest syncs, the bad ones are listed with reasons in the result and the store's
 * audit trail, and once fixed in Epicor, `replay --failed` (and the next cycle) lands them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONNECTION, E2EWorld, type JsonReport } from './testing/e2e.js';

const MAPPING = `      rules:
        invalidEmail: set-aside
        tooLong: set-aside
      vendors:
        fields:
          - to: vendor_group
            from: GroupCode`;

describe('bad records end to end (CLI ↔ simulators)', () => {
  let world: E2EWorld;
  let initial: JsonReport;
  before(async () => {
    world = await E2EWorld.start({ vendors: 24, customers: 24, top: 8, seed: 11, mappingYaml: MAPPING });
    // A portal enumeration the mapper knows nothing about: HubSpot itself answers INVALID_OPTION.
    const response = await fetch(`${world.hubspot.url}/crm/v3/properties/companies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${world.hubspot.control.privateAppToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: 'vendor_group',
        label: 'Vendor group',
        groupName: 'companyinformation',
        type: 'enumeration',
        fieldType: 'select',
        options: ['RAW', 'SVC', 'MRO'].map((v, i) => ({
          label: v,
          value: v,
          displayOrder: i,
          hidden: false,
        })),
      }),
    });
    assert.equal(response.status, 201, await response.text());
    const first = await world.cliJson('sync');
    initial = first.json;
  });
  after(async () => {
    await world?.close();
  });

  it('the seeded data has contacts with unusable emails: set aside with the reason, the rest synced', () => {
    assert.equal(initial.status, 'partial');
    assert.ok(initial.failures.length > 0);
    for (const f of initial.failures) {
      assert.equal(f.category, 'mapping', JSON.stringify(f));
      assert.match(f.message, /not a valid email/);
    }
    const bad = new Set(initial.failures.map((f) => f.sourceId));
    for (const problem of world.differences()) {
      assert.ok(
        [...bad].some((id) => problem.includes(id)),
        problem,
      );
    }
  });

  it('new bad records are listed with reasons, and land once fixed in Epicor and replayed', async () => {
    const c = world.epicor.control;
    const vendor = c.list('Vendors')[2];
    const customer = c.list('Customers')[3];
    const natural = new Set(initial.failures.map((f) => f.sourceId));
    const contact = c
      .list('CustCnts')
      .find(
        (r) => ![...natural].some((id) => id.startsWith(`EPIC06:customer-contact:${String(r['CustNum'])}:`)),
      );
    assert.ok(vendor && customer && contact);
    const vendorKey = { VendorNum: Number(vendor['VendorNum']) };
    const customerKey = { CustNum: Number(customer['CustNum']) };
    const contactKey = {
      CustNum: Number(contact['CustNum']),
      ShipToNum: String(contact['ShipToNum']),
      ConNum: Number(contact['ConNum']),
    };
    c.update('Vendors', vendorKey, { GroupCode: 'BOGUS' });
    c.update('Customers', customerKey, { Name: 'N'.repeat(300) });
    c.update('CustCnts', contactKey, { EMailAddress: 'nobody at nowhere' });

    const { result, json } = await world.cliJson('sync');
    assert.equal(result.code, 4, result.stderr);
    assert.equal(json.status, 'partial');
    const vendorId = `EPIC06:vendor:${vendorKey.VendorNum}`;
    const customerId = `EPIC06:customer:${customerKey.CustNum}`;
    const contactId = `EPIC06:customer-contact:${contactKey.CustNum}:${contactKey.ShipToNum}:${contactKey.ConNum}`;
    const bad = new Map(json.failures.map((f) => [f.sourceId, f]));
    assert.deepEqual([...bad.keys()].sort(), [contactId, customerId, vendorId].sort());
    assert.equal(bad.get(vendorId)?.category, 'invalid_option');
    assert.match(bad.get(customerId)?.message ?? '', /255|long/i);
    assert.match(bad.get(contactId)?.message ?? '', /not a valid email/);

    // The store's audit trail lists each with its reason.
    await world.withContext(async (ctx) => {
      const row = await ctx.store.connections.getByName(CONNECTION);
      const page = await ctx.store.audit.query({
        connectionId: row?.id ?? 0,
        actions: ['failed'],
        limit: 1000,
      });
      for (const id of [vendorId, customerId, contactId]) {
        const rows = page.rows.filter((r) => r.sourceId === id);
        assert.ok(rows.length > 0, `audit lists ${id}`);
        assert.ok(rows.every((r) => (r.errorMessage ?? '') !== '' && r.errorCategory !== null));
      }
    });

    // Fix everything in Epicor (the seeded bad emails too), then replay.
    c.update('Vendors', vendorKey, { GroupCode: 'RAW' });
    c.update('Customers', customerKey, { Name: 'Fixed customer' });
    c.update('CustCnts', contactKey, { EMailAddress: 'fixed.contact@example.com' });
    for (const id of natural) {
      const [, type, parent, middle, con] = id.split(':');
      if (type === 'vendor-contact') {
        c.update(
          'VendCntMains',
          { VendorNum: Number(parent), PurPoint: middle ?? '', ConNum: Number(con) },
          {
            EmailAddress: `fixed.${String(con)}.${String(parent)}@example.com`,
          },
        );
      } else {
        c.update(
          'CustCnts',
          { CustNum: Number(parent), ShipToNum: middle ?? '', ConNum: Number(con) },
          {
            EMailAddress: `fixed.${String(con)}.${String(parent)}@example.com`,
          },
        );
      }
    }
    const replay = await world.cliJson('replay', '--failed');
    assert.equal(replay.result.code, 0, replay.result.stderr + JSON.stringify(replay.json.failures));
    assert.equal(replay.json.status, 'succeeded');
    const next = await world.cli('sync');
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(world.differences(), []);
    assert.equal(
      world.hubspot.control.findByProperty('companies', 'epicor_source_id', vendorId)?.properties[
        'vendor_group'
      ],
      'RAW',
    );
    // Every record now has a successful write in the audit trail.
    await world.withContext(async (ctx) => {
      const row = await ctx.store.connections.getByName(CONNECTION);
      for (const id of [vendorId, customerId, contactId, ...natural]) {
        const last = await ctx.store.audit.latestFor(row?.id ?? 0, id);
        assert.ok(last !== undefined && last.action !== 'failed', `${id}: last ${last?.action}`);
        const written = await ctx.store.audit.query({
          connectionId: row?.id ?? 0,
          sourceId: id,
          actions: ['created', 'updated'],
        });
        assert.ok(written.rows.length > 0, `${id} has a successful write`);
      }
    });
  });
});
