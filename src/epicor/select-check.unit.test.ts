import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityKind } from '../sync/model.js';
import { checkSelect, compareColumns, selectedColumns } from './select-check.js';
import { parseEpicorSettings } from './settings.js';
import { type ResolvedStream, resolveStream } from './streams.js';

function stream(kind: EntityKind, streams: Record<string, unknown> = {}): ResolvedStream {
  const settings = parseEpicorSettings({
    tenantUrl: 'https://erp.example.com/ERP11PROD',
    company: 'EPIC06',
    apiKey: 'k',
    auth: { mode: 'basic', username: 'u', password: 'p' },
    streams,
  });
  return resolveStream(settings, kind);
}

const VENDOR_PROPS = ['Company', 'VendorNum', 'Name', 'City', 'Zip', 'SysRevID', 'Week2Pymt_c'];

describe('compareColumns', () => {
  it('lists the missing columns in order, once, compared exactly', () => {
    const result = compareColumns(['VendorNum', 'ZIP', 'Name', 'Week1Pymt_c', 'ZIP'], VENDOR_PROPS);
    assert.deepEqual(result.missing, ['ZIP', 'Week1Pymt_c']);
    assert.deepEqual(result.sameButCase, { ZIP: 'Zip' });
  });

  it('finds nothing missing when every column exists, UD columns included', () => {
    assert.deepEqual(compareColumns(['Week2Pymt_c', 'City'], VENDOR_PROPS), { missing: [], sameButCase: {} });
  });

  it('treats an empty property list as "everything missing" (callers decide to skip before)', () => {
    assert.deepEqual(compareColumns(['A'], []).missing, ['A']);
  });
});

describe('selectedColumns (the $select paging sends)', () => {
  it('is key, change and configured columns, without repeats', () => {
    const s = stream('vendor', { vendor: { select: ['Name', 'VendorNum', 'ZIP'] } });
    assert.deepEqual(selectedColumns(s), ['VendorNum', 'SysRevID', 'Name', 'ZIP']);
    const c = stream('customer', { customer: { select: ['Name'] } });
    assert.deepEqual(selectedColumns(c), ['CustNum', 'ChangeDate', 'ChangeTime', 'Name']);
  });

  it('is undefined without a select (every column), and the parent keys for vendorExpand', () => {
    assert.equal(selectedColumns(stream('vendor')), undefined);
    const expand = stream('vendorContact', {
      vendorContact: { source: { type: 'vendorExpand', navigation: 'VendCntMains' } },
    });
    assert.deepEqual(selectedColumns(expand), ['Company', 'VendorNum']);
  });
});

describe('checkSelect', () => {
  const withZip = stream('vendor', { vendor: { select: ['Name', 'ZIP', 'Week2Pymt_c'] } });

  it('fails naming the missing columns, with a letter-case hint', () => {
    const check = checkSelect(withZip, { properties: VENDOR_PROPS });
    assert.equal(check.status, 'fail');
    assert.deepEqual(check.missing, ['ZIP']);
    assert.deepEqual(check.columns, ['VendorNum', 'SysRevID', 'Name', 'ZIP', 'Week2Pymt_c']);
    assert.match(
      check.message,
      /^Erp\.BO\.VendorSvc\/Vendors has no ZIP \(per \$metadata\), but \$select asks for it/,
    );
    assert.match(check.message, /\(ZIP: the entity has Zip\)$/);
  });

  it('passes when every column exists', () => {
    const check = checkSelect(withZip, { properties: [...VENDOR_PROPS, 'ZIP'] });
    assert.equal(check.status, 'pass');
    assert.deepEqual(check.missing, []);
    assert.match(check.message, /^all 5 \$select columns exist on Erp\.BO\.VendorSvc\/Vendors/);
  });

  it('passes with no $select (select: all) whatever the metadata says', () => {
    const check = checkSelect(stream('vendor'), { unavailable: 'whatever' });
    assert.equal(check.status, 'pass');
    assert.equal(check.columns, null);
    assert.match(check.message, /no \$select/);
  });

  it('is skipped, not passed, when the columns cannot be listed', () => {
    const unreadable = checkSelect(withZip, { unavailable: 'could not read Erp.BO.VendorSvc/$metadata (X)' });
    assert.equal(unreadable.status, 'skipped');
    assert.match(
      unreadable.message,
      /^not checked: could not read Erp\.BO\.VendorSvc\/\$metadata \(X\); .*HTTP 400/,
    );
    const undescribed = checkSelect(withZip, { properties: [] });
    assert.equal(undescribed.status, 'skipped');
    assert.match(undescribed.message, /\$metadata lists no columns for Erp\.BO\.VendorSvc\/Vendors/);
  });

  it('leaves change columns another check already reports out of its own failure', () => {
    const props = VENDOR_PROPS.filter((p) => p !== 'SysRevID');
    const onlyChange = checkSelect(
      stream('vendor', { vendor: { select: ['Name'] } }),
      { properties: props },
      ['SysRevID'],
    );
    assert.equal(onlyChange.status, 'pass');
    assert.match(
      onlyChange.message,
      /^the other 2 \$select columns exist .*; SysRevID: see the change-column check$/,
    );
    const both = checkSelect(withZip, { properties: props }, ['SysRevID']);
    assert.equal(both.status, 'fail');
    assert.deepEqual(both.missing, ['ZIP']);
  });
});
