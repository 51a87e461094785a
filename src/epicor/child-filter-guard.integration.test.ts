/**
 * The Epicor source's child entity-set guard against the simulator (its `childFilterQuirk`), over
 * loopback: the quirk stops vendor contacts loudly before anything is handed to the engine, and
 * without the quirk the probe costs one request once — a fresh source per cycle (the service builds one
 * per run, the CLI one per process) that resumes from a cursor costs nothing extra.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { ManualClock } from '../core/manual-clock.js';
import type { StreamCursor } from '../sync/model.js';
import type { SourcePage } from '../sync/ports.js';
import { EpicorClient } from './client.js';
import { EpicorChildFilterError, EpicorError } from './errors.js';
import { createEpicorSource } from './source.js';
import { simSettings } from './testing/sim.js';

let sim: EpicorSimulator;

before(async () => {
  sim = await startEpicorSimulator({ vendors: 40, customers: 2, seed: 11, timeZone: 'America/Chicago' });
});
afterEach(() => {
  sim.control.setChildFilterQuirk(undefined);
});
after(async () => {
  await sim.close();
});

const PAGE = 10;

function client(overrides: Record<string, unknown> = {}): EpicorClient {
  return new EpicorClient(simSettings(sim, { pageSize: PAGE, ...overrides }), { clock: new ManualClock() });
}

const quirk = (mode: 'empty' | 'error'): void =>
  sim.control.setChildFilterQuirk({ entitySets: ['VendCntMains'], mode });

/** One engine read of vendor contacts through a fresh source (as each service cycle / CLI run builds). */
async function cycle(
  from: StreamCursor | null,
  overrides: Record<string, unknown> = {},
): Promise<{ pages: SourcePage[]; requests: number; probes: number; cursor: StreamCursor | null }> {
  const c = client(overrides);
  const source = createEpicorSource(c);
  sim.control.clearRequestLog();
  const pages: SourcePage[] = [];
  for await (const page of source.read('vendorContact', from, { lookbackMs: 0 })) pages.push(page);
  const cursor = pages.reduce<StreamCursor | null>((at, page) => page.position ?? at, from);
  return { pages, requests: c.exchanges, probes: probeRequests(), cursor };
}

/** Requests the probe makes: `$top=1` on the child set (scan pages ask for `$top=PAGE`). */
function probeRequests(): number {
  return sim.control
    .requestLog()
    .filter((r) => r.path.endsWith('/VendCntMains') && new URLSearchParams(r.query).get('$top') === '1')
    .length;
}

async function rejection(read: () => Promise<unknown>): Promise<EpicorChildFilterError> {
  try {
    await read();
  } catch (error) {
    assert.ok(error instanceof EpicorChildFilterError, String(error));
    return error;
  }
  assert.fail('expected ERR_EPICOR_CHILD_FILTER');
}

const drain = async (pages: AsyncIterable<unknown>): Promise<number> => {
  let n = 0;
  for await (const _ of pages) n++;
  return n;
};

