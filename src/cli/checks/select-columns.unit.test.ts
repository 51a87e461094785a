import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityCheck } from '../../epicor/index.js';
import { readersOf, SELECT_COLUMNS_CODE, selectColumnsCheck } from './select-columns.js';

describe('readersOf', () => {
  it('names the default mappings reading a column, several when several do', () => {
    assert.deepEqual(readersOf('vendor', 'vendors', 'ZIP', undefined), [{ to: 'zip', origin: 'default' }]);
    assert.deepEqual(
      readersOf('vendor', 'vendors', 'VendURL', undefined).map((r) => r.to),
      ['website', 'domain'],
    );
  });

  it('resolves derived fields to the columns they are computed from', () => {
    const readers = readersOf('customerContact', 'customerContacts', 'LastName', undefined).map((r) => r.to);
    assert.deepEqual(readers, ['firstname', 'lastname']);
  });

  it('knows user fields and drops when given the mapping', () => {
    const mapping = {
      vendors: { drop: ['zip'], fields: [{ to: 'epicor_tier', from: ['Tier_c'] }] },
    };
    assert.deepEqual(readersOf('vendor', 'vendors', 'Tier_c', mapping), [
      { to: 'epicor_tier', origin: 'fields' },
    ]);
    assert.deepEqual(readersOf('vendor', 'vendors', 'ZIP', mapping), []);
    assert.deepEqual(readersOf('vendor', 'vendors', 'Tier_c', undefined), []);
  });
});

describe('selectColumnsCheck', () => {
  const entity = (select: EntityCheck['select']): EntityCheck => ({
    kind: 'vendor',
    path: 'Erp.BO.VendorSvc/Vendors',
    name: 'entity:vendor',
    ok: select?.status !== 'fail',
    message: 'read 1 row',
    configured: { strategy: 'sysRevId', field: 'SysRevID' },
    missingFields: [],
    warnings: [],
    ...(select === undefined ? {} : { select }),
  });

  it('fails with the code, the readers and every way out', () => {
    const check = selectColumnsCheck(
      entity({
        status: 'fail',
        columns: ['VendorNum', 'ZIP'],
        missing: ['ZIP'],
        sameButCase: {},
        message: 'm',
      }),
      'vendors',
      undefined,
    );
    assert.equal(check?.status, 'fail');
    assert.equal(check?.code, SELECT_COLUMNS_CODE);
    assert.equal(check?.name, 'select:vendors');
    assert.match(check?.fix ?? '', /^ZIP is read for zip \(default mapping\)\. /);
    assert.match(check?.fix ?? '', /\{ to: zip, from: <column> \}/);
    assert.match(check?.fix ?? '', /mapping\.vendors\.drop: \[zip\]/);
    assert.match(check?.fix ?? '', /streams\.vendors\.select: all/);
  });

  it('warns when skipped, passes on pass, and is absent when the entity was not read', () => {
    const skipped = selectColumnsCheck(
      entity({
        status: 'skipped',
        columns: ['VendorNum'],
        missing: [],
        sameButCase: {},
        message: 'not checked',
      }),
      'vendors',
      undefined,
    );
    assert.equal(skipped?.status, 'warn');
    assert.match(skipped?.fix ?? '', /select: all/);
    const pass = selectColumnsCheck(
      entity({ status: 'pass', columns: null, missing: [], sameButCase: {}, message: 'no $select' }),
      'vendors',
      undefined,
    );
    assert.deepEqual(pass, { name: 'select:vendors', status: 'pass', message: 'no $select' });
    assert.equal(selectColumnsCheck(entity(undefined), 'vendors', undefined), undefined);
  });
});
