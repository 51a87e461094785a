import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../core/manual-clock.js';
import type { EntityKind, MappedRecord, MapResult, SourceRecord } from '../model.js';
import { createMapper, type MapperOptions } from './mapper.js';
import { customPropertyDefinitions } from './properties.js';

function rec(kind: EntityKind, key: string, fields: Record<string, unknown>): SourceRecord {
  return { kind, key, position: { value: '1', key }, fields };
}

function ok(result: MapResult): MappedRecord {
  if (!result.ok) assert.fail(`expected a mapped record, got set aside: ${result.reason}`);
  return result.record;
}

const VENDOR = {
  Company: 'EPIC06',
  VendorNum: 204,
  VendorID: 'ACME',
  Name: "O'Reilly Métal & Fils 🚚",
  Address1: '1 Rue de la Paix',
  Address2: 'Bâtiment B',
  Address3: '',
  City: 'Zürich',
  State: 'ZH',
  ZIP: '8001',
  Country: 'Switzerland',
  PhoneNum: '+41 44 000 00 00',
  EMailAddress: 'ap@acme.ch',
  VendURL: 'https://www.acme.ch/en/',
  TermsCode: 'N30',
  Inactive: false,
  SysRevID: 123456,
  Week1Pymt_c: 1250.5,
};

const CUSTOMER = {
  Company: 'EPIC06',
  CustNum: 17,
  CustID: 'BIGCO',
  Name: 'Big Co',
  Address1: '',
  City: null,
  Zip: '10001',
  Country: 'USA',
  CustURL: 'bigco.com',
  TermsCode: '',
  Inactive: true,
  CustomerType: 'CUS',
};

const mapper = (options: Partial<MapperOptions> = {}) => createMapper({ company: 'EPIC06', ...options });

describe('createMapper: vendors', () => {
  it('maps every default field', () => {
    const r = ok(mapper().map(rec('vendor', '204', VENDOR)));
    assert.equal(r.sourceId, 'EPIC06:vendor:204');
    assert.equal(r.objectType, 'companies');
    assert.equal(r.parentSourceId, undefined);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.properties, {
      name: "O'Reilly Métal & Fils 🚚",
      address: '1 Rue de la Paix',
      address2: 'Bâtiment B',
      city: 'Zürich',
      state: 'ZH',
      zip: '8001',
      country: 'Switzerland',
      phone: '+41 44 000 00 00',
      website: 'https://www.acme.ch/en/',
      domain: 'acme.ch',
      epicor_company: 'EPIC06',
      epicor_record_type: 'vendor',
      epicor_terms_code: 'N30',
      epicor_inactive: 'false',
      epicor_vendor_id: 'ACME',
      type: 'VENDOR',
      epicor_source_id: 'EPIC06:vendor:204',
    });
    assert.match(r.contentHash, /^v1:[0-9a-f]{64}$/);
  });

  it('joins Address2 and Address3', () => {
    const r = ok(mapper().map(rec('vendor', '204', { ...VENDOR, Address3: 'Étage 3' })));
    assert.equal(r.properties['address2'], 'Bâtiment B, Étage 3');
  });

  it('writes "" for empty source fields so values removed in Epicor are cleared', () => {
    const r = ok(mapper().map(rec('vendor', '204', { VendorNum: 204, Name: '  ' })));
    assert.equal(r.properties['name'], '');
    assert.equal(r.properties['domain'], '');
    assert.equal(r.properties['epicor_inactive'], '');
    assert.equal(r.properties['type'], 'VENDOR');
  });

  it('leaves empty values out with emptyValues: omit', () => {
    const r = ok(mapper({ mapping: { emptyValues: 'omit' } }).map(rec('vendor', '204', { Name: 'X' })));
    assert.deepEqual(Object.keys(r.properties).sort(), [
      'epicor_company',
      'epicor_record_type',
      'epicor_source_id',
      'name',
      'type',
    ]);
  });
});

