import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveAssociationResponse } from './associations.js';
import {
  chunk,
  collapseDuplicates,
  type PreparedUpsert,
  resolveUpsertResponse,
  upsertRequestBody,
} from './batch.js';

import { looksLikeEmail, prepareCompanies, prepareContacts } from './prepare.js';
import { checkProperty, connectorPropertyDefinitions } from './properties.js';

const input = (sourceId: string, extra: Partial<PreparedUpsert> = {}): PreparedUpsert => ({
  sourceId,
  idProperty: 'epicor_source_id',
  idValue: sourceId,
  traceId: sourceId,
  properties: { epicor_source_id: sourceId },
  ...extra,
});

describe('collapseDuplicates and chunk', () => {
  it('keeps the last value at the first position', () => {
    const out = collapseDuplicates(
      [
        { k: 'a', v: 1 },
        { k: 'b', v: 1 },
        { k: 'a', v: 2 },
      ],
      (x) => x.k,
    );
    assert.deepEqual(out, [
      { k: 'a', v: 2 },
      { k: 'b', v: 1 },
    ]);
  });

  it('chunks 1,050 into 11 batches of at most 100', () => {
    const parts = chunk(
      Array.from({ length: 1_050 }, (_, i) => i),
      100,
    );
    assert.equal(parts.length, 11);
    assert.equal(parts.at(-1)?.length, 50);
    assert.throws(() => chunk([1], 0));
  });
});

describe('prepareCompanies / prepareContacts', () => {
  it('puts the source id in idProperty, id, trace id and properties; collapses duplicates', () => {
    const prepared = prepareCompanies(
      [
        { sourceId: 'E:vendor:1', properties: { name: 'Old' } },
        { sourceId: 'E:vendor:1', properties: { name: 'New' } },
      ],
      'epicor_source_id',
    );
    assert.deepEqual(upsertRequestBody(prepared), {
      inputs: [
        {
          idProperty: 'epicor_source_id',
          id: 'E:vendor:1',
          objectWriteTraceId: 'E:vendor:1',
          properties: { name: 'New', epicor_source_id: 'E:vendor:1' },
        },
      ],
    });
  });

  it('keys contacts by valid email, otherwise by source id, and reports shared emails', () => {
    const { prepared, rejected } = prepareContacts(
      [
        { sourceId: 'c1', properties: { email: ' Ann@Example.com ' } },
        { sourceId: 'c2', properties: { email: 'not-an-email' } },
        { sourceId: 'c3', properties: {} },
        { sourceId: 'c4', properties: { email: 'ann@example.com' } },
      ],
      { sourceIdProperty: 'epicor_source_id', mode: 'email-or-source-id' },
    );
    assert.deepEqual(
      prepared.map((p) => [p.sourceId, p.idProperty, p.idValue]),
      [
        ['c4', 'email', 'ann@example.com'],
        ['c2', 'epicor_source_id', 'c2'],
        ['c3', 'epicor_source_id', 'c3'],
      ],
    );
    assert.equal(prepared[1]?.properties['email'], 'not-an-email');
    assert.deepEqual(
      rejected.map((r) => [r.sourceId, r.errorCode]),
      [['c1', 'DUPLICATE_EMAIL_IN_BATCH']],
    );
    const bySource = prepareContacts([{ sourceId: 'c1', properties: { email: 'a@b.co' } }], {
      sourceIdProperty: 'epicor_source_id',
      mode: 'source-id',
    });
    assert.equal(bySource.prepared[0]?.idProperty, 'epicor_source_id');
    assert.ok(looksLikeEmail('a@b.co') && !looksLikeEmail('a@b') && !looksLikeEmail(undefined));
  });
});

