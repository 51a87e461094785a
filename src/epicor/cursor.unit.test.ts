import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  changeColumns,
  changeValueOf,
  decodeKey,
  encodeKey,
  keyColumns,
  keyOf,
  type LiteralStyles,
  positionOf,
  sortableKey,
} from './cursor.js';
import { EpicorDataError } from './errors.js';
import { applyLookback, planPage, startFilter } from './scan-plan.js';
import { parseEpicorSettings } from './settings.js';
import { resolveStream } from './streams.js';

const zone = 'America/Chicago';
const styles: LiteralStyles = { timeZone: zone, dateTimeLiteral: 'offset', dateLiteral: 'offset-midnight' };
const contactKey = [
  { name: 'CustNum', type: 'int' as const },
  { name: 'ShipToNum', type: 'string' as const },
  { name: 'ConNum', type: 'int' as const },
];

function settings(extra: Record<string, unknown> = {}) {
  return parseEpicorSettings({
    tenantUrl: 'https://erp.example.com/ERP11PROD',
    company: 'EPIC06',
    apiKey: 'k-123456',
    auth: { mode: 'basic', username: 'u', password: 'p-secret' },
    timeZone: zone,
    ...extra,
  });
}

describe('key strings', () => {
  it('joins key parts with | and round-trips escapes', () => {
    assert.equal(keyOf({ CustNum: 17, ShipToNum: '', ConNum: 3 }, contactKey), '17||3');
    assert.equal(keyOf({ CustNum: '17', ShipToNum: 'A|B\\C', ConNum: 3 }, contactKey), '17|A\\|B\\\\C|3');
    assert.deepEqual(decodeKey('17|A\\|B\\\\C|3'), ['17', 'A|B\\C', '3']);
    assert.deepEqual(decodeKey(encodeKey(['', '', ''])), ['', '', '']);
    assert.throws(() => keyOf({ CustNum: null, ShipToNum: '', ConNum: 1 }, contactKey), EpicorDataError);
  });

  it('pads integer parts in position keys so string order is key order', () => {
    assert.equal(sortableKey('17||3', contactKey), '0000000017\u001f\u001f0000000003');
    assert.equal(sortableKey('204', [{ name: 'VendorNum', type: 'int' }]), '0000000204');
    const keys = [
      { CustNum: 100, ShipToNum: '', ConNum: 2 },
      { CustNum: 9, ShipToNum: 'B', ConNum: 1 },
      { CustNum: 9, ShipToNum: '', ConNum: 10 },
      { CustNum: 9, ShipToNum: '', ConNum: 2 },
    ].map((row) => positionOf(row, { strategy: 'full' }, contactKey, zone).key);
    assert.deepEqual([...keys].sort(), [keys[3], keys[2], keys[1], keys[0]]);
    // Filters are rebuilt from the parts, padded or not.
    assert.deepEqual(keyColumns(sortableKey("17|O'B|3", contactKey), contactKey), [
      { field: 'CustNum', literal: '17' },
      { field: 'ShipToNum', literal: "'O''B'" },
      { field: 'ConNum', literal: '3' },
    ]);
    assert.throws(() => keyColumns('0000000017\u001f3', contactKey), EpicorDataError);
    assert.equal(keyColumns('A|B', [{ name: 'Code', type: 'string' }])[0]?.literal, "'A|B'");
  });
});

