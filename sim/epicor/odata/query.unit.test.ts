import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/core/manual-clock.js';
import { seededRandom } from '../../../src/core/random.js';
import { EpicorStore, type StoredRow } from '../data/store.js';
import { ENTITY_SETS, fieldsOf } from '../schema.js';
import { ODataQueryError } from './errors.js';
import { compileQuery, type QueryTarget, runQuery } from './query.js';

const store = new EpicorStore({
  seed: 7,
  vendors: 40,
  customers: 400,
  companies: ['EPIC06'],
  sysRevIdStart: 1_000_000n,
  timeZone: 'America/Chicago',
  updatedOnColumn: 'UpdatedOn',
  massUpdateSize: 120,
  clock: new ManualClock(Date.UTC(2026, 2, 16, 12)),
  changedBy: 'manager',
});
const customers = store.table('Customers', 'EPIC06');

function target(name: 'Customers' | 'Vendors' | 'VendCntMains'): QueryTarget {
  const fieldList = fieldsOf(ENTITY_SETS[name], 'UpdatedOn');
  const child = name === 'Vendors' ? new Map([['VendCntMains', target('VendCntMains')]]) : new Map();
  return {
    qualifiedType: `Erp.Tablesets.${ENTITY_SETS[name].rowType}`,
    fields: new Map(fieldList.map((f) => [f.name, f])),
    fieldList,
    navigations: child,
    timeZone: 'America/Chicago',
    dateTimeLiterals: 'tenant-zone',
    stringComparison: 'ordinal',
  };
}

const CUSTOMERS = target('Customers');

function run(options: Record<string, string>, indexed: boolean, defaultTop = 100): readonly StoredRow[] {
  const query = compileQuery(new Map(Object.entries(options)), CUSTOMERS);
  const source = indexed
    ? { rows: customers.rows, leadingKey: 'CustNum', sortedBy: customers.sortedBy.bind(customers) }
    : customers.rows;
  return runQuery(source, query, CUSTOMERS, defaultTop).rows;
}

const nums = (rows: readonly StoredRow[]): number[] => rows.map((r) => r.values['CustNum'] as number);

