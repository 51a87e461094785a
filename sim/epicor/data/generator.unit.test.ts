import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTITY_SETS } from '../schema.js';
import { defaultMassUpdateSize, generateCompany, MASS_UPDATE_WALL } from './generator.js';

const options = { seed: 42, company: 'EPIC06', vendors: 300, customers: 300 };

describe('data generator', () => {
  it('is deterministic from the seed and differs across seeds', () => {
    const a = generateCompany(options);
    const b = generateCompany(options);
    assert.deepEqual(a, b);
    const c = generateCompany({ ...options, seed: 43 });
    assert.notDeepEqual(
      a.Vendors.map((r) => r.values['Name']),
      c.Vendors.map((r) => r.values['Name']),
    );
  });

  it('spells every column exactly as the row type declares (no extras)', () => {
    const data = generateCompany(options);
    for (const set of ['Vendors', 'VendCntMains', 'Customers', 'CustCnts'] as const) {
      const declared = new Set(ENTITY_SETS[set].fields.map((f) => f.name));
      declared.delete('SysRevID'); // numbered by the store
      for (const row of data[set]) assert.deepEqual(new Set(Object.keys(row.values)), declared, set);
    }
    const vendor = data.Vendors[0]?.values ?? {};
    assert.ok('ZIP' in vendor && 'EMailAddress' in vendor && 'VendURL' in vendor && !('Zip' in vendor));
    const customer = data.Customers[0]?.values ?? {};
    assert.ok('Zip' in customer && 'CustURL' in customer && 'ChangeTime' in customer && !('ZIP' in customer));
    assert.ok('EmailAddress' in (data.VendCntMains[0]?.values ?? {}));
    assert.ok('EMailAddress' in (data.CustCnts[0]?.values ?? {}));
  });

  it('gives every vendor and customer 0 to 3 contacts with keys that point back', () => {
    const data = generateCompany(options);
    const vendorNums = new Set(data.Vendors.map((r) => r.values['VendorNum']));
    const perVendor = new Map<unknown, number>();
    for (const c of data.VendCntMains) {
      assert.ok(vendorNums.has(c.values['VendorNum']));
      assert.equal(c.values['PurPoint'], '');
      perVendor.set(c.values['VendorNum'], (perVendor.get(c.values['VendorNum']) ?? 0) + 1);
    }
    assert.ok([...perVendor.values()].every((n) => n >= 1 && n <= 3));
    assert.ok(perVendor.size < vendorNums.size, 'some vendors have no contacts');
    const custNums = new Set(data.Customers.map((r) => r.values['CustNum']));
    for (const c of data.CustCnts) assert.ok(custNums.has(c.values['CustNum']));
    assert.ok(
      data.CustCnts.some((c) => c.values['ShipToNum'] !== ''),
      'some contacts sit at a ship-to',
    );
  });

  it('plants awkward data: apostrophes, accents, emoji, long names, bad emails, empty fields', () => {
    const data = generateCompany({ ...options, vendors: 50, customers: 50 });
    for (const set of ['Vendors', 'Customers'] as const) {
      const names = data[set].map((r) => String(r.values['Name']));
      assert.ok(
        names.some((n) => n.includes("'")),
        `${set}: apostrophe`,
      );
      assert.ok(
        names.some((n) => /[À-ž]/.test(n)),
        `${set}: accent`,
      );
      assert.ok(
        names.some((n) => /\p{Extended_Pictographic}/u.test(n)),
        `${set}: emoji`,
      );
      assert.ok(
        names.some((n) => n.length > 100),
        `${set}: long name`,
      );
      const emails = data[set].map((r) => String(r.values['EMailAddress']));
      assert.ok(
        emails.some((e) => e !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)),
        `${set}: invalid email`,
      );
      assert.ok(
        emails.some((e) => e === ''),
        `${set}: empty email`,
      );
    }
    assert.ok(
      data.Vendors.some((r) => String(r.values['VendorID']).includes("'")),
      'VendorID with an apostrophe',
    );
  });

  it('moves the change-time window to end at windowEnd, in whole days', () => {
    const base = generateCompany(options);
    const end = Date.UTC(2026, 10, 26, 15, 30);
    const moved = generateCompany({ ...options, windowEnd: end });
    const shift = (moved.Customers[0]?.modifiedWall ?? 0) - (base.Customers[0]?.modifiedWall ?? 0);
    assert.equal(shift % (24 * 3600 * 1000), 0);
    assert.ok(shift > 0);
    for (const row of moved.Customers) assert.ok(row.modifiedWall <= end, 'no change after the window');
    assert.ok(moved.Customers.some((r) => r.modifiedWall === MASS_UPDATE_WALL + shift));
    // Same data otherwise: only the times move.
    assert.deepEqual(
      moved.Vendors.map((r) => r.values['Name']),
      base.Vendors.map((r) => r.values['Name']),
    );
  });

  it('shares one change timestamp across a mass-update cluster', () => {
    assert.equal(defaultMassUpdateSize(50_000), 1000);
    assert.equal(defaultMassUpdateSize(400), 200);
    assert.equal(defaultMassUpdateSize(50), 25);
    const data = generateCompany({ ...options, customers: 1000 });
    const cluster = data.Customers.filter((r) => r.modifiedWall === MASS_UPDATE_WALL);
    assert.ok(cluster.length >= 200, `cluster of ${cluster.length}`);
    for (const row of cluster) {
      assert.equal(row.values['ChangeDate'], '2025-06-30T00:00:00');
      assert.equal(row.values['ChangeTime'], 7200);
    }
  });

  it('writes ChangeDate as a naive midnight and ChangeTime as seconds since midnight', () => {
    const data = generateCompany(options);
    for (const row of data.Customers) {
      assert.match(String(row.values['ChangeDate']), /^\d{4}-\d{2}-\d{2}T00:00:00$/);
      const t = row.values['ChangeTime'] as number;
      assert.ok(Number.isInteger(t) && t >= 0 && t < 86_400);
    }
    for (const row of data.VendCntMains) assert.match(String(row.values['ChangeDate']), /T00:00:00$/);
  });
});
