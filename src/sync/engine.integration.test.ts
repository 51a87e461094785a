import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ConnectorError } from '../core/errors.js';
import type { EntityKind } from './model.js';
import { FakeEpicorDown } from './testing/fake-epicor.js';
import {
  assertConverged,
  type Harness,
  openHarness,
  putCustomer,
  putVendor,
  putVendorContact,
  seed,
} from './testing/harness.js';

let h: Harness;

async function auditRows(runId: string) {
  const page = await h.store.audit.query({
    connectionId: h.connectionId,
    runId: Number(runId),
    limit: 1000,
    order: 'asc',
  });
  return page.rows;
}

describe('sync engine over the real SQLite store', () => {
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('initial sync writes every record, checkpoints each page and converges', async () => {
    seed(h);
    const result = await h.engine().sync();
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    assert.equal(result.totals.created, 30);
    assert.equal(result.streams.vendor?.created, 12);
    assert.equal(result.streams.customer?.created, 8);
    assert.equal(result.streams.vendorContact?.created, 10);
    await assertConverged(h);
    // One audit row per record, and the run row carries the same counts.
    assert.equal((await auditRows(result.runId)).length, 30);
    const run = await h.store.runs.get(Number(result.runId));
    assert.equal(run?.status, 'succeeded');
    assert.equal(run?.counts.created, 30);
    // Pages of 5 → vendor 3 pages, customer 2, contacts 2; each a succeeded batch.
    const batches = await h.store.batches.listByRun(Number(result.runId));
    assert.equal(batches.length, 7);
    assert.ok(batches.every((batch) => batch.status === 'succeeded'));
    const cursor = await h.store.cursors.get(h.connectionId, 'vendor');
    assert.equal(cursor.cursor?.key, '12', 'the vendor cursor sits on the last vendor changed');
    assert.equal(cursor.version, 3, 'one cursor advance per page');
    assert.ok(h.hubspot.upsertCalls >= 10);
  });

  it('a second run with no changes makes zero destination calls', async () => {
    seed(h);
    await h.engine().sync();
    const calls = h.hubspot.upsertCalls;
    const again = await h.engine({ config: { lookbackMs: 60_000 } }).sync();
    assert.equal(again.status, 'succeeded');
    assert.equal(h.hubspot.upsertCalls, calls, 'no upsert');
    assert.equal(again.totals.created + again.totals.updated, 0);
    assert.equal(again.totals.unchanged, 30, 'the lookback re-read everything and the hash dropped it');
  });

  it('k modified records → exactly k written', async () => {
    seed(h);
    await h.engine().sync();
    const sentBefore = h.hubspot.recordsSent;
    putVendor(h, 3, { Name: 'Vendor three renamed' });
    putCustomer(h, 5, { City: 'Hull' });
    putVendorContact(h, 2, 2, { PhoneNum: '+44 113 496 0000' });
    putVendor(h, 4); // touched in Epicor, same content: re-read but not written
    const result = await h.engine().sync();
    assert.equal(result.status, 'succeeded');
    assert.equal(h.hubspot.recordsSent - sentBefore, 3);
    assert.equal(result.totals.updated, 3);
    assert.equal(result.totals.unchanged, 1);
    assert.equal(
      h.hubspot.objects.companies.get(h.sourceIdOf('vendor', '3'))?.properties['name'],
      'Vendor three renamed',
    );
    await assertConverged(h);
  });

  it('sets bad records aside (mapping and HubSpot rejections) while the rest lands and the cursor moves on', async () => {
    seed(h, { vendors: 6, customers: 0, contacts: 0 });
    h.epicor.put('vendor', 'not-a-number', { Company: 'EPIC06', Name: 'Broken key' });
    h.hubspot.rejectIf = (record) =>
      record.properties['name'] === 'Vendor 4' ? 'Property "name" is invalid' : undefined;
    const failed: string[] = [];
    h.events.on('record:failed', (event) => failed.push(`${event.sourceId}:${event.category}`));
    const result = await h.engine().sync();
    assert.equal(result.status, 'partial');
    assert.equal(result.totals.created, 5);
    assert.equal(result.totals.failed, 2);
    assert.deepEqual(failed.sort(), ['EPIC06:vendor:4:validation', 'EPIC06:vendor:not-a-number:mapping']);
    assert.ok(result.failures.some((f) => f.category === 'mapping' && /does not fit/.test(f.message)));
    const batches = await h.store.batches.listByRun(Number(result.runId));
    assert.deepEqual(
      batches.map((batch) => batch.status),
      ['partial', 'partial'],
    );
    // The cursor is past everything, failures included: they wait for replay, not for the next cycle.
    const cursor = await h.store.cursors.get(h.connectionId, 'vendor');
    assert.equal(cursor.cursor?.key, 'not-a-number');
    // Fix in HubSpot terms and replay the failed batches: vendor 4 lands, the broken key fails again.
    h.hubspot.rejectIf = undefined;
    const replay = await h.engine().replay({ allFailed: true });
    assert.equal(replay.runKind, 'replay');
    assert.equal(replay.totals.created, 1);
    assert.equal(replay.totals.failed, 1);
    assert.ok(h.hubspot.objects.companies.has(h.sourceIdOf('vendor', '4')));
    const originals = await h.store.batches.listByRun(Number(result.runId));
    assert.ok(
      originals.every((batch) => batch.replayedBy !== null),
      'originals are marked replayed',
    );
  });

  it('whole-batch failure ends the run failed with the batch recorded; replay completes it', async () => {
    seed(h, { vendors: 12, customers: 0, contacts: 0 });
    const down = new ConnectorError('ERR_HUBSPOT_DAILY_LIMIT', 'HubSpot daily limit reached');
    h.hubspot.failCall = (call) => (call === 4 ? { error: down, when: 'before' } : undefined);
    const result = await h.engine().sync();
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.code, 'ERR_SYNC_BATCH_FAILED');
    assert.match(result.error?.message ?? '', /ERR_HUBSPOT_DAILY_LIMIT/);
    const batches = await h.store.batches.listByRun(Number(result.runId));
    assert.deepEqual(
      batches.map((batch) => batch.status),
      ['succeeded', 'failed'],
      'page 1 checkpointed; page 2 failed (its first chunk landed, its second did not)',
    );
    const failedBatch = batches[1];
    assert.ok(failedBatch);
    assert.match(failedBatch.error ?? '', /ERR_HUBSPOT_DAILY_LIMIT/);
    assert.equal(failedBatch.query.servicePath, 'Erp.BO.VendorSvc/Vendors');
    // The cursor stayed at the end of page 1.
    const cursor = await h.store.cursors.get(h.connectionId, 'vendor');
    assert.equal(cursor.version, 1);

    h.hubspot.failCall = undefined;
    const replay = await h.engine().replay({ batchId: String(failedBatch.id) });
    assert.equal(replay.status, 'succeeded');
    assert.equal(replay.totals.created, 2, 'the two records of the failed chunk');
    assert.equal(
      replay.totals.unchanged,
      3,
      'the chunk that landed (checkpointed with the failed batch) is skipped',
    );
    const original = await h.store.batches.get(failedBatch.id);
    assert.notEqual(original?.replayedBy, null);
    await assert.rejects(h.engine().replay({ batchId: String(failedBatch.id) }), {
      code: 'ERR_SYNC_REPLAY_TARGET',
    });
    // The next cycle finishes the stream; nothing is created twice.
    const next = await h.engine().sync();
    assert.equal(next.status, 'succeeded');
    await assertConverged(h);
  });

  it('Epicor down mid-run: the page is recorded failed with its query, and replay reads it again', async () => {
    seed(h, { vendors: 12, customers: 0, contacts: 0 });
    h.epicor.beforePage = (_kind, index, query) => {
      if (index === 1) throw new FakeEpicorDown(query as never);
    };
    const result = await h.engine().sync({ streams: ['vendor'] });
    assert.equal(result.status, 'failed');
    assert.equal(result.totals.created, 5);
    const [failed] = await h.store.batches.listFailed({ connectionId: h.connectionId });
    assert.ok(failed);
    assert.equal(failed.recordCount, 0);
    h.epicor.beforePage = undefined;
    const replay = await h.engine().replay({ runId: result.runId });
    assert.equal(replay.status, 'succeeded');
    assert.equal(replay.totals.created, 5, 'exactly the page that could not be read');
    await h.engine().sync();
    await assertConverged(h);
  });

  it('a contact whose company is not synced is recorded failed with a clear reason, then replayed', async () => {
    putVendor(h, 1);
    putVendorContact(h, 1, 1);
    putVendorContact(h, 2, 2); // vendor 2 does not exist yet
    const first = await h.engine().sync();
    assert.equal(first.status, 'partial');
    const failure = first.failures.find((f) => f.sourceId === h.sourceIdOf('vendorContact', '2|PP1|2'));
    assert.equal(failure?.category, 'parent_not_synced');
    assert.match(failure?.message ?? '', /EPIC06:vendor:2 is not synced/);
    putVendor(h, 2);
    await h.engine().sync();
    const replay = await h.engine().replay({ allFailed: true });
    assert.equal(replay.totals.created, 1);
    await assertConverged(h);
  });

  it('dry run reports creates, updates and unchanged, and writes nothing', async () => {
    seed(h, { vendors: 4, customers: 2, contacts: 3 });
    await h.engine().sync({ streams: ['vendor'] });
    putVendor(h, 2, { Name: 'Changed' });
    const auditBefore = await h.store.audit.query({ connectionId: h.connectionId, limit: 1000 });
    const cursorBefore = await h.store.cursors.get(h.connectionId, 'vendor');
    const calls = h.hubspot.upsertCalls;
    h.clock.advance(1);
    const plan = await h.engine({ config: { lookbackMs: 10_000 } }).sync({ dryRun: true });
    assert.equal(plan.runKind, 'dry-run');
    assert.equal(h.hubspot.upsertCalls, calls);
    assert.equal(h.hubspot.schemaCalls, 1, 'dry run does not touch HubSpot at all');
    const lines = plan.plan ?? [];
    const actionOf = (sourceId: string) => lines.find((line) => line.sourceId === sourceId)?.action;
    assert.equal(actionOf(h.sourceIdOf('vendor', '2')), 'update');
    assert.equal(actionOf(h.sourceIdOf('vendor', '1')), 'unchanged');
    assert.equal(actionOf(h.sourceIdOf('customer', '1')), 'create');
    assert.equal(actionOf(h.sourceIdOf('vendorContact', '1|PP1|1')), 'create');
    assert.equal(plan.totals.created, 2 + 3);
    const auditAfter = await h.store.audit.query({ connectionId: h.connectionId, limit: 1000 });
    assert.equal(auditAfter.rows.length, auditBefore.rows.length, 'no audit rows');
    assert.deepEqual(await h.store.cursors.get(h.connectionId, 'vendor'), cursorBefore, 'cursor untouched');
    assert.equal(await h.store.idMap.count(h.connectionId, 'customer'), 0);
    const run = await h.store.runs.get(Number(plan.runId));
    assert.equal(run?.kind, 'dry-run');
    assert.equal(run?.counts.created, 5);
  });

  it('reconcile flags a record deleted in Epicor; archive mode archives it and forgets it', async () => {
    seed(h, { vendors: 5, customers: 3, contacts: 0 });
    await h.engine().sync();
    h.epicor.delete('vendor', '3');
    const report = await h.engine().reconcile();
    assert.equal(report.runKind, 'reconcile');
    assert.deepEqual(
      report.orphans?.map((o) => [o.sourceId, o.action]),
      [[h.sourceIdOf('vendor', '3'), 'skipped']],
    );
    const flagged = await auditRows(report.runId);
    assert.equal(flagged.length, 1);
    assert.equal(flagged[0]?.errorCategory, 'epicor_deleted');
    assert.equal(h.hubspot.objects.companies.size, 8, 'report mode keeps the HubSpot object');

    const archived = await h.engine().reconcile({ mode: 'archive' });
    assert.equal(archived.totals.archived, 1);
    assert.equal(h.hubspot.objects.companies.has(h.sourceIdOf('vendor', '3')), false);
    assert.equal(await h.store.idMap.get(h.connectionId, h.sourceIdOf('vendor', '3')), undefined);
    const quiet = await h.engine().reconcile();
    assert.equal(quiet.orphans?.length, 0, 'nothing left to flag');
  });

  it('vendors and customers run side by side', async () => {
    seed(h, { vendors: 3, customers: 3, contacts: 0 });
    const inFlight = new Set<string>();
    let overlapped = false;
    let release: () => void = () => {};
    const bothIn = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.hubspot.onUpsert = async (_call, records) => {
      const kind = records[0]?.kind ?? '';
      inFlight.add(kind);
      if (inFlight.has('vendor') && inFlight.has('customer')) {
        overlapped = true;
        release();
      }
      await bothIn; // each lane's first write waits until the other lane is writing too
      inFlight.delete(kind);
    };
    const result = await h.engine().sync();
    assert.equal(result.status, 'succeeded');
    assert.ok(overlapped);
    await assertConverged(h);
  });

  it('writes one page ahead and reads one more while a page is written, and no further', async () => {
    seed(h, { vendors: 20, customers: 0, contacts: 0 });
    const seen: number[] = [];
    let secondStarted = false;
    h.hubspot.onUpsert = async (call) => {
      if (call === 2) secondStarted = true;
      if (call !== 1) return;
      // Page 1's upsert stays in flight while everything else gets many turns of the event loop
      // (bounded, so an engine without write-ahead fails here instead of hanging).
      for (let turn = 0; turn < 50; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
      assert.ok(secondStarted, "page 2's upsert started while page 1's was in flight");
      seen.push(h.epicor.pagesRead.get('vendor') ?? 0);
    };
    const committed: string[] = [];
    h.events.on('batch:written', (event) => {
      committed.push(event.cursor?.key ?? '');
    });
    const result = await h
      .engine({ config: { batchSize: 100, readAheadPages: 1 } })
      .sync({ streams: ['vendor'] });
    assert.equal(result.status, 'succeeded');
    assert.deepEqual(
      seen,
      [3],
      'page 2 was written and page 3 read while page 1 was in flight; page 4 was not',
    );
    assert.equal(committed.length, 4, 'one commit per page');
    assert.deepEqual(committed, ['5', '10', '15', '20'], 'commits in page order, the cursor only advancing');
    assert.equal((await auditRows(result.runId)).length, 20);
  });

  it('stops with a clear error when another writer moved the cursor', async () => {
    seed(h, { vendors: 8, customers: 0, contacts: 0 });
    h.hubspot.onUpsert = async (call) => {
      if (call === 1) {
        const current = await h.store.cursors.get(h.connectionId, 'vendor');
        await h.store.cursors.advance(h.connectionId, 'vendor', { value: 'x', key: 'x' }, current.version);
      }
    };
    const result = await h.engine().sync({ streams: ['vendor'] });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.code, 'ERR_SYNC_CURSOR_CONFLICT');
    assert.match(result.error?.message ?? '', /another writer/);
    assert.equal((await auditRows(result.runId)).length, 0, 'the conflicting page commit was rolled back');
  });

  it('a throwing listener cannot stop a sync; events arrive in order', async () => {
    seed(h, { vendors: 3, customers: 0, contacts: 0 });
    const names: string[] = [];
    h.events.on('page:read', () => {
      throw new Error('broken progress bar');
    });
    for (const name of [
      'run:start',
      'stream:start',
      'page:read',
      'batch:written',
      'stream:done',
      'run:end',
    ] as const) {
      h.events.on(name, () => names.push(name));
    }
    const ended = h.events.once('run:end');
    const result = await h.engine().sync({ streams: ['vendor'] });
    assert.equal((await ended).result.runId, result.runId);
    assert.equal(result.status, 'succeeded');
    assert.deepEqual(names, [
      'run:start',
      'stream:start',
      'page:read',
      'batch:written',
      'stream:done',
      'run:end',
    ]);
  });

  it('drain: a graceful stop commits every page being written, starts none, and fails nothing', async () => {
    seed(h, { vendors: 20, customers: 0, contacts: 4 });
    const drain = new AbortController();
    // The stop lands while page 2 is written ahead and page 1 is still in flight.
    h.hubspot.onUpsert = async (call) => {
      if (call === 2) drain.abort(new Error('SIGTERM'));
    };
    const result = await h.engine({ config: { batchSize: 100 } }).sync({ drain: drain.signal });
    assert.equal(result.status, 'cancelled');
    const batches = await h.store.batches.listByRun(Number(result.runId));
    assert.deepEqual(
      batches.map((b) => b.status),
      ['succeeded', 'succeeded'],
      'both pages in flight committed; no page was started after the stop',
    );
    assert.equal((await auditRows(result.runId)).length, 10);
    assert.equal(result.totals.failed, 0);
    h.hubspot.onUpsert = undefined;
    const next = await h.engine().sync();
    assert.equal(next.status, 'succeeded');
    assert.equal(next.totals.updated, 0, 'nothing written twice');
    await assertConverged(h);
  });

  it('cancellation: an aborted run ends cancelled, and the next run completes without duplicates', async () => {
    seed(h, { vendors: 12, customers: 0, contacts: 0 });
    const controller = new AbortController();
    h.hubspot.onUpsert = (call) => {
      if (call === 3) controller.abort(new Error('shutdown'));
    };
    const result = await h.engine().sync({ signal: controller.signal, streams: ['vendor'] as EntityKind[] });
    assert.equal(result.status, 'cancelled');
    h.hubspot.onUpsert = undefined;
    const next = await h.engine().sync();
    assert.equal(next.status, 'succeeded');
    await assertConverged(h);
  });
});
