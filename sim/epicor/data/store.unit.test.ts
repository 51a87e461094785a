import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/core/manual-clock.js';
import { EpicorStore, type StoreOptions } from './store.js';

function makeStore(overrides: Partial<StoreOptions> = {}): { store: EpicorStore; clock: ManualClock } {
  const clock = new ManualClock(Date.UTC(2026, 2, 16, 15, 4, 5)); // 10:04:05 in Chicago (CDT)
  const store = new EpicorStore({
    seed: 3,
    vendors: 60,
    customers: 60,
    companies: ['EPIC06', 'EPIC07'],
    sysRevIdStart: 1_000_000n,
    timeZone: 'America/Chicago',
    updatedOnColumn: undefined,
    massUpdateSize: undefined,
    clock,
    changedBy: 'manager',
    ...overrides,
  });
  return { store, clock };
}

describe('EpicorStore', () => {
  it('numbers SysRevIDs uniquely across every table and company, in write order', () => {
    const { store } = makeStore();
    const all: bigint[] = [];
    for (const company of store.companies()) {
      for (const set of ['Vendors', 'VendCntMains', 'Customers', 'CustCnts'] as const) {
        for (const row of store.table(set, company).rows) all.push(row.values['SysRevID'] as bigint);
      }
    }
    assert.equal(new Set(all).size, all.length);
    assert.equal([...all].sort((a, b) => (a < b ? -1 : 1))[0], 1_000_000n);
    assert.equal(store.currentSysRevId, 1_000_000n + BigInt(all.length) - 1n);
    const rev = (row: { values: Readonly<Record<string, unknown>> }): bigint =>
      row.values['SysRevID'] as bigint;
    const customers = [...store.table('Customers', 'EPIC06').rows].sort((a, b) => (rev(a) < rev(b) ? -1 : 1));
    for (let i = 1; i < customers.length; i++) {
      assert.ok(
        (customers[i - 1]?.modifiedWall ?? 0) <= (customers[i]?.modifiedWall ?? 0),
        'later writes, higher SysRevID',
      );
    }
  });

  it('gives each company its own data set', () => {
    const { store } = makeStore();
    const names = (company: string) => store.table('Vendors', company).rows.map((r) => r.values['Name']);
    assert.notDeepEqual(names('EPIC06'), names('EPIC07'));
    assert.ok(store.table('Vendors', 'EPIC07').rows.every((r) => r.values['Company'] === 'EPIC07'));
  });

  it('stamps updates with the clock in the tenant zone and bumps SysRevID', () => {
    const { store } = makeStore({ updatedOnColumn: 'UpdatedOn' });
    const before = store.currentSysRevId;
    const customer = store.update('Customers', 'EPIC06', { CustNum: 1 }, { Name: "O'Neil Ltd" });
    assert.equal(customer.values['Name'], "O'Neil Ltd");
    assert.equal(customer.values['SysRevID'], before + 1n);
    assert.equal(customer.values['ChangeDate'], '2026-03-16T00:00:00');
    assert.equal(customer.values['ChangeTime'], 10 * 3600 + 4 * 60 + 5);
    assert.equal(customer.values['ChangedBy'], 'manager');
    assert.equal(customer.values['UpdatedOn'], '2026-03-16T10:04:05');
    const vendor = store.update('Vendors', 'EPIC06', { VendorNum: 1 }, { Inactive: true });
    assert.equal(vendor.values['SysRevID'], before + 2n, 'one database-wide counter');
    assert.ok(!('ChangeDate' in vendor.values), 'vendors carry no change date');
    assert.equal(store.update('Vendors', 'EPIC06', { VendorNum: '1' }, {}).values['SysRevID'], before + 3n);
  });

  it('rejects unknown columns, key changes and bad values', () => {
    const { store } = makeStore();
    assert.throws(
      () => store.update('Vendors', 'EPIC06', { VendorNum: 1 }, { Zip: '1' }),
      /has no column Zip/,
    );
    assert.throws(
      () => store.update('Vendors', 'EPIC06', { VendorNum: 1 }, { VendorNum: 2 }),
      /part of the key/,
    );
    assert.throws(
      () => store.update('Vendors', 'EPIC06', { VendorNum: 1 }, { Inactive: 'yes' }),
      /cannot take/,
    );
    assert.throws(() => store.update('Vendors', 'EPIC06', { VendorNum: 99999 }, {}), /No Vendors row/);
    assert.throws(() => store.update('Vendors', 'NOPE', { VendorNum: 1 }, {}), /Unknown company/);
  });

  it('inserts with numbered keys and deletes vendors with their contacts', () => {
    const { store } = makeStore();
    const max = Math.max(
      ...store.table('Vendors', 'EPIC06').rows.map((r) => r.values['VendorNum'] as number),
    );
    const vendor = store.insert('Vendors', 'EPIC06', { VendorID: 'NEW1', Name: 'New Vendor' });
    assert.equal(vendor.values['VendorNum'], max + 1);
    assert.equal(vendor.values['RowMod'], '');
    assert.match(String(vendor.values['SysRowID']), /^[0-9a-f-]{36}$/);
    const contact = store.insert('VendCntMains', 'EPIC06', { VendorNum: max + 1, Name: 'Ann' });
    assert.equal(contact.values['ConNum'], 1);
    assert.equal(store.insert('VendCntMains', 'EPIC06', { VendorNum: max + 1 }).values['ConNum'], 2);
    assert.throws(() => store.insert('VendCntMains', 'EPIC06', { VendorNum: 77777 }), /No Vendors row/);
    store.remove('Vendors', 'EPIC06', { VendorNum: max + 1 });
    assert.equal(store.get('Vendors', 'EPIC06', { VendorNum: max + 1 }), undefined);
    assert.equal(store.table('VendCntMains', 'EPIC06').group('VendorNum', max + 1).length, 0);
  });

  it('keeps big SysRevIDs exact', () => {
    const { store } = makeStore({ sysRevIdStart: 2n ** 53n + 10n });
    const row = store.update('Vendors', 'EPIC06', { VendorNum: 1 }, {});
    assert.ok((row.values['SysRevID'] as bigint) > 2n ** 53n + 10n);
  });
});
