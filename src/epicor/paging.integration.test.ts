import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { ManualClock } from '../core/manual-clock.js';
import type { SourceRecord } from '../sync/model.js';
import { EpicorClient } from './client.js';
import { collect, simSettings } from './testing/sim.js';

/**
 * Keyset paging against the simulator while data changes between page requests: nothing missed,
 * nothing repeated inside a timestamp cluster; and the `$skip` counter-example.
 */

let sim: EpicorSimulator;
const simClock = new ManualClock(Date.UTC(2026, 0, 5, 15, 0, 0));
const N = 1_200;

before(async () => {
  sim = await startEpicorSimulator({ vendors: 20, customers: N, seed: 3, clock: simClock });
});
after(async () => {
  await sim.close();
});

function client(overrides: Record<string, unknown> = {}) {
  return new EpicorClient(simSettings(sim, { pageSize: 100, ...overrides }), { clock: new ManualClock() });
}

function keysOf(records: readonly SourceRecord[]): string[] {
  return records.map((r) => r.key);
}

/** Customer keys in the order the server sorts them for the default strategy. */
function customerKeysInOrder(): string[] {
  return sim.control
    .list('Customers')
    .map((row) => ({
      key: String(row['CustNum']),
      d: String(row['ChangeDate']),
      t: Number(row['ChangeTime']),
      n: Number(row['CustNum']),
    }))
    .sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : a.t - b.t || a.n - b.n))
    .map((r) => r.key);
}

describe('keyset paging (default)', () => {
  it('reads 1,200 customers while others change between pages, missing no change', async () => {
    sim.control.reset();
    sim.control.resetCounters();
    const original = customerKeysInOrder();
    const updates = new Map<string, string>();
    const unsubscribe = sim.control.onDataRequest((n) => {
      if (n < 2) return;
      // Before each later page: change one row already read, one not yet read, one at the page edge.
      for (const index of [(n * 37) % 100, (n * 100 + 250) % N, n * 100 - 1]) {
        const key = original[index % N] as string;
        simClock.advance(1_000);
        const name = `Changed ${n}-${index}`;
        sim.control.update('Customers', { CustNum: Number(key) }, { Name: name });
        updates.set(key, name);
      }
    });
    try {
      const { records, pages } = await collect(client(), 'customer');
      assert.ok(pages.length >= 12);
      const seen = new Set(keysOf(records));
      assert.equal(seen.size, N, 'every customer read at least once');
      const lastName = new Map<string, unknown>();
      for (const record of records) lastName.set(record.key, record.fields['Name']);
      for (const [key, name] of updates)
        assert.equal(lastName.get(key), name, `latest change of ${key} read`);
      // Each page continues strictly after the previous one.
      for (let i = 1; i < pages.length; i++) {
        const prev = pages[i - 1]?.position;
        const first = pages[i]?.records[0]?.position;
        if (prev && first)
          assert.ok(first.value > prev.value || (first.value === prev.value && first.key > prev.key));
      }
    } finally {
      unsubscribe();
    }
  });

  it('$skip paging can miss a row that a change moved (why keyset is the default)', async () => {
    const run = async (paging: 'keyset' | 'skip') => {
      sim.control.reset();
      sim.control.resetCounters();
      sim.control.resetCounters();
      const original = customerKeysInOrder();
      const first = original[0] as string;
      const unsubscribe = sim.control.onDataRequest((n) => {
        if (n !== 2) return;
        simClock.advance(1_000);
        sim.control.update('Customers', { CustNum: Number(first) }, { Name: 'Moved to the end' });
      });
      try {
        const { records } = await collect(client({ paging }), 'customer');
        return { seen: new Set(keysOf(records)), expectedMiss: original[100] as string };
      } finally {
        unsubscribe();
      }
    };
    const skip = await run('skip');
    assert.equal(skip.seen.size, N - 1, '$skip: one customer never read');
    assert.ok(!skip.seen.has(skip.expectedMiss), 'the row that slid back across the page boundary');
    const keyset = await run('keyset');
    assert.equal(keyset.seen.size, N);
  });

  it('pages through a cluster of 200 identical change timestamps without loss or repeat', async () => {
    sim.control.reset();
    sim.control.resetCounters();
    const { records, pages } = await collect(client(), 'customer');
    const keys = keysOf(records);
    assert.equal(keys.length, N, 'no repeats');
    assert.equal(new Set(keys).size, N, 'no losses');
    const clusterValue = '2025-06-30T02:00:00';
    const cluster = records.filter((r) => r.position.value === clusterValue);
    assert.ok(cluster.length >= 200, `cluster of ${cluster.length}`);
    const pagesInCluster = pages.filter((p) => p.records.some((r) => r.position.value === clusterValue));
    assert.ok(pagesInCluster.length >= 3, 'the cluster spans at least two page boundaries');
    const middle = pagesInCluster[1];
    assert.ok(
      middle?.records.every((r) => r.position.value === clusterValue),
      'a page made only of the cluster',
    );
    assert.match(String(middle?.query.params['$filter']), /ChangeTime eq 7200 and CustNum gt \d+/);
  });

  it('returns the exact query with each page and replays it', async () => {
    sim.control.reset();
    sim.control.resetCounters();
    const scan = client().scan('customer');
    const first = (await scan.next()).value;
    const second = (await scan.next()).value;
    await scan.return(undefined);
    assert.ok(first && second);
    assert.deepEqual(first.query, {
      v: 1,
      kind: 'customer',
      path: 'Erp.BO.CustomerSvc/Customers',
      params: { $orderby: 'ChangeDate,ChangeTime,CustNum', $top: 100 },
      extra: {},
    });
    const stored = JSON.parse(JSON.stringify(second.query)) as unknown;
    const target = second.records[5];
    assert.ok(target);
    sim.control.update('Customers', { CustNum: Number(target.key) }, { City: 'Replayville' });
    const replayed = await client().replay(stored);
    const again = await second.replay();
    assert.deepEqual(keysOf(again.records), keysOf(replayed.records));
    // The changed row left this page's range; the rest of the page reads the same.
    assert.ok(!keysOf(replayed.records).includes(target.key));
    assert.deepEqual(keysOf(replayed.records).slice(0, 5), keysOf(second.records).slice(0, 5));
  });

  it('lists every key for reconcile', async () => {
    sim.control.reset();
    sim.control.resetCounters();
    const keys: string[] = [];
    for await (const key of client({ pageSize: 500 }).listKeys('customer')) keys.push(key);
    assert.equal(keys.length, N);
    assert.deepEqual(new Set(keys), new Set(sim.control.list('Customers').map((r) => String(r['CustNum']))));
  });

  it('stops on an empty page when lastPage is "empty" (safe against a server $top cap)', async () => {
    sim.control.reset();
    sim.control.resetCounters();
    const before = sim.control.dataRequestCount;
    const { records } = await collect(client({ lastPage: 'empty', pageSize: 400 }), 'customer');
    assert.equal(records.length, N);
    assert.equal(sim.control.dataRequestCount - before, 4, '3 full pages and 1 empty one');
  });
});
