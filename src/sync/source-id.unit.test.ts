import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTITY_KINDS } from './model.js';
import {
  buildSourceId,
  formatRecordKey,
  parentSourceId,
  parseRecordKey,
  parseSourceId,
  sourceIdForRecord,
} from './source-id.js';

describe('buildSourceId', () => {
  it('builds the documented shapes', () => {
    assert.equal(buildSourceId('EPIC06', 'vendor', ['204']), 'EPIC06:vendor:204');
    assert.equal(buildSourceId('EPIC06', 'customer', ['17']), 'EPIC06:customer:17');
    assert.equal(
      buildSourceId('EPIC06', 'vendorContact', ['204', 'PP1', '3']),
      'EPIC06:vendor-contact:204:PP1:3',
    );
    assert.equal(
      buildSourceId('EPIC06', 'customerContact', ['17', '', '2']),
      'EPIC06:customer-contact:17::2',
    );
  });

  it('escapes separators and percent signs inside parts', () => {
    assert.equal(
      buildSourceId('A:B', 'customerContact', ['1', 'X:Y%', '2']),
      'A%3AB:customer-contact:1:X%3AY%25:2',
    );
  });

  it('rejects a wrong number of key parts and an empty company', () => {
    assert.throws(() => buildSourceId('EPIC06', 'vendor', ['1', '2']), RangeError);
    assert.throws(() => buildSourceId('', 'vendor', ['1']), RangeError);
  });
});

describe('parseSourceId', () => {
  const awkward = ['', ':', '%', '%3A', '%25', 'a:b:c', "O'Brien", 'Zürich-Süd', '🚚|dock', '|', '100%'];

  it('round-trips every kind with awkward key parts', () => {
    for (const kind of ENTITY_KINDS) {
      for (const part of awkward) {
        const parts = kind === 'vendor' || kind === 'customer' ? [part] : ['12', part, '3'];
        for (const company of ['EPIC06', 'Co:1', '50%']) {
          const id = buildSourceId(company, kind, parts);
          assert.deepEqual(parseSourceId(id), { company, kind, keyParts: parts }, id);
        }
      }
    }
  });

  it('refuses text it would not have built', () => {
    for (const bad of [
      '',
      'EPIC06',
      'EPIC06:vendor',
      'EPIC06:vendor:1:2',
      'EPIC06:supplier:1',
      'EPIC06:vendor-contact:1:2',
      ':vendor:1',
      'EPIC06:vendor:1%2',
      'EPIC06:vendor:%3a',
    ]) {
      assert.equal(parseSourceId(bad), undefined, bad);
    }
  });
});

describe('parentSourceId', () => {
  it('points a contact at its vendor or customer, whatever the purchase point or ship-to', () => {
    assert.equal(parentSourceId('EPIC06:vendor-contact:204:PP1:3'), 'EPIC06:vendor:204');
    assert.equal(parentSourceId('EPIC06:customer-contact:17::2'), 'EPIC06:customer:17');
    assert.equal(parentSourceId('EPIC06:customer-contact:17:SHIP%3A1:2'), 'EPIC06:customer:17');
    assert.equal(parentSourceId('A%3AB:customer-contact:17::2'), 'A%3AB:customer:17');
  });

  it('is undefined for companies and garbage', () => {
    assert.equal(parentSourceId('EPIC06:vendor:204'), undefined);
    assert.equal(parentSourceId('nonsense'), undefined);
  });
});

describe('parseRecordKey', () => {
  it('splits the pipe-joined Epicor key', () => {
    assert.deepEqual(parseRecordKey('customerContact', '17||3'), ['17', '', '3']);
    assert.deepEqual(parseRecordKey('vendorContact', '204|PP1|3'), ['204', 'PP1', '3']);
    assert.deepEqual(parseRecordKey('vendor', '204'), ['204']);
  });

  it('keeps a pipe inside the middle part', () => {
    assert.deepEqual(parseRecordKey('customerContact', '17|A|B|3'), ['17', 'A|B', '3']);
    assert.equal(formatRecordKey(['17', 'A|B', '3']), '17|A|B|3');
  });

  it('rejects keys that do not fit the kind', () => {
    assert.equal(parseRecordKey('vendor', '17|2'), undefined);
    assert.equal(parseRecordKey('vendor', 'ABC'), undefined);
    assert.equal(parseRecordKey('customerContact', '17|3'), undefined);
    assert.equal(parseRecordKey('customerContact', 'x||3'), undefined);
    assert.equal(parseRecordKey('customerContact', '17||'), undefined);
  });

  it('sourceIdForRecord combines both steps', () => {
    assert.equal(sourceIdForRecord('EPIC06', 'customerContact', '17||3'), 'EPIC06:customer-contact:17::3');
    assert.equal(sourceIdForRecord('EPIC06', 'customerContact', 'bad'), undefined);
  });
});
