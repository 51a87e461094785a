import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { ManualClock } from '../core/manual-clock.js';
import type { StreamCursor } from '../sync/model.js';
import { EpicorClient } from './client.js';
import { collect, simSettings } from './testing/sim.js';

/** Every change strategy, read from scratch and then incrementally from the last cursor. */

const BIG = 2n ** 60n;

let sim: EpicorSimulator;
const simClock = new ManualClock(Date.UTC(2026, 1, 10, 18, 0, 0));

before(async () => {
  sim = await startEpicorSimulator({
    vendors: 300,
    customers: 300,
    seed: 5,
    clock: simClock,
    sysRevIdStart: BIG,
    updatedOn: { column: 'UpdatedOn' },
  });
});
after(async () => {
  await sim.close();
});

function client(streams: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  return new EpicorClient(simSettings(sim, { pageSize: 70, streams, ...overrides }), {
    clock: new ManualClock(),
  });
}

function lastPosition(records: readonly { position: StreamCursor }[]): StreamCursor {
  const last = records[records.length - 1];
  assert.ok(last);
  return last.position;
}

function ascending(records: readonly { position: StreamCursor }[]): void {
  for (let i = 1; i < records.length; i++) {
    const a = records[i - 1]?.position;
    const b = records[i]?.position;
    assert.ok(a && b);
    assert.ok(
      a.value < b.value || (a.value === b.value && a.key < b.key),
      `${JSON.stringify(a)} < ${JSON.stringify(b)}`,
    );
  }
}

describe('SysRevID (vendors, default)', () => {
  it('keeps values beyond 2^53 exact and resumes strictly after the cursor', async () => {
    const c = client();
    const all = await collect(c, 'vendor');
    assert.equal(all.records.length, 300);
    ascending(all.records);
    for (const record of all.records.slice(0, 20)) {
      const stored = sim.control.get('Vendors', { VendorNum: Number(record.key) });
      assert.equal(record.fields['SysRevID'], String(stored?.['SysRevID']));
      assert.equal(BigInt(record.position.value), stored?.['SysRevID']);
    }
    assert.ok(BigInt(lastPosition(all.records).value) > BIG + 2n ** 8n);
    const cursor = lastPosition(all.records);
    const changed = [all.records[3], all.records[150], all.records[299]].map((r) => Number(r?.key));
    for (const vendorNum of changed)
      sim.control.update('Vendors', { VendorNum: vendorNum }, { Name: `Renamed ${vendorNum}` });
    const next = await collect(c, 'vendor', { from: cursor });
    assert.deepEqual(
      next.records.map((r) => Number(r.key)).sort((a, b) => a - b),
      [...changed].sort((a, b) => a - b),
    );
    assert.ok(next.records.every((r) => r.position.value > cursor.value));
    assert.match(String(next.pages[0]?.query.params['$filter']), /^\(SysRevID gt \d{19}\) or/);
  });
});

describe('ChangeDate + ChangeTime (customers, customer contacts)', () => {
  it('reads incrementally, re-reading only the cursor second', async () => {
    const c = client();
    const all = await collect(c, 'customer');
    assert.equal(all.records.length, 300);
    ascending(all.records);
    const cursor = lastPosition(all.records);
    const atCursor = all.records.filter((r) => r.position.value === cursor.value).length;
    simClock.advance(60_000);
    sim.control.update('Customers', { CustNum: Number(all.records[0]?.key) }, { City: 'Austin' });
    simClock.advance(1_000);
    sim.control.update('Customers', { CustNum: Number(all.records[10]?.key) }, { City: 'Dallas' });
    const next = await collect(c, 'customer', { from: cursor });
    assert.equal(next.records.length, atCursor + 2);
    assert.deepEqual(
      next.records.slice(-2).map((r) => r.fields['City']),
      ['Austin', 'Dallas'],
    );
    assert.equal(
      next.records.at(-1)?.position.value,
      '2026-02-10T12:01:01',
      'tenant wall clock (America/Chicago)',
    );
  });

  it('catches a write in the same second as the cursor on the next scan (inclusive resume)', async () => {
    const c = client();
    simClock.advance(5_000);
    const rows = sim.control.list('CustCnts');
    const high = rows[rows.length - 1];
    const low = rows[0];
    assert.ok(high && low);
    const keyOf = (r: typeof high) => ({
      CustNum: r['CustNum'],
      ShipToNum: r['ShipToNum'],
      ConNum: r['ConNum'],
    });
    sim.control.update('CustCnts', keyOf(high), { FirstName: 'First' });
    const first = await collect(c, 'customerContact');
    const cursor = lastPosition(first.records);
    // Same second, lower key: sorts before the cursor, so a strict resume would never see it.
    sim.control.update('CustCnts', keyOf(low), { FirstName: 'Second' });
    const next = await collect(c, 'customerContact', { from: cursor });
    assert.ok(next.records.some((r) => r.fields['FirstName'] === 'Second'));
    const strict = await collect(client({ customerContact: { resume: 'exclusive' } }), 'customerContact', {
      from: cursor,
    });
    assert.equal(strict.records.length, 0, 'documents what inclusive resume protects against');
  });
});