describe('createMapper: customers', () => {
  it('uses Zip, CustURL and CustID, and no standard classification by default', () => {
    const r = ok(mapper().map(rec('customer', '17', CUSTOMER)));
    assert.equal(r.sourceId, 'EPIC06:customer:17');
    assert.equal(r.properties['zip'], '10001');
    assert.equal(r.properties['domain'], 'bigco.com');
    assert.equal(r.properties['epicor_cust_id'], 'BIGCO');
    assert.equal(r.properties['epicor_inactive'], 'true');
    assert.equal(r.properties['epicor_record_type'], 'customer');
    assert.equal(r.properties['city'], '');
    assert.equal('type' in r.properties, false);
    assert.equal('lifecyclestage' in r.properties, false);
  });

  it('sets the configured classification', () => {
    const m = mapper({
      mapping: { customers: { classification: { property: 'lifecyclestage', value: 'customer' } } },
    });
    assert.equal(ok(m.map(rec('customer', '17', CUSTOMER))).properties['lifecyclestage'], 'customer');
  });

  it('sets aside a record whose classification is not an option of the portal', () => {
    const m = mapper({
      mapping: { customers: { classification: { property: 'lifecyclestage', value: 'client' } } },
    });
    const result = m.map(rec('customer', '17', CUSTOMER));
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.sourceId, 'EPIC06:customer:17');
      assert.equal(result.kind, 'customer');
      assert.match(result.reason, /^lifecyclestage: "client" is not one of the options \[subscriber, lead/);
    }
  });

  it('accepts a portal-specific option read at run time', () => {
    const m = mapper({
      mapping: { customers: { classification: { property: 'lifecyclestage', value: '1234567' } } },
      propertyOptions: { companies: { lifecyclestage: ['customer', '1234567'] } },
    });
    assert.equal(ok(m.map(rec('customer', '17', CUSTOMER))).properties['lifecyclestage'], '1234567');
  });

  it('maps CustomerType through a user map transform, dropping the value by rule when unknown', () => {
    const m = mapper({
      mapping: {
        customers: {
          fields: [
            {
              to: 'lifecyclestage',
              from: ['CustomerType'],
              transforms: [{ op: 'map', values: { CUS: 'customer', PRO: 'lead' } }],
            },
          ],
          rules: { invalidOption: 'drop' },
        },
      },
    });
    assert.equal(ok(m.map(rec('customer', '17', CUSTOMER))).properties['lifecyclestage'], 'customer');
    const odd = ok(m.map(rec('customer', '17', { ...CUSTOMER, CustomerType: 'SUS' })));
    assert.equal('lifecyclestage' in odd.properties, false);
    assert.deepEqual(odd.warnings.length, 1);
    assert.match(
      odd.warnings[0] ?? '',
      /^lifecyclestage: "SUS" is not one of the options .*; value dropped$/,
    );
  });
});

describe('createMapper: contacts', () => {
  it('maps a customer contact at customer level, splitting Name', () => {
    const r = ok(
      mapper().map(
        rec('customerContact', '17||3', {
          CustNum: 17,
          ShipToNum: '',
          ConNum: 3,
          Name: "Seán O'Brien",
          FirstName: '',
          LastName: '',
          EMailAddress: 'sean.obrien@example.ie',
          PhoneNum: '01 234',
          CellPhoneNum: '087 123',
          ContactTitle: '',
          Func: 'Buyer',
          Inactive: false,
        }),
      ),
    );
    assert.equal(r.sourceId, 'EPIC06:customer-contact:17::3');
    assert.equal(r.parentSourceId, 'EPIC06:customer:17');
    assert.equal(r.objectType, 'contacts');
    assert.deepEqual(r.properties, {
      firstname: 'Seán',
      lastname: "O'Brien",
      email: 'sean.obrien@example.ie',
      phone: '01 234',
      mobilephone: '087 123',
      jobtitle: 'Buyer',
      epicor_company: 'EPIC06',
      epicor_record_type: 'customer-contact',
      epicor_inactive: 'false',
      epicor_source_id: 'EPIC06:customer-contact:17::3',
    });
  });

  it('maps a vendor contact, reading EmailAddress with a lower-case m', () => {
    const r = ok(
      mapper().map(
        rec('vendorContact', '204|PP1|2', {
          FirstName: 'Zoë',
          LastName: 'Ødegård',
          EmailAddress: 'zoe@acme.ch',
          ContactTitle: 'Head of Sales',
          Func: 'Sales',
        }),
      ),
    );
    assert.equal(r.sourceId, 'EPIC06:vendor-contact:204:PP1:2');
    assert.equal(r.parentSourceId, 'EPIC06:vendor:204');
    assert.equal(r.properties['firstname'], 'Zoë');
    assert.equal(r.properties['lastname'], 'Ødegård');
    assert.equal(r.properties['email'], 'zoe@acme.ch');
    assert.equal(r.properties['jobtitle'], 'Head of Sales');
    assert.equal(r.properties['epicor_record_type'], 'vendor-contact');
  });

  it('drops an invalid email with a warning and keeps the contact', () => {
    const r = ok(
      mapper().map(rec('customerContact', '17|SHIP1|4', { Name: 'Ann Lee', EMailAddress: 'ann(at)example' })),
    );
    assert.equal('email' in r.properties, false);
    assert.equal(r.properties['epicor_source_id'], 'EPIC06:customer-contact:17:SHIP1:4');
    assert.deepEqual(r.warnings, ['email: "ann(at)example" is not a valid email address; value dropped']);
  });

  it('sets the contact aside when the email rule says so', () => {
    const m = mapper({ mapping: { rules: { invalidEmail: 'set-aside' } } });
    const result = m.map(rec('customerContact', '17||4', { EMailAddress: 'bad@' }));
    assert.deepEqual(result, {
      ok: false,
      kind: 'customerContact',
      sourceId: 'EPIC06:customer-contact:17::4',
      reason: 'email: "bad@" is not a valid email address',
    });
  });

  it('keeps the first of several addresses with a warning', () => {
    const r = ok(mapper().map(rec('customerContact', '17||4', { EMailAddress: 'a@x.com; b@y.com' })));
    assert.equal(r.properties['email'], 'a@x.com');
    assert.deepEqual(r.warnings, ['email: several addresses; kept the first valid one']);
  });
});

