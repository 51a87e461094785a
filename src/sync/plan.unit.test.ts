import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MappedRecord, MapResult } from './model.js';
import { idsToLookUp, planPage } from './plan.js';
import type { IdMapEntry } from './ports.js';
import { planLanes } from './streams.js';

const company = (sourceId: string, hash: string, name = sourceId): MapResult => ({
  ok: true,
  record: {
    kind: 'vendor',
    sourceId,
    objectType: 'companies',
    properties: { name },
    contentHash: hash,
    warnings: [],
  },
});
const contact = (sourceId: string, parent: string, hash = 'h'): MapResult => {
  const record: MappedRecord = {
    kind: 'vendorContact',
    sourceId,
    objectType: 'contacts',
    properties: { email: `${sourceId}@example.com` },
    parentSourceId: parent,
    contentHash: hash,
    warnings: [],
  };
  return { ok: true, record };
};
const entry = (sourceId: string, hash: string, hubspotId = `hs-${sourceId}`): IdMapEntry => ({
  sourceId,
  kind: 'vendor',
  hubspotId,
  contentHash: hash,
});

describe('page planning', () => {
  it('decides create / update / unchanged from the id map, and sets mapping failures aside', () => {
    const idMap = new Map([
      ['v1', entry('v1', 'same')],
      ['v2', entry('v2', 'old')],
    ]);
    const plan = planPage(
      [
        company('v1', 'same'),
        company('v2', 'new'),
        company('v3', 'x'),
        { ok: false, kind: 'vendor', sourceId: 'v4', reason: 'bad' },
      ],
      idMap,
    );
    assert.deepEqual(
      plan.map((p) => [p.sourceId, p.decision]),
      [
        ['v1', 'unchanged'],
        ['v2', 'update'],
        ['v3', 'create'],
        ['v4', 'failed'],
      ],
    );
    assert.equal(plan[0]?.decision === 'unchanged' && plan[0].hubspotId, 'hs-v1');
    assert.equal(plan[3]?.decision === 'failed' && plan[3].category, 'mapping');
  });

  it('a record seen twice in a page is written once, in its last state', () => {
    const plan = planPage([company('v1', 'a', 'First'), company('v1', 'b', 'Second')], new Map());
    assert.deepEqual(
      plan.map((p) => p.decision),
      ['skipped', 'create'],
    );
    assert.equal(plan[1]?.decision === 'create' && plan[1].record.properties['name'], 'Second');
  });

  it('contacts carry their company HubSpot id, or fail clearly when the company is not synced', () => {
    const idMap = new Map([['v1', entry('v1', 'x', '555')]]);
    const plan = planPage([contact('c1', 'v1'), contact('c2', 'v2')], idMap);
    assert.equal(plan[0]?.decision === 'create' && plan[0].parentHubspotId, '555');
    assert.equal(plan[1]?.decision, 'failed');
    assert.equal(plan[1]?.decision === 'failed' && plan[1].category, 'parent_not_synced');
    const dry = planPage([contact('c2', 'v2')], idMap, { parentPlanned: (id) => id === 'v2' });
    assert.equal(dry[0]?.decision, 'create', 'a dry run counts companies it would create');
  });

  it('looks up the records and their parents', () => {
    assert.deepEqual(idsToLookUp([company('v1', 'x'), contact('c1', 'v9')]).sort(), ['c1', 'v1', 'v9']);
  });
});

describe('stream lanes', () => {
  it('runs each company stream before its contacts, vendors and customers side by side', () => {
    assert.deepEqual(planLanes(['customerContact', 'vendorContact', 'customer', 'vendor']), [
      ['vendor', 'vendorContact'],
      ['customer', 'customerContact'],
    ]);
    assert.deepEqual(planLanes(['vendorContact']), [['vendorContact']]);
  });
});