describe('ChangeDate only (vendor contacts)', () => {
  it('re-reads the cursor day and finds later changes', async () => {
    const c = client();
    const all = await collect(c, 'vendorContact');
    assert.equal(all.records.length, sim.control.list('VendCntMains').length);
    ascending(all.records);
    assert.match(all.records[0]?.key ?? '', /^\d+\|[^|]*\|\d+$/);
    const cursor = lastPosition(all.records);
    const sameDay = all.records.filter((r) => r.position.value === cursor.value).length;
    simClock.advance(86_400_000);
    const target = all.records[0];
    assert.ok(target);
    sim.control.update(
      'VendCntMains',
      {
        VendorNum: target.fields['VendorNum'],
        PurPoint: target.fields['PurPoint'],
        ConNum: target.fields['ConNum'],
      },
      { FirstName: 'Changed' },
    );
    const next = await collect(c, 'vendorContact', { from: cursor });
    assert.equal(next.records.length, sameDay + 1);
    assert.equal(next.records.at(-1)?.key, target.key);
    assert.equal(next.records.at(-1)?.position.value, '2026-02-11');
  });

  it('can be read through Vendors?$expand=VendCntMains instead (full scan)', async () => {
    const c = client({ vendorContact: { source: { type: 'vendorExpand' } } });
    const { records, pages } = await collect(c, 'vendorContact');
    const expected = sim.control
      .list('VendCntMains')
      .map((r) => `${r['VendorNum']}|${r['PurPoint']}|${r['ConNum']}`);
    assert.deepEqual(new Set(records.map((r) => r.key)), new Set(expected));
    assert.equal(records.length, expected.length);
    assert.equal(pages[0]?.query.params['$expand'], 'VendCntMains');
    assert.equal(
      pages.reduce((n, p) => n + p.rowCount, 0),
      300,
    );
  });
});

describe('datetime column (UpdatedOn, or any name)', () => {
  it('reads incrementally by UpdatedOn', async () => {
    const c = client({ vendor: { change: { strategy: 'datetime', field: 'UpdatedOn' } } });
    const all = await collect(c, 'vendor');
    assert.equal(all.records.length, 300);
    ascending(all.records);
    assert.match(all.records[0]?.position.value ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const cluster = all.records.filter((r) => r.fields['UpdatedOn'] === '2025-06-30T02:00:00');
    assert.ok(cluster.length >= 140, `mass-update cluster of ${cluster.length} crosses pages of 70`);
    const cursor = lastPosition(all.records);
    simClock.advance(1_000);
    sim.control.update('Vendors', { VendorNum: Number(all.records[42]?.key) }, { City: 'Tulsa' });
    const next = await collect(c, 'vendor', { from: cursor });
    assert.equal(next.records.at(-1)?.fields['City'], 'Tulsa');
    assert.equal(next.records.at(-1)?.position.value, new Date(simClock.now()).toISOString());
    const filter = String(next.pages[0]?.query.params['$filter']);
    assert.match(filter, /UpdatedOn ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?-0[56]:00/);
  });

  it('applies the engine lookback in the cursor encoding', async () => {
    const c = client({ vendor: { change: { strategy: 'datetime', field: 'UpdatedOn' } } });
    const scan = c.scan('vendor', {
      from: { value: '2026-02-10T18:00:00.000Z', key: '0000000001' },
      lookbackMs: 3_600_000,
    });
    const page = (await scan.next()).value;
    await scan.return(undefined);
    assert.equal(page?.query.params['$filter'], 'UpdatedOn ge 2026-02-10T11:00:00-06:00');
  });
});

describe('full scan', () => {
  it('reads everything every time, ignoring the saved cursor', async () => {
    const c = client({ customer: { change: { strategy: 'full' } } });
    const first = await collect(c, 'customer');
    assert.equal(first.records.length, 300);
    const again = await collect(c, 'customer', { from: lastPosition(first.records) });
    assert.equal(again.records.length, 300);
    assert.equal(again.pages[0]?.query.params['$orderby'], 'CustNum');
    assert.equal(again.pages[0]?.query.params['$filter'], undefined);
    assert.equal(
      again.pages[1]?.query.params['$filter'],
      `CustNum gt ${again.pages[0]?.records.at(-1)?.key}`,
    );
  });
});

describe('BAQ source', () => {
  it('pages BaqSvc/{id}/Data with configured key and change columns', async () => {
    const streams = {
      vendor: {
        source: {
          type: 'baq',
          baqId: 'ZVendorChanges',
          keyFields: [{ name: 'Vendor_VendorNum', type: 'int' }],
        },
        change: { strategy: 'datetime', field: 'Calculated_ChangedOn' },
      },
    };
    const c = client(streams);
    const all = await collect(c, 'vendor');
    assert.equal(all.records.length, 300);
    ascending(all.records);
    assert.equal(all.pages[0]?.query.path, 'BaqSvc/ZVendorChanges/Data');
    const cursor = lastPosition(all.records);
    simClock.advance(2_000);
    const vendorNum = Number(all.records[7]?.key);
    sim.control.update('Vendors', { VendorNum: vendorNum }, { Name: 'BAQ change' });
    const next = await collect(c, 'vendor', { from: cursor });
    assert.equal(next.records.at(-1)?.fields['Vendor_Name'], 'BAQ change');
    assert.equal(next.records.at(-1)?.key, String(vendorNum));
  });
});
