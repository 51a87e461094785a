import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { andFilters, intLiteral, queryParameters, stringLiteral, tupleAfter } from './odata.js';
import {
  baqPath,
  canonicalServiceName,
  normaliseBaseUrl,
  odataRoot,
  servicePath,
  withQuery,
} from './urls.js';

describe('OData literals', () => {
  it('quotes strings and doubles embedded quotes', () => {
    assert.equal(stringLiteral("O'Brien"), "'O''Brien'");
    assert.equal(stringLiteral(''), "''");
    assert.equal(stringLiteral("''"), "''''''");
  });

  it('writes integers bare, keeping bigints exact and dropping padding', () => {
    assert.equal(intLiteral(204), '204');
    assert.equal(intLiteral('18446744073709551615'), '18446744073709551615');
    assert.equal(intLiteral(2n ** 63n), '9223372036854775808');
    assert.equal(intLiteral('0000000017'), '17');
    assert.equal(intLiteral('0'), '0');
    assert.equal(intLiteral('-0042'), '-42');
    assert.throws(() => intLiteral('12a'), TypeError);
    assert.throws(() => intLiteral('1; drop'), TypeError);
  });
});

describe('tupleAfter (keyset predicate)', () => {
  it('compares a single column strictly', () => {
    assert.equal(tupleAfter([{ field: 'VendorNum', literal: '5' }]), 'VendorNum gt 5');
  });

  it('expands a change value plus a compound key lexicographically', () => {
    assert.equal(
      tupleAfter([
        { field: 'ChangeDate', literal: 'D' },
        { field: 'CustNum', literal: '17' },
        { field: 'ShipToNum', literal: "''" },
        { field: 'ConNum', literal: '3' },
      ]),
      '(ChangeDate gt D) or (ChangeDate eq D and CustNum gt 17) or ' +
        "(ChangeDate eq D and CustNum eq 17 and ShipToNum gt '') or " +
        "(ChangeDate eq D and CustNum eq 17 and ShipToNum eq '' and ConNum gt 3)",
    );
  });

  it('ends with ge when inclusive', () => {
    assert.equal(
      tupleAfter(
        [
          { field: 'ChangeDate', literal: 'D' },
          { field: 'ChangeTime', literal: '60' },
        ],
        true,
      ),
      '(ChangeDate gt D) or (ChangeDate eq D and ChangeTime ge 60)',
    );
  });

  it('treats a null change value as "first" (nulls sort first)', () => {
    assert.equal(
      tupleAfter([
        { field: 'UpdatedOn', literal: null },
        { field: 'VendorNum', literal: '9' },
      ]),
      '(UpdatedOn ne null) or (UpdatedOn eq null and VendorNum gt 9)',
    );
    assert.equal(tupleAfter([{ field: 'UpdatedOn', literal: null }], true), undefined);
    assert.equal(tupleAfter([]), undefined);
  });

  it('joins filters with and, parenthesised', () => {
    assert.equal(andFilters(undefined, 'a eq 1'), 'a eq 1');
    assert.equal(andFilters('a eq 1', 'b gt 2 or c'), '(a eq 1) and (b gt 2 or c)');
    assert.equal(andFilters(undefined, ''), undefined);
  });
});

describe('query parameters and URLs', () => {
  it('orders $ options stably, drops $skip=0 and appends BAQ parameters', () => {
    assert.deepEqual(
      queryParameters(
        { $top: 100, $orderby: 'A,B', $filter: 'A gt 1', $skip: 0, $select: 'A' },
        { Plant: 'MfgSys' },
      ),
      [
        ['$select', 'A'],
        ['$filter', 'A gt 1'],
        ['$orderby', 'A,B'],
        ['$top', '100'],
        ['Plant', 'MfgSys'],
      ],
    );
  });

  it('percent-encodes values, keeps $ names literal and encodes the Company segment', () => {
    const url = withQuery(
      `${odataRoot('https://h/ERP', 'A B/C')}/${servicePath('erp.bo.VendorSvc', 'Vendors')}`,
      [['$filter', "Name eq 'O''B & C'"]],
    );
    assert.equal(
      url,
      "https://h/ERP/api/v2/odata/A%20B%2FC/Erp.BO.VendorSvc/Vendors?$filter=Name%20eq%20'O''B%20%26%20C'",
    );
    assert.equal(baqPath('ZVendorChanges'), 'BaqSvc/ZVendorChanges/Data');
  });

  it('emits canonical Erp.BO. casing', () => {
    assert.equal(canonicalServiceName('erp.bo.CustomerSvc'), 'Erp.BO.CustomerSvc');
    assert.equal(canonicalServiceName('Erp.Bo.CustCntSvc'), 'Erp.BO.CustCntSvc');
    assert.equal(canonicalServiceName('ice.bo.UD01Svc'), 'Ice.BO.UD01Svc');
    assert.equal(canonicalServiceName('BaqSvc'), 'BaqSvc');
  });

  it('refuses plain http off loopback unless allowed, and strips the trailing slash', () => {
    assert.equal(
      normaliseBaseUrl('https://erp.example.com/ERP11PROD/', 'tenantUrl', false),
      'https://erp.example.com/ERP11PROD',
    );
    assert.equal(
      normaliseBaseUrl('http://127.0.0.1:8080/Inst', 'tenantUrl', false),
      'http://127.0.0.1:8080/Inst',
    );
    assert.throws(
      () => normaliseBaseUrl('http://erp.example.com/ERP', 'tenantUrl', false),
      (e: Error & { code?: string }) => e.code === 'ERR_CONFIG' && /allowInsecureHttp/.test(e.message),
    );
    assert.equal(
      normaliseBaseUrl('http://erp.example.com/ERP', 'tenantUrl', true),
      'http://erp.example.com/ERP',
    );
    assert.throws(
      () => normaliseBaseUrl('https://u:p@erp.example.com/ERP', 'tenantUrl', false),
      /credentials/,
    );
  });
});
