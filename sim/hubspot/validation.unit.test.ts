import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedProperties } from './default-properties.js';
import { MAX_UNIQUE_PROPERTIES, PropertyStore } from './property-store.js';
import { validateProperties } from './property-validation.js';
import { matchesFilter, parseSorts, sortResults } from './search.js';

const companyProps = new Map(seedProperties('companies').properties.map((p) => [p.name, p]));
const contactProps = new Map(seedProperties('contacts').properties.map((p) => [p.name, p]));

describe('validateProperties', () => {
  it('reports each documented error code', () => {
    const { issues } = validateProperties(
      { type: 'CUSTOMER', numberofemployees: 'ten', bogus: 'x', name: 'ok' },
      (n) => companyProps.get(n),
      undefined,
    );
    assert.deepEqual(
      issues.map((i) => [i.name, i.error]),
      [
        ['type', 'INVALID_OPTION'],
        ['numberofemployees', 'INVALID_NUMBER'],
        ['bogus', 'PROPERTY_DOESNT_EXIST'],
      ],
    );
    assert.equal(issues[2]?.message, 'Property "bogus" does not exist');
    assert.match(
      issues[0]?.message ?? '',
      /^CUSTOMER was not one of the allowed options: \[PROSPECT, PARTNER, RESELLER, VENDOR, OTHER\]$/,
    );
  });

  it('coerces scalars to strings, lower-cases email, drops read-only values, allows clearing', () => {
    const { values, issues } = validateProperties(
      {
        email: 'Ann@Example.COM',
        numberofemployees: 7 as unknown as string,
        hs_object_id: '5',
        lifecyclestage: '',
      },
      (n) => contactProps.get(n) ?? companyProps.get(n),
      'email',
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(values, { email: 'ann@example.com', numberofemployees: '7', lifecyclestage: '' });
    const bad = validateProperties({ email: 'nope@' }, (n) => contactProps.get(n), 'email');
    assert.equal(bad.issues[0]?.error, 'INVALID_EMAIL');
  });
});

describe('PropertyStore', () => {
  const now = '2026-01-01T00:00:00.000Z';
  const unique = (name: string) => ({
    name,
    label: name,
    type: 'string',
    fieldType: 'text',
    groupName: 'companyinformation',
    hasUniqueValue: true,
  });

  it('seeds company type options and lifecycle stages', () => {
    const store = new PropertyStore();
    assert.deepEqual(
      store.get('companies', 'type')?.options.map((o) => o.value),
      ['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER'],
    );
    assert.ok(store.get('contacts', 'lifecyclestage')?.options.some((o) => o.value === 'customer'));
  });

  it('caps unique properties at 10, refuses duplicates and hasUniqueValue changes', () => {
    const store = new PropertyStore();
    for (let i = 0; i < MAX_UNIQUE_PROPERTIES; i++) store.create('companies', unique(`u${i}`), now, 409);
    assert.throws(() => store.create('companies', unique('u10'), now, 409), /limit of 10 unique properties/);
    assert.throws(
      () => store.create('companies', unique('u0'), now, 409),
      (e: { status?: number }) => e.status === 409,
    );
    assert.throws(
      () => store.create('companies', unique('u0'), now, 400),
      (e: { status?: number }) => e.status === 400,
    );
    assert.throws(() => store.update('companies', 'u1', { hasUniqueValue: false }, now), /cannot be changed/);
    assert.throws(
      () => store.create('companies', { ...unique('x'), groupName: 'nope' }, now, 409),
      /does not exist/,
    );
  });
});

describe('search helpers', () => {
  const typeOf = (n: string) => companyProps.get(n)?.type;
  it('compares numbers numerically and strings case-insensitively', () => {
    assert.equal(
      matchesFilter(
        { numberofemployees: '9' },
        { propertyName: 'numberofemployees', operator: 'LT', value: '10' },
        typeOf,
      ),
      true,
    );
    assert.equal(
      matchesFilter({ name: 'ACME' }, { propertyName: 'name', operator: 'EQ', value: 'acme' }, typeOf),
      true,
    );
    assert.equal(matchesFilter({}, { propertyName: 'name', operator: 'NEQ', value: 'x' }, typeOf), true);
  });

  it('accepts both sort forms and sorts missing values last', () => {
    assert.deepEqual(parseSorts(['-name', { propertyName: 'city' }]), [
      { propertyName: 'name', direction: 'DESCENDING' },
      { propertyName: 'city', direction: 'ASCENDING' },
    ]);
    const rows: { id: string; props: Record<string, string> }[] = [
      { id: '1', props: {} },
      { id: '2', props: { name: 'b' } },
      { id: '3', props: { name: 'a' } },
    ];
    assert.deepEqual(
      sortResults(rows, { propertyName: 'name', direction: 'ASCENDING' }, typeOf).map((r) => r.id),
      ['3', '2', '1'],
    );
  });
});
