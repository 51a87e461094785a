import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourceFieldsFor } from './source-fields.js';

describe('sourceFieldsFor', () => {
  it('lists the columns of the default vendor mapping, without derived names', () => {
    assert.deepEqual(sourceFieldsFor('vendor'), [
      'Name',
      'Address1',
      'Address2',
      'Address3',
      'City',
      'State',
      'ZIP',
      'Country',
      'PhoneNum',
      'VendURL',
      'TermsCode',
      'Inactive',
      'VendorID',
    ]);
  });

  it('uses the customer spellings (Zip, CustURL, CustID)', () => {
    const fields = sourceFieldsFor('customer');
    for (const name of ['Zip', 'CustURL', 'CustID']) assert.ok(fields.includes(name), name);
    for (const name of ['ZIP', 'VendURL', 'VendorID']) assert.ok(!fields.includes(name), name);
  });

  it('replaces @FirstName/@LastName by the columns the name is computed from', () => {
    const fields = sourceFieldsFor('customerContact');
    for (const name of ['FirstName', 'LastName', 'Name', 'EMailAddress', 'ContactTitle', 'Func']) {
      assert.ok(fields.includes(name), name);
    }
    assert.ok(fields.every((name) => !name.startsWith('@')));
  });

  it('adds user fields, drops dropped defaults and keeps a column still read by another mapping', () => {
    const fields = sourceFieldsFor('vendor', {
      vendors: {
        drop: ['phone', 'website'],
        fields: [{ to: 'epicor_currency', from: ['CurrencyCode', '@Company'] }],
      },
    });
    assert.ok(fields.includes('CurrencyCode'));
    assert.ok(!fields.includes('PhoneNum'));
    // `domain` still reads VendURL.
    assert.ok(fields.includes('VendURL'));
    assert.equal(new Set(fields).size, fields.length);
  });

  it('needs no name columns when the contact name mappings are dropped', () => {
    const fields = sourceFieldsFor('customerContact', {
      customerContacts: { drop: ['firstname', 'lastname'] },
    });
    assert.ok(!fields.includes('FirstName'));
    assert.ok(!fields.includes('Name'));
  });
});