describe('resolveUpsertResponse', () => {
  it('maps results by trace id or key value, never by position', () => {
    const inputs = [input('A'), input('B'), input('C')];
    const body = {
      status: 'COMPLETE',
      results: [
        { id: '3', new: true, properties: { epicor_source_id: 'C' } },
        { id: '1', new: false, objectWriteTraceId: 'A', properties: {} },
        { id: '2', new: true, properties: { epicor_source_id: 'B' } },
      ],
    };
    const r = resolveUpsertResponse(inputs, body);
    assert.deepEqual(
      r.outcomes.map((o) => [o.sourceId, o.status, o.hubspotId]),
      [
        ['A', 'updated', '1'],
        ['B', 'created', '2'],
        ['C', 'created', '3'],
      ],
    );
    assert.deepEqual(r.unresolved, []);
  });

  it('ties results without reading more of their properties than the key, whatever their shape', () => {
    const inputs = [input('A'), input('B'), input('C')];
    const body = {
      results: [
        { id: '1', objectWriteTraceId: 'A', properties: null },
        { id: '2', properties: { epicor_source_id: 'B', name: 'ignored' } },
        { id: '3', properties: 'not an object' },
      ],
    };
    const r = resolveUpsertResponse(inputs, body);
    // The third result names no input; with one input and one result left, they pair up.
    assert.deepEqual(r.outcomes.map((o) => [o.sourceId, o.hubspotId]).sort(), [
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
    ]);
    assert.deepEqual(r.unresolved, []);
  });

  it('resolves a 207 per input with category, inner code and message', () => {
    const inputs = [input('A'), input('B'), input('C', { idProperty: 'email', idValue: 'c@x.io' })];
    const body = {
      status: 'COMPLETE',
      numErrors: 2,
      results: [{ id: '1', new: true, properties: { epicor_source_id: 'A' } }],
      errors: [
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          message:
            'Property values were not valid: [{"isValid":false,"message":"bad","error":"INVALID_OPTION","name":"type"}]',
          context: { objectWriteTraceId: ['B'] },
        },
        { status: 'error', category: 'VALIDATION_ERROR', message: 'Email bad', context: { ids: ['C@X.IO'] } },
      ],
    };
    const r = resolveUpsertResponse(inputs, body);
    assert.deepEqual(r.outcomes[1], {
      sourceId: 'B',
      status: 'failed',
      idProperty: 'epicor_source_id',
      errorCategory: 'VALIDATION_ERROR',
      errorCode: 'INVALID_OPTION',
      errorMessage:
        'Property values were not valid: [{"isValid":false,"message":"bad","error":"INVALID_OPTION","name":"type"}]',
    });
    assert.equal(r.outcomes[2]?.status, 'failed');
    assert.deepEqual(r.unresolved, []);
  });

  it('reports inputs no result or error names as unresolved, with the unmapped errors', () => {
    const r = resolveUpsertResponse([input('A'), input('B'), input('C')], {
      results: [{ id: '1', new: true, properties: { epicor_source_id: 'A' } }],
      errors: [{ category: 'VALIDATION_ERROR', message: 'x', context: {} }],
    });
    assert.deepEqual(
      r.unresolved.map((i) => i.sourceId),
      ['B', 'C'],
    );
    assert.equal(r.unmappedErrors.length, 1);
  });

  it('ties a lone leftover input to a lone leftover error or result', () => {
    const r = resolveUpsertResponse([input('A')], {
      results: [],
      errors: [{ category: 'VALIDATION_ERROR', message: 'x' }],
    });
    assert.equal(r.outcomes[0]?.status, 'failed');
    const s = resolveUpsertResponse([input('A')], { results: [{ id: '9', new: false, properties: {} }] });
    assert.deepEqual(s.outcomes[0], {
      sourceId: 'A',
      status: 'updated',
      hubspotId: '9',
      idProperty: 'epicor_source_id',
    });
  });
});

describe('checkProperty', () => {
  const defs = connectorPropertyDefinitions();
  const sourceId = defs.find((d) => d.name === 'epicor_source_id' && d.objectType === 'companies');
  const recordType = defs.find((d) => d.name === 'epicor_record_type' && d.objectType === 'contacts');
  it('accepts a compatible property and flags non-unique, wrong type and missing options', () => {
    assert.ok(sourceId && recordType);
    assert.deepEqual(
      checkProperty(sourceId, { name: 'epicor_source_id', type: 'string', hasUniqueValue: true }),
      { kind: 'ok' },
    );
    assert.deepEqual(
      checkProperty(sourceId, { name: 'epicor_source_id', type: 'string', hasUniqueValue: false }),
      {
        kind: 'not-unique',
      },
    );
    assert.equal(
      checkProperty(sourceId, { name: 'epicor_source_id', type: 'number', fieldType: 'number' }).kind,
      'wrong-type',
    );
    const partial = checkProperty(recordType, {
      name: 'epicor_record_type',
      type: 'enumeration',
      options: [{ label: 'Vendor contact', value: 'vendor_contact', hidden: false }],
    });
    assert.equal(partial.kind, 'missing-options');
    assert.deepEqual(partial.kind === 'missing-options' && partial.options.map((o) => o['value']), [
      'vendor_contact',
      'customer_contact',
    ]);
  });
});

describe('resolveAssociationResponse', () => {
  const pairs = [
    { fromId: '1', toId: '10' },
    { fromId: '2', toId: '10' },
  ];
  it('treats any 2xx body without errors as success, even with fewer echoed results', () => {
    const out = resolveAssociationResponse(pairs, {
      status: 'COMPLETE',
      results: [{ from: { id: '1' }, to: { id: '10' } }],
    });
    assert.deepEqual(
      out.map((o) => o.status),
      ['associated', 'associated'],
    );
    assert.ok(resolveAssociationResponse(pairs, undefined).every((o) => o.status === 'associated'));
  });
  it('fails the pairs a 207 names and keeps the echoed ones', () => {
    const out = resolveAssociationResponse(pairs, {
      results: [{ from: { id: 1 }, to: { id: 10 } }],
      errors: [{ category: 'OBJECT_NOT_FOUND', message: 'No contact 2', context: { fromObjectId: ['2'] } }],
    });
    assert.deepEqual(
      out.map((o) => [o.fromId, o.status, o.errorCategory]),
      [
        ['1', 'associated', undefined],
        ['2', 'failed', 'OBJECT_NOT_FOUND'],
      ],
    );
  });
});