describe('change values', () => {
  it('datetime: naive values are tenant wall time, stored as fixed-width UTC', () => {
    const change = { strategy: 'datetime' as const, field: 'UpdatedOn' };
    assert.equal(
      changeValueOf({ UpdatedOn: '2026-03-16T09:05:00' }, change, zone),
      '2026-03-16T14:05:00.000Z',
    );
    assert.equal(
      changeValueOf({ UpdatedOn: '2026-01-16T09:05:00.5' }, change, zone),
      '2026-01-16T15:05:00.500Z',
    );
    assert.equal(
      changeValueOf({ UpdatedOn: '2026-03-16T09:05:00Z' }, change, zone),
      '2026-03-16T09:05:00.000Z',
    );
    assert.equal(
      changeValueOf({ UpdatedOn: '2026-03-16T09:05:00+02:00' }, change, zone),
      '2026-03-16T07:05:00.000Z',
    );
    assert.equal(changeValueOf({ UpdatedOn: null }, change, zone), '');
    assert.throws(() => changeValueOf({ UpdatedOn: 'yesterday' }, change, zone), EpicorDataError);
  });

  it('changeDateTime: tenant wall clock of ChangeDate + ChangeTime seconds', () => {
    const change = { strategy: 'changeDateTime' as const, dateField: 'ChangeDate', timeField: 'ChangeTime' };
    assert.equal(
      changeValueOf({ ChangeDate: '2026-03-16T00:00:00', ChangeTime: 32_700 }, change, zone),
      '2026-03-16T09:05:00',
    );
    assert.equal(
      changeValueOf({ ChangeDate: '2026-03-16', ChangeTime: 0 }, change, zone),
      '2026-03-16T00:00:00',
    );
    // A server that writes local midnight as UTC still means the tenant's date.
    assert.equal(
      changeValueOf({ ChangeDate: '2026-03-16T05:00:00Z', ChangeTime: 1 }, change, zone),
      '2026-03-16T00:00:01',
    );
    assert.equal(
      changeValueOf({ ChangeDate: '2026-03-16', ChangeTime: 86_399 }, change, zone),
      '2026-03-16T23:59:59',
    );
    assert.equal(changeValueOf({ ChangeDate: null, ChangeTime: 5 }, change, zone), '');
  });

  it('sysRevId: exact beyond 2^53, zero-padded so string order is numeric order', () => {
    const change = { strategy: 'sysRevId' as const, field: 'SysRevID' };
    const big = '9007199254740993';
    assert.equal(changeValueOf({ SysRevID: big }, change, zone), `0000${big}`);
    assert.equal(changeValueOf({ SysRevID: 42 }, change, zone), '00000000000000000042');
    assert.ok(
      changeValueOf({ SysRevID: 999 }, change, zone) <
        changeValueOf({ SysRevID: '18446744073709551615' }, change, zone),
    );
    assert.throws(() => changeValueOf({ SysRevID: 1.5 }, change, zone), EpicorDataError);
    assert.deepEqual(changeColumns(`0000${big}`, change, styles), [{ field: 'SysRevID', literal: big }]);
  });

  it('writes cursor values back as unquoted filter literals', () => {
    assert.deepEqual(
      changeColumns('2026-03-16T14:05:00.000Z', { strategy: 'datetime', field: 'UpdatedOn' }, styles),
      [{ field: 'UpdatedOn', literal: '2026-03-16T09:05:00-05:00' }],
    );
    assert.deepEqual(
      changeColumns(
        '2026-03-16T14:05:00.250Z',
        { strategy: 'datetime', field: 'X_c' },
        { ...styles, dateTimeLiteral: 'utc' },
      ),
      [{ field: 'X_c', literal: '2026-03-16T14:05:00.250Z' }],
    );
    assert.deepEqual(
      changeColumns(
        '2026-03-16T09:05:00',
        { strategy: 'changeDateTime', dateField: 'ChangeDate', timeField: 'ChangeTime' },
        styles,
      ),
      [
        { field: 'ChangeDate', literal: '2026-03-16T00:00:00-05:00' },
        { field: 'ChangeTime', literal: '32700' },
      ],
    );
    assert.deepEqual(changeColumns('2026-07-01', { strategy: 'changeDate', field: 'ChangeDate' }, styles), [
      { field: 'ChangeDate', literal: '2026-07-01T00:00:00-05:00' },
    ]);
    assert.throws(
      () => changeColumns('garbage', { strategy: 'changeDate', field: 'ChangeDate' }, styles),
      EpicorDataError,
    );
  });
});