describe('query options', () => {
  it('caps rows at the default top when $top is absent, and honours $top/$skip', () => {
    assert.equal(run({}, false).length, 100);
    assert.equal(run({}, false, 7).length, 7);
    const all = nums(run({ $top: '1000' }, false));
    assert.equal(all.length, 400);
    assert.deepEqual(nums(run({ $top: '5', $skip: '10' }, false)), all.slice(10, 15));
    assert.deepEqual(nums(run({ $top: '0' }, false)), []);
  });

  it('keeps key order without $orderby', () => {
    const all = nums(run({ $top: '1000' }, false));
    assert.deepEqual(
      all,
      [...all].sort((a, b) => a - b),
    );
  });

  it('orders by several keys, asc and desc, stable on ties', () => {
    const rows = run({ $orderby: 'ChangeDate desc,ChangeTime desc,CustNum', $top: '1000' }, false);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]?.values as Record<string, number | string>;
      const b = rows[i]?.values as Record<string, number | string>;
      const cmp =
        (a['ChangeDate'] as string) > (b['ChangeDate'] as string)
          ? -1
          : (a['ChangeDate'] as string) < (b['ChangeDate'] as string)
            ? 1
            : (b['ChangeTime'] as number) - (a['ChangeTime'] as number) ||
              (a['CustNum'] as number) - (b['CustNum'] as number);
      assert.ok(cmp < 0, `row ${i} out of order`);
    }
  });

  it('counts matches before paging with $count=true', () => {
    const query = compileQuery(
      new Map([
        ['$count', 'true'],
        ['$top', '3'],
        ['$filter', "CustomerType eq 'CUS'"],
      ]),
      CUSTOMERS,
    );
    const result = runQuery(customers.rows, query, CUSTOMERS, 100);
    const expected = customers.rows.filter((r) => r.values['CustomerType'] === 'CUS').length;
    assert.equal(result.count, expected);
    assert.equal(result.rows.length, 3);
  });

  it('validates $select, $orderby, $top, $skip, $count and $expand', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [
        { $select: 'CustNum,Nope' },
        /Could not find a property named 'Nope' on type 'Erp.Tablesets.CustomerRow'/,
      ],
      [{ $orderby: 'Nope' }, /property named 'Nope'/],
      [{ $orderby: 'CustNum sideways' }, /Syntax error/],
      [{ $top: '-1' }, /\$top/],
      [{ $top: 'ten' }, /\$top/],
      [{ $skip: '1.5' }, /\$skip/],
      [{ $count: 'yes' }, /count/],
      [{ $expand: 'ShipToes' }, /property named 'ShipToes'/],
      [{ $Filter: 'CustNum eq 1' }, /not supported/],
    ];
    for (const [options, pattern] of bad) {
      assert.throws(
        () => compileQuery(new Map(Object.entries(options)), CUSTOMERS),
        (error: unknown) => error instanceof ODataQueryError && pattern.test(error.message),
        JSON.stringify(options),
      );
    }
  });

  it('parses nested $expand options', () => {
    const query = compileQuery(
      new Map([
        ['$expand', 'VendCntMains($select=ConNum,EmailAddress;$filter=ConNum gt 1;$orderby=ConNum desc)'],
      ]),
      target('Vendors'),
    );
    const expand = query.expand[0];
    assert.equal(expand?.navigation, 'VendCntMains');
    assert.deepEqual(expand?.query.select, ['ConNum', 'EmailAddress']);
    assert.equal(expand?.query.orderBy[0]?.descending, true);
    assert.ok(expand?.query.filter);
  });

  it('gives the same pages through the sorted index as through a full scan', () => {
    const random = seededRandom(99);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const revs = customers.rows.map((r) => r.values['SysRevID'] as bigint);
    for (let i = 0; i < 300; i++) {
      const lead = pick(['CustNum', 'SysRevID', 'ChangeDate', 'UpdatedOn', 'Name', 'CustID']);
      const second = pick(['', ',CustNum', ',ChangeTime desc,CustNum', ',Name desc']);
      const bound =
        lead === 'CustNum'
          ? `CustNum gt ${Math.floor(random() * 420)}`
          : lead === 'SysRevID'
            ? `SysRevID ge ${pick(revs)}`
            : lead === 'ChangeDate' || lead === 'UpdatedOn'
              ? `${lead} ge 2025-0${1 + Math.floor(random() * 9)}-15T00:00:00Z`
              : `${lead} gt '${pick(['A', 'M', 'O', 'C001'])}'`;
      const extra = pick(['', " and CustomerType eq 'CUS'", ' and not Inactive', ' or CustNum lt 5']);
      const options = {
        $filter: `${bound}${extra}`,
        $orderby: `${lead}${second}`,
        $top: String(1 + Math.floor(random() * 150)),
        ...(random() < 0.3 ? { $skip: String(Math.floor(random() * 50)) } : {}),
      };
      assert.deepEqual(nums(run(options, true)), nums(run(options, false)), JSON.stringify(options));
      const natural = { $filter: `CustNum gt ${Math.floor(random() * 420)}${extra}`, $top: options.$top };
      assert.deepEqual(nums(run(natural, true)), nums(run(natural, false)), JSON.stringify(natural));
    }
  });

  it('pages through a mass-update cluster with a composite keyset without losing rows', () => {
    // 120 customers share ChangeDate/ChangeTime; page by (ChangeDate, ChangeTime, CustNum).
    const seen: number[] = [];
    let filter = 'ChangeDate ge 2024-01-01T00:00:00Z';
    for (let page = 0; page < 100; page++) {
      const rows = run({ $filter: filter, $orderby: 'ChangeDate,ChangeTime,CustNum', $top: '37' }, true);
      seen.push(...nums(rows));
      if (rows.length < 37) break;
      const last = rows.at(-1)?.values as Record<string, string | number>;
      const date = String(last['ChangeDate']).slice(0, 10); // Edm.Date literal: compares by calendar day
      filter = `ChangeDate gt ${date} or (ChangeDate eq ${date} and (ChangeTime gt ${last['ChangeTime']} or (ChangeTime eq ${last['ChangeTime']} and CustNum gt ${last['CustNum']})))`;
    }
    assert.equal(seen.length, 400);
    assert.equal(new Set(seen).size, 400);
  });
});
