/**
 * The built CLI against both simulators: initial sync, a no-change cycle (zero HubSpot requests),
 * k modified → k written, changes made while paging, dry run, reconcile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { E2EWorld } from './testing/e2e.js';

describe('sync end to end (CLI ↔ Epicor simulator ↔ HubSpot simulator)', () => {
  let world: E2EWorld;
  before(async () => {
    world = await E2EWorld.start({ vendors: 30, customers: 30, top: 10 });
  });
  after(async () => {
    await world?.close();
  });

  it('dry run before the first sync lists creates and writes nothing', async () => {
    const { result, json } = await world.cliJson('sync', '--dry-run');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(json.status, 'succeeded');
    const { companies, contacts } = world.expected();
    assert.equal(json.totals['created'], companies.size + contacts.size, 'every record planned as create');
    assert.equal(world.hubspot.control.requestLog().length, 0, 'a dry run sends HubSpot nothing');
  });

  it('initial sync: HubSpot equals Epicor (source ids, record types, VENDOR, associations)', async () => {
    const { result, json } = await world.cliJson('sync');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(json.status, 'succeeded');
    const { companies, contacts } = world.expected();
    assert.ok(contacts.size > 20, `the data set has contacts (${contacts.size})`);
    assert.equal(json.totals['created'], companies.size + contacts.size);
    assert.deepEqual(world.differences(), []);
    assert.ok(json.requests.hubspot > 0 && json.requests.epicor > 0);
  });

  it('a second run with no changes makes zero HubSpot requests', async () => {
    world.hubspot.control.clearRequestLog();
    const before = world.hubspot.control.requestLog().length;
    const { result, json } = await world.cliJson('sync');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(world.hubspot.control.requestLog().length - before, 0);
    assert.equal(json.requests.hubspot, 0);
    assert.equal((json.totals['created'] ?? 0) + (json.totals['updated'] ?? 0), 0);
  });

  it('k modified records → exactly k written', async () => {
    const c = world.epicor.control;
    const vendors = c.list('Vendors').slice(0, 3);
    const customers = c.list('Customers').slice(5, 7);
    for (const v of vendors)
      c.update('Vendors', { VendorNum: Number(v['VendorNum']) }, { Name: `${String(v['Name'])} (renamed)` });
    for (const r of customers)
      c.update('Customers', { CustNum: Number(r['CustNum']) }, { City: 'Springfield' });
    const k = vendors.length + customers.length;
    const start = world.hubspot.control.requestLog().length;
    const { result, json } = await world.cliJson('sync');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(json.totals['updated'], k);
    assert.equal(json.totals['created'], 0);
    const upserts = world.hubspot.control
      .requestLog()
      .slice(start)
      .filter((r) => r.endpoint.includes('batch/upsert'));
    assert.equal(
      upserts.reduce((n, r) => n + (r.inputs ?? 0), 0),
      k,
      'exactly k records sent to HubSpot',
    );
    assert.deepEqual(world.differences(), []);
  });

  it('records changed while paging are all in HubSpot after at most one more cycle', async () => {
    const c = world.epicor.control;
    const vendors = c.list('Vendors');
    const customers = c.list('Customers');
    const pick = [vendors[0], vendors[vendors.length - 1], vendors[15]];
    // Mid-run (after the 2nd data request): change records both behind and ahead of the read position.
    c.applyAfterRequest(c.dataRequestCount + 2, [
      ...pick.map((v) => ({
        op: 'update' as const,
        entity: 'Vendors' as const,
        key: { VendorNum: Number(v?.['VendorNum']) },
        changes: { Name: `Paged ${String(v?.['VendorNum'])}` },
      })),
      {
        op: 'update',
        entity: 'Customers',
        key: { CustNum: Number(customers[0]?.['CustNum']) },
        changes: { Name: 'Changed while paging' },
      },
    ]);
    const first = await world.cli('sync');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      c.get('Customers', { CustNum: Number(customers[0]?.['CustNum']) })?.['Name'],
      'Changed while paging',
      'the mutations were applied during the run',
    );
    const problems = world.differences();
    if (problems.length > 0) {
      const second = await world.cli('sync');
      assert.equal(second.code, 0, second.stderr);
    }
    assert.deepEqual(world.differences(), []);
  });

  it('reconcile reports a record deleted in Epicor without touching HubSpot', async () => {
    const c = world.epicor.control;
    const gone = c.list('Customers').at(-1);
    assert.ok(gone);
    c.delete('Customers', { CustNum: Number(gone['CustNum']) });
    const writes = world.hubspotWrites();
    const { result, json } = await world.cliJson('reconcile');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      (json as unknown as { orphans: { sourceId: string }[] }).orphans.some((o) =>
        o.sourceId.endsWith(`:customer:${String(gone['CustNum'])}`),
      ),
    );
    assert.equal(world.hubspotWrites(), writes, 'report mode writes nothing to HubSpot');
  });
});