describe('child-filter guard in the Epicor source', () => {
  it('without the quirk: one probe request on the first scan, none on later (no-change) cycles', async () => {
    const total = sim.control.list('VendCntMains').length;
    assert.ok(total > 2 * PAGE, `enough contacts for several pages (${total})`);
    const first = await cycle(null);
    assert.equal(
      first.pages.reduce((n, p) => n + p.records.length, 0),
      total,
    );
    assert.equal(first.probes, 1, 'page 1 is the sample: only the filtered read-back is extra');
    const unguarded = await cycle(null, { childFilterCheck: false });
    assert.equal(first.requests, unguarded.requests + 1);
    assert.equal(unguarded.probes, 0);

    // Three service cycles with no change, each through a fresh source, resuming from the cursor.
    for (let i = 0; i < 3; i++) {
      const again = await cycle(first.cursor);
      const plain = await cycle(first.cursor, { childFilterCheck: false });
      assert.ok(again.pages[0]?.records.length, 'inclusive resume re-reads the cursor day (proof enough)');
      assert.equal(again.probes, 0);
      assert.equal(again.requests, plain.requests, 'a no-change cycle gains no request');
    }
    // lastPage: 'empty' ends every scan with an empty filtered page: rows earlier in the scan vouch for it.
    const emptyLast = await cycle(first.cursor, { lastPage: 'empty' });
    assert.equal(emptyLast.pages.at(-1)?.records.length, 0);
    assert.equal(emptyLast.probes, 0);
  });

  it('without the quirk, a first page shorter than a page: no probe (nothing filtered is read)', async () => {
    const small = await cycle(null, { pageSize: 1000 });
    assert.equal(small.pages.length, 1);
    assert.equal(small.probes, 0);
    assert.equal(small.requests, 1);
  });

  it("quirk 'empty', first scan: fails before page 1 is handed on, with the fix in the message", async () => {
    quirk('empty');
    const error = await rejection(() => cycle(null));
    assert.equal(error.code, 'ERR_EPICOR_CHILD_FILTER');
    assert.equal(error.retryable, false);
    assert.match(
      error.message,
      /^Erp\.BO\.VendorSvc\/VendCntMains returned nothing when filtered by its own key/,
    );
    assert.match(error.message, /vendor contacts would be silently missed/);
    assert.match(error.message, /streams\.vendorContacts\.change: \{ strategy: vendor-expand \}/);
    assert.equal(probeRequests(), 1);
  });

  it("quirk 'empty', resumed scan: the empty filtered page is not taken for 'no changes'", async () => {
    const { cursor } = await cycle(null);
    quirk('empty');
    const error = await rejection(() => cycle(cursor));
    assert.match(error.message, /returned nothing when filtered by its own key/);
    assert.equal(probeRequests(), 2, 'no sample at hand: $top=1 unfiltered, then the read-back');
  });

  it("quirk 'error': the 400 becomes ERR_EPICOR_CHILD_FILTER, caused by Epicor's answer", async () => {
    const { cursor } = await cycle(null);
    quirk('error');
    for (const from of [null, cursor]) {
      const error = await rejection(() => cycle(from));
      assert.match(
        error.message,
        /rejected a filter on its own key \(ERR_EPICOR_HTTP: Could not find a property named 'ConNum' on type 'Erp\.Tablesets\.VendorRow'\.\)/,
      );
      assert.match(error.message, /strategy: vendor-expand/);
      assert.ok(error.cause instanceof EpicorError && error.cause.status === 400);
    }
  });

  it('one probe per source: later reads through the same source fail again without asking Epicor', async () => {
    quirk('empty');
    const c = client();
    const source = createEpicorSource(c);
    await rejection(() => drain(source.read('vendorContact', null, { lookbackMs: 0 })));
    const before = c.exchanges;
    sim.control.clearRequestLog();
    await rejection(() => drain(source.read('vendorContact', null, { lookbackMs: 0 })));
    assert.equal(probeRequests(), 0);
    assert.equal(c.exchanges, before + 1, 'only page 1 again');
    await rejection(() => drain(source.listKeys('vendorContact')));
    assert.equal(c.exchanges, before + 1, 'listKeys refuses before its first request');
  });

  it('listKeys and replay are guarded too (a quirk would make contacts look deleted)', async () => {
    const { pages } = await cycle(null);
    const filtered = pages[1]?.query;
    assert.ok(filtered && JSON.stringify(filtered).includes('$filter'));
    quirk('empty');
    await rejection(() => drain(createEpicorSource(client()).listKeys('vendorContact')));
    await rejection(() => createEpicorSource(client()).replay(filtered));
    quirk('error');
    await rejection(() => createEpicorSource(client()).replay(filtered));
  });

  it('other streams and vendorExpand are not probed', async () => {
    quirk('empty');
    const c = client({
      streams: { vendorContact: { source: { type: 'vendorExpand', navigation: 'VendCntMains' } } },
    });
    const source = createEpicorSource(c);
    sim.control.clearRequestLog();
    const contacts = await drain(source.read('vendorContact', null, { lookbackMs: 0 }));
    assert.ok(contacts > 1);
    await drain(source.read('customerContact', null, { lookbackMs: 0 }));
    assert.equal(probeRequests(), 0);
  });

  it('childFilterCheck: false keeps the old behaviour (page 1 only, silently)', async () => {
    quirk('empty');
    const run = await cycle(null, { childFilterCheck: false });
    assert.equal(
      run.pages.reduce((n, p) => n + p.records.length, 0),
      PAGE,
    );
    assert.equal(run.probes, 0);
  });

  it('inconclusive (no contact left to read back): the read is not blocked', async () => {
    const { cursor } = await cycle(null);
    for (const row of sim.control.list('VendCntMains')) {
      sim.control.delete('VendCntMains', {
        VendorNum: Number(row['VendorNum']),
        PurPoint: String(row['PurPoint'] ?? ''),
        ConNum: Number(row['ConNum']),
      });
    }
    quirk('empty');
    const run = await cycle(cursor);
    assert.deepEqual(
      run.pages.map((p) => p.records.length),
      [0],
    );
    assert.equal(run.probes, 1, 'the $top=1 read found no contact: nothing to decide with');
  });
});
