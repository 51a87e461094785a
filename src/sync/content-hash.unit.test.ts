import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson, contentHash } from './content-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } }),
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson('é'), '"é"');
  });

  it('orders keys by UTF-16 code unit, leaves out undefined first members and writes undefined items as null', () => {
    assert.equal(
      canonicalJson({ é: 1, Z: 2, a: 3, '\u{1F600}': 4, '\uFFFF': 5, '': 6, first: undefined }),
      '{"":6,"Z":2,"a":3,"é":1,"\u{1F600}":4,"\uFFFF":5}',
    );
    assert.equal(canonicalJson({ a: undefined, b: 'x"y' }), '{"b":"x\\"y"}');
    assert.equal(canonicalJson([undefined, [], {}]), '[null,[],{}]');
  });
});

describe('contentHash', () => {
  const base = {
    objectType: 'companies' as const,
    properties: { name: "O'Brien & Søn 🚚", city: 'Zürich', epicor_source_id: 'EPIC06:vendor:1' },
  };

  it('is stable and has the documented form', () => {
    const h = contentHash(base);
    assert.match(h, /^v1:[0-9a-f]{64}$/);
    assert.equal(contentHash(base), h);
    assert.equal(h, contentHash({ ...base, properties: { ...base.properties } }));
  });

  it('is pinned, so an accidental change of the hashed content (which rewrites every record) is seen', () => {
    // sha256 of {"objectType":"companies","parentSourceId":null,"properties":{"epicor_source_id":…,"name":"Acme"}}
    assert.equal(
      contentHash({
        objectType: 'companies',
        properties: { name: 'Acme', epicor_source_id: 'EPIC06:vendor:1' },
      }),
      'v1:a7640a32ba43c149d3dd78c88a098043a5ac8eda973455baf7e622e31d55be49',
    );
  });

  it('does not depend on property order', () => {
    const reversed = Object.fromEntries(Object.entries(base.properties).reverse());
    assert.equal(contentHash({ ...base, properties: reversed }), contentHash(base));
  });

  it('ignores volatile properties', () => {
    const stamped = {
      ...base,
      properties: { ...base.properties, epicor_last_synced_at: '2026-01-01T00:00:00.000Z' },
    };
    assert.equal(contentHash(stamped), contentHash(base));
  });

  it('changes when a value, the object type or the parent changes', () => {
    const h = contentHash(base);
    assert.notEqual(contentHash({ ...base, properties: { ...base.properties, city: 'Zurich' } }), h);
    assert.notEqual(contentHash({ ...base, properties: { ...base.properties, city: '' } }), h);
    assert.notEqual(contentHash({ ...base, objectType: 'contacts' }), h);
    assert.notEqual(contentHash({ ...base, parentSourceId: 'EPIC06:vendor:2' }), h);
  });

  it('tells an empty value from a missing one', () => {
    const withEmpty = { ...base, properties: { ...base.properties, phone: '' } };
    assert.notEqual(contentHash(withEmpty), contentHash(base));
  });

  it('hashes exactly the canonical JSON of the content, minus volatile properties', () => {
    const properties = {
      zeta: 'z"q\\',
      é: 'accent',
      Z: 'upper',
      '\u{1F600}': 'emoji',
      '': 'empty key',
      epicor_last_synced_at: '2026-01-01T00:00:00.000Z',
      name: 'Ünïcødé\n',
    };
    for (const parentSourceId of [undefined, 'EPIC06:vendor:7']) {
      const { epicor_last_synced_at: _volatile, ...kept } = properties;
      const expected = createHash('sha256')
        .update(
          canonicalJson({ objectType: 'contacts', properties: kept, parentSourceId: parentSourceId ?? null }),
        )
        .digest('hex');
      assert.equal(contentHash({ objectType: 'contacts', properties, parentSourceId }), `v1:${expected}`);
    }
  });
});