describe('createMapper: limits', () => {
  // 105 UTF-16 units; a 100-unit cut would fall inside the emoji at units 99-100.
  const longName = `${'Ångström Industrial Supplies '.repeat(4).slice(0, 99)}😀 Ltd`;

  it('truncates a name over the configured limit without splitting an emoji', () => {
    assert.equal(longName.length, 105);
    const r = ok(mapper({ mapping: { nameMaxLength: 100 } }).map(rec('vendor', '1', { Name: longName })));
    assert.equal(r.properties['name'], longName.slice(0, 99));
    assert.deepEqual(r.warnings, [
      'name: value of 105 characters is over the 100-character limit; truncated',
    ]);
    const roomy = ok(mapper({ mapping: { nameMaxLength: 101 } }).map(rec('vendor', '1', { Name: longName })));
    assert.equal(roomy.properties['name'], longName.slice(0, 101));
  });

  it('sets aside an over-long name with tooLong: set-aside', () => {
    const m = mapper({ mapping: { nameMaxLength: 100, vendors: { rules: { tooLong: 'set-aside' } } } });
    const result = m.map(rec('vendor', '1', { Name: longName }));
    assert.equal(result.ok, false);
    // Other kinds keep the global rule.
    const contact = ok(m.map(rec('vendorContact', '1||1', { FirstName: longName })));
    assert.equal(contact.properties['firstname'], longName.slice(0, 99));
  });

  it("truncates ordinary text at HubSpot's 65,536 characters", () => {
    const r = ok(mapper().map(rec('vendor', '1', { Name: 'x', Address1: 'a'.repeat(70_000) })));
    assert.equal(r.properties['address']?.length, 65_536);
    assert.equal(r.warnings.length, 1);
  });

  it('trims values', () => {
    const r = ok(mapper().map(rec('vendor', '1', { Name: '\t  Acme  \n' })));
    assert.equal(r.properties['name'], 'Acme');
  });
});

describe('createMapper: user mappings', () => {
  const options: Partial<MapperOptions> = {
    mapping: {
      vendors: {
        fields: [
          { to: 'epicor_week1_payment', from: ['Week1Pymt_c'], type: 'number' },
          { to: 'epicor_group', from: ['GroupCode'], transforms: [{ op: 'default', value: 'NONE' }] },
          { to: 'name', from: ['Name'], transforms: [{ op: 'uppercase' }, { op: 'truncate', length: 10 }] },
          { to: 'type', from: [], transforms: [{ op: 'constant', value: 'partner' }] },
          { to: 'epicor_source_id', from: ['VendorID'] },
        ],
        drop: ['phone', 'website'],
      },
    },
  };

  it('extends, overrides and drops defaults', () => {
    const r = ok(mapper(options).map(rec('vendor', '204', VENDOR)));
    assert.equal(r.properties['epicor_week1_payment'], '1250.5');
    assert.equal(r.properties['epicor_group'], 'NONE');
    assert.equal(r.properties['name'], "O'REILLY M");
    assert.equal(r.properties['type'], 'PARTNER', 'option case is fixed');
    assert.equal('phone' in r.properties, false);
    assert.equal('website' in r.properties, false);
    assert.equal(r.properties['domain'], 'acme.ch');
    assert.equal(r.properties['epicor_source_id'], 'EPIC06:vendor:204', 'the upsert key cannot be remapped');
  });

  it('drops a non-numeric value for a number property with a warning', () => {
    const r = ok(mapper(options).map(rec('vendor', '204', { ...VENDOR, Week1Pymt_c: '1,250.50' })));
    assert.equal('epicor_week1_payment' in r.properties, false);
    assert.deepEqual(r.warnings, ['epicor_week1_payment: "1,250.50" is not a number; value dropped']);
  });

  it('reads derived fields and joins several sources', () => {
    const m = mapper({
      mapping: {
        customerContacts: {
          fields: [
            { to: 'epicor_parent_source_id', from: ['@ParentSourceId'] },
            { to: 'address', from: ['Address1', 'Address2'], combine: 'join', separator: ' / ' },
            { to: 'epicor_changed', from: ['ChangeDate'], type: 'date' },
          ],
        },
      },
    });
    const r = ok(
      m.map(
        rec('customerContact', '17||3', { Address1: 'A', Address2: 'B', ChangeDate: '2024-05-01T00:00:00' }),
      ),
    );
    assert.equal(r.properties['epicor_parent_source_id'], 'EPIC06:customer:17');
    assert.equal(r.properties['address'], 'A / B');
    assert.equal(r.properties['epicor_changed'], '2024-05-01');
  });
});