describe('page planning', () => {
  it('keyset: first page from the start filter, later pages after the last row', () => {
    const stream = resolveStream(settings(), 'vendor');
    const from = { value: '00000000000000001000', key: '0000000204' };
    const start = startFilter(stream, { from, lookbackMs: 0 }, styles);
    assert.equal(start, '(SysRevID gt 1000) or (SysRevID eq 1000 and VendorNum gt 204)');
    assert.deepEqual(
      planPage(stream, { paging: 'keyset', start, after: null, pageIndex: 0, pageSize: 100 }, styles),
      {
        $filter: start,
        $orderby: 'SysRevID,VendorNum',
        $top: 100,
      },
    );
    const after = { value: '00000000000000001100', key: '0000000007' };
    assert.deepEqual(
      planPage(stream, { paging: 'keyset', start, after, pageIndex: 1, pageSize: 100 }, styles),
      {
        $filter: '(SysRevID gt 1100) or (SysRevID eq 1100 and VendorNum gt 7)',
        $orderby: 'SysRevID,VendorNum',
        $top: 100,
      },
    );
  });

  it('skip: keeps the start filter and offsets by whole pages', () => {
    const stream = resolveStream(settings(), 'vendor');
    const plan = planPage(
      stream,
      { paging: 'skip', start: 'SysRevID gt 5', after: { value: '9', key: '1' }, pageIndex: 3, pageSize: 50 },
      styles,
    );
    assert.deepEqual(plan, {
      $filter: 'SysRevID gt 5',
      $orderby: 'SysRevID,VendorNum',
      $top: 50,
      $skip: 150,
    });
  });

  it('resumes inclusively for time-based strategies and applies lookback in the tenant zone', () => {
    const stream = resolveStream(settings(), 'customer');
    const from = { value: '2026-03-16T09:05:00', key: '0000000042' };
    assert.equal(
      startFilter(stream, { from, lookbackMs: 0 }, styles),
      '(ChangeDate gt 2026-03-16T00:00:00-05:00) or (ChangeDate eq 2026-03-16T00:00:00-05:00 and ChangeTime ge 32700)',
    );
    assert.equal(applyLookback(from.value, stream, 10 * 60_000, zone), '2026-03-16T08:55:00');
    assert.equal(applyLookback('2026-03-16T00:02:00', stream, 5 * 60_000, zone), '2026-03-15T23:57:00');
    const vc = resolveStream(settings(), 'vendorContact');
    assert.equal(applyLookback('2026-03-16', vc, 5 * 60_000, zone), '2026-03-16');
    assert.equal(applyLookback('2026-03-16', vc, 86_400_000, zone), '2026-03-15');
    const vendor = resolveStream(settings(), 'vendor');
    assert.equal(applyLookback('00000000000000000042', vendor, 86_400_000, zone), '00000000000000000042');
  });

  it('full scans ignore the saved cursor; vendorExpand selects keys and expands contacts', () => {
    const full = resolveStream(
      settings({ streams: { customer: { change: { strategy: 'full' } } } }),
      'customer',
    );
    assert.equal(
      startFilter(full, { from: { value: '', key: '0000000009' }, lookbackMs: 0 }, styles),
      undefined,
    );
    const expand = resolveStream(
      settings({ streams: { vendorContact: { source: { type: 'vendorExpand' } } } }),
      'vendorContact',
    );
    assert.deepEqual(
      planPage(
        expand,
        { paging: 'keyset', start: undefined, after: null, pageIndex: 0, pageSize: 10 },
        styles,
      ),
      {
        $select: 'Company,VendorNum',
        $orderby: 'VendorNum',
        $top: 10,
        $expand: 'VendCntMains',
      },
    );
  });

  it('always selects key and change columns with a configured $select; BAQs use their own columns', () => {
    const s = settings({
      streams: {
        vendor: {
          source: {
            type: 'baq',
            baqId: 'ZVendorChanges',
            keyFields: [{ name: 'Vendor_VendorNum', type: 'int' }],
          },
          change: { strategy: 'datetime', field: 'Calculated_ChangedOn' },
          select: ['Vendor_Name', 'Vendor_VendorNum'],
        },
      },
    });
    const stream = resolveStream(s, 'vendor');
    assert.equal(stream.path, 'BaqSvc/ZVendorChanges/Data');
    assert.equal(stream.resume, 'inclusive');
    assert.deepEqual(
      planPage(
        stream,
        { paging: 'keyset', start: undefined, after: null, pageIndex: 0, pageSize: 5 },
        styles,
      ),
      {
        $select: 'Vendor_VendorNum,Calculated_ChangedOn,Vendor_Name',
        $orderby: 'Calculated_ChangedOn,Vendor_VendorNum',
        $top: 5,
      },
    );
  });
});