describe('createMapper: records and hashes', () => {
  it('sets aside a record whose key does not fit its kind', () => {
    const result = mapper().map(rec('customerContact', '17', {}));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /record key "17" does not fit a customerContact key/);
  });

  it('gives the same hash whatever the field order, and a new hash when content changes', () => {
    const m = mapper();
    const reversed = Object.fromEntries(Object.entries(VENDOR).reverse());
    const a = ok(m.map(rec('vendor', '204', VENDOR)));
    const b = ok(m.map(rec('vendor', '204', reversed)));
    assert.equal(a.contentHash, b.contentHash);
    // A field the mapping does not read does not change the hash.
    assert.equal(ok(m.map(rec('vendor', '204', { ...VENDOR, SysRevID: 999 }))).contentHash, a.contentHash);
    assert.notEqual(ok(m.map(rec('vendor', '204', { ...VENDOR, City: 'Bern' }))).contentHash, a.contentHash);
  });

  it('stamps epicor_last_synced_at from the clock without changing the hash', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5));
    const stamped = ok(mapper({ clock }).map(rec('vendor', '204', VENDOR)));
    assert.equal(stamped.properties['epicor_last_synced_at'], '2026-01-02T03:04:05.000Z');
    assert.equal(stamped.contentHash, ok(mapper().map(rec('vendor', '204', VENDOR))).contentHash);
  });
});

describe('customPropertyDefinitions', () => {
  it('lists the built-in epicor_ properties for both object types', () => {
    const defs = customPropertyDefinitions();
    const names = (objectType: string) =>
      defs
        .filter((d) => d.objectType === objectType)
        .map((d) => d.name)
        .sort();
    assert.deepEqual(names('companies'), [
      'epicor_company',
      'epicor_cust_id',
      'epicor_inactive',
      'epicor_last_synced_at',
      'epicor_record_type',
      'epicor_source_id',
      'epicor_terms_code',
      'epicor_vendor_id',
    ]);
    assert.deepEqual(names('contacts'), [
      'epicor_company',
      'epicor_inactive',
      'epicor_last_synced_at',
      'epicor_record_type',
      'epicor_source_id',
    ]);
    const sourceId = defs.find((d) => d.name === 'epicor_source_id');
    assert.equal(sourceId?.hasUniqueValue, true);
    assert.equal(sourceId?.groupName, 'ml_connector');
    for (const d of defs) {
      assert.ok(d.name.startsWith('epicor_'));
      if (d.type === 'enumeration' || d.type === 'bool') assert.ok((d.options?.length ?? 0) > 0, d.name);
    }
  });

  it('adds epicor_ targets of user mappings with their type, but not standard properties', () => {
    const defs = customPropertyDefinitions({
      vendors: {
        fields: [
          { to: 'epicor_week1_payment', from: ['Week1Pymt_c'], type: 'number' },
          { to: 'epicor_tier', from: ['Tier_c'], type: 'enumeration', options: ['A', 'B'], label: 'Tier' },
          { to: 'description', from: ['Comment'] },
          { to: 'epicor_source_id', from: ['VendorID'] },
        ],
      },
    });
    const week = defs.find((d) => d.name === 'epicor_week1_payment');
    assert.deepEqual(week && { type: week.type, fieldType: week.fieldType, objectType: week.objectType }, {
      type: 'number',
      fieldType: 'number',
      objectType: 'companies',
    });
    const tier = defs.find((d) => d.name === 'epicor_tier');
    assert.equal(tier?.label, 'Tier');
    assert.deepEqual(
      tier?.options?.map((o) => o.value),
      ['A', 'B'],
    );
    assert.equal(
      defs.some((d) => d.name === 'description'),
      false,
    );
    assert.equal(defs.filter((d) => d.name === 'epicor_source_id' && d.objectType === 'companies').length, 1);
  });
});
