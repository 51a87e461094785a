import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import type { AuditEntry, AuditQuery } from '../types.js';
import { type StoreTargetFactory, seedRun, withStore } from './harness.js';

export function historyContract(factory: StoreTargetFactory): void {
  describe('runs', () => {
    it('start, finish, get and list most recent first', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { connection, run } = await seedRun(store);
        const other = await store.connections.create({ name: 'other', settings: {} });
        assert.equal(run.status, 'running');
        assert.equal(run.finishedAt, null);
        clock.advance(1000);
        const replay = await store.runs.start({
          connectionId: connection.id,
          kind: 'replay',
          params: { batchIds: [1, 2] },
        });
        const elsewhere = await store.runs.start({ connectionId: other.id, kind: 'dry-run' });
        clock.advance(500);
        const finished = await store.runs.finish(run.id, {
          status: 'failed',
          errorSummary: 'HubSpot rejected the token',
        });
        assert.equal(finished.status, 'failed');
        assert.equal(finished.finishedAt, clock.now());
        assert.equal(finished.errorSummary, 'HubSpot rejected the token');
        assert.deepEqual((await store.runs.get(replay.id))?.params, { batchIds: [1, 2] });

        assert.deepEqual(
          (await store.runs.listRecent()).map((r) => r.id),
          [elsewhere.id, replay.id, run.id],
        );
        assert.deepEqual(
          (await store.runs.listRecent({ connectionId: connection.id, limit: 1 })).map((r) => r.id),
          [replay.id],
        );
        assert.deepEqual(
          (await store.runs.listRecent({ connectionId: connection.id, beforeId: replay.id })).map(
            (r) => r.id,
          ),
          [run.id],
        );
        assert.deepEqual(
          (await store.runs.listRecent({ status: 'running' })).map((r) => r.id),
          [elsewhere.id, replay.id],
        );
        await assert.rejects(store.runs.finish(run.id + 100, { status: 'succeeded' }), {
          code: 'ERR_STORE_NOT_FOUND',
        });
      });
    });
  });

  describe('batches', () => {
    it('keep the exact query, count attempts, list failures and link replays', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { connection, run, batch } = await seedRun(store);
        const query = {
          servicePath: 'Erp.BO.CustomerSvc/Customers',
          filter: 'SysRevID gt 18446744073709551615 or (SysRevID eq 5 and CustNum gt 17)',
          orderby: 'SysRevID,CustNum',
          select: 'CustNum,Name',
          top: 500,
          skip: 0,
          after: { value: '18446744073709551615', key: '17' },
          company: 'EPIC06',
        };
        const b2 = await store.batches.create({
          runId: run.id,
          connectionId: connection.id,
          stream: 'customer',
          query,
          recordCount: 500,
        });
        assert.deepEqual(b2.query, query);
        assert.equal(b2.status, 'pending');
        assert.equal(b2.attempts, 0);
        assert.deepEqual((await store.batches.get(b2.id))?.query, query);

        clock.advance(10);
        await store.batches.update(b2.id, { addAttempts: 1 });
        const failed = await store.batches.update(b2.id, {
          status: 'failed',
          addAttempts: 1,
          error: 'HTTP 503 after 5 tries',
        });
        assert.equal(failed.attempts, 2);
        assert.equal(failed.updatedAt, clock.now());
        await store.batches.update(batch.id, { status: 'succeeded' });

        const run2 = await store.runs.start({ connectionId: connection.id, kind: 'sync' });
        const b3 = await store.batches.create({
          runId: run2.id,
          connectionId: connection.id,
          stream: 'vendor',
          query: { servicePath: 'v' },
        });
        await store.batches.update(b3.id, { status: 'partial' });

        assert.deepEqual(
          (await store.batches.listFailed()).map((b) => b.id),
          [b2.id, b3.id],
        );
        assert.deepEqual(
          (await store.batches.listFailed({ runId: run.id })).map((b) => b.id),
          [b2.id],
        );
        assert.deepEqual(
          (await store.batches.listByRun(run.id)).map((b) => b.id),
          [batch.id, b2.id],
        );

        const replayRun = await store.runs.start({ connectionId: connection.id, kind: 'replay' });
        const replay = await store.batches.create({
          runId: replayRun.id,
          connectionId: connection.id,
          stream: 'customer',
          query: b2.query,
          replayOf: b2.id,
        });
        assert.equal(replay.replayOf, b2.id);
        assert.equal((await store.batches.get(b2.id))?.replayedBy, replay.id);
        assert.deepEqual(
          (await store.batches.listFailed()).map((b) => b.id),
          [b3.id],
        );
        assert.deepEqual(
          (await store.batches.listFailed({ includeReplayed: true })).map((b) => b.id),
          [b2.id, b3.id],
        );

        await assert.rejects(
          store.batches.create({
            runId: replayRun.id,
            connectionId: connection.id,
            stream: 'x',
            query: { servicePath: 'x' },
            replayOf: 99_999,
          }),
          { code: 'ERR_STORE_NOT_FOUND' },
        );
        // The failed replay link rolled back with its batch.
        assert.equal((await store.batches.listByRun(replayRun.id)).length, 1);
        await assert.rejects(store.batches.update(99_999, { status: 'failed' }), {
          code: 'ERR_STORE_NOT_FOUND',
        });
      });
    });
  });

  describe('audit', () => {
    it('filters by run, action, source id, HubSpot id, label and time', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { all, run1, run2, t0 } = await seedAudit(store, clock);
        const ids = (rows: readonly AuditEntry[]) => rows.map((r) => r.sourceId);
        const q = async (filter: AuditQuery) =>
          ids((await store.audit.query({ order: 'asc', ...filter })).rows);

        assert.equal((await store.audit.query({ limit: 1000 })).rows.length, all.length);
        assert.deepEqual(
          await q({ runId: run2 }),
          all.filter((a) => a.run === run2).map((a) => a.sourceId),
        );
        assert.deepEqual(await q({ actions: ['failed'] }), ['s03', 's08', 's13', 's18']);
        assert.deepEqual(await q({ actions: ['failed', 'skipped'], runId: run1 }), [
          's03',
          's04',
          's08',
          's09',
        ]);
        assert.deepEqual(await q({ actions: [] }), []);
        assert.deepEqual(await q({ sourceId: 's07' }), ['s07']);
        assert.deepEqual(await q({ hubspotId: 'hs-12' }), ['s12']);
        // Case-insensitive substring; % and _ are literal characters, not wildcards.
        assert.deepEqual(await q({ labelContains: 'acme' }), ['s00', 's10']);
        assert.deepEqual(await q({ labelContains: '100%' }), ['s05']);
        assert.deepEqual(await q({ labelContains: 'a_b' }), ['s06']);
        assert.deepEqual(await q({ from: t0 + 5 * 60_000, to: t0 + 8 * 60_000 }), ['s05', 's06', 's07']);
        assert.deepEqual(await q({ runId: run1, from: t0 + 9 * 60_000 }), ['s09']);
      });
    });

    it('counts actions per run and stream in one grouped query', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { run1, run2, all } = await seedAudit(store, clock);
        const connectionId = all[0]?.conn ?? 0;
        await store.audit.append({ runId: run2, batchId: null, connectionId, at: clock.now() }, [
          { stream: 'customer', sourceId: 'c1', action: 'failed', errorCategory: 'validation' },
          { stream: 'customer', sourceId: 'c2', action: 'failed' },
          { stream: 'customer', sourceId: 'c3', action: 'archived' },
        ]);
        const empty = await store.runs.start({ connectionId, kind: 'sync' });
        const zero = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };
        // seedAudit: 10 vendor rows per run, actions cycling created, updated, unchanged, failed, skipped.
        const twoEach = { ...zero, created: 2, updated: 2, unchanged: 2, failed: 2, skipped: 2 };
        assert.deepEqual(await store.audit.countsByRunAndStream([empty.id, run2, run1, run2, 99_999]), [
          { runId: run1, stream: 'vendor', counts: twoEach },
          { runId: run2, stream: 'customer', counts: { ...zero, failed: 2, archived: 1 } },
          { runId: run2, stream: 'vendor', counts: twoEach },
        ]);
        assert.deepEqual(await store.audit.countsByRunAndStream([]), []);
        // The per-stream counts add up to the run's own counts.
        const perStream = await store.audit.countsByRunAndStream([run2]);
        const summed = { ...zero };
        for (const row of perStream) {
          for (const [action, n] of Object.entries(row.counts)) summed[action as keyof typeof zero] += n;
        }
        assert.deepEqual(summed, await store.audit.countsByAction(run2));
      });
    });

    it('pages in a stable order with an opaque cursor, both directions', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { all, run1 } = await seedAudit(store, clock);
        const connectionId = all[0]?.conn ?? 0;
        const expected = all.map((a) => a.sourceId);
        for (const order of ['asc', 'desc'] as const) {
          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          do {
            const page = await store.audit.query({
              order,
              limit: 6,
              ...(cursor === undefined ? {} : { cursor }),
            });
            seen.push(...page.rows.map((r) => r.sourceId));
            cursor = page.nextCursor ?? undefined;
            pages += 1;
            // A row appended while paging never shifts the pages: ascending meets it at the end,
            // descending never sees it.
            if (pages === 1) {
              clock.advance(1);
              await store.audit.append({ runId: run1, batchId: null, connectionId, at: clock.now() }, [
                { stream: 'vendor', sourceId: `late-${order}`, action: 'skipped' },
              ]);
            }
          } while (cursor !== undefined);
          assert.equal(pages, 4);
          if (order === 'asc') assert.deepEqual(seen, [...expected, 'late-asc']);
          else assert.deepEqual(seen, [...expected, 'late-asc'].reverse());
        }
        await assert.rejects(store.audit.query({ cursor: 'not-a-cursor' }), { code: 'ERR_STORE_BAD_CURSOR' });
        const firstDesc = await store.audit.query({ order: 'desc', limit: 1 });
        assert.ok(firstDesc.nextCursor);
        await assert.rejects(store.audit.query({ order: 'asc', cursor: firstDesc.nextCursor }), {
          code: 'ERR_STORE_BAD_CURSOR',
        });
      });
    });
  });
}

interface Seeded {
  sourceId: string;
  run: number;
  conn: number;
}

/** 20 audit rows across two runs, one minute apart, with a mix of actions and labels. */
async function seedAudit(store: Store, clock: { now(): number; advance(ms: number): void }) {
  const t0 = clock.now();
  const { connection, run, batch } = await seedRun(store);
  const run2 = await store.runs.start({ connectionId: connection.id, kind: 'sync' });
  const labels: Record<number, string> = {
    0: 'ACME Corp',
    5: 'Discount 100% Ltd',
    6: 'A_B Partners',
    10: 'acme gmbh',
    11: 'AxB',
  };
  const actions = ['created', 'updated', 'unchanged', 'failed', 'skipped'] as const;
  const all: Seeded[] = [];
  for (let i = 0; i < 20; i++) {
    const runId = i < 10 ? run.id : run2.id;
    const sourceId = `s${String(i).padStart(2, '0')}`;
    await store.audit.append(
      { runId, batchId: i < 10 ? batch.id : null, connectionId: connection.id, at: clock.now() },
      [
        {
          stream: 'vendor',
          sourceId,
          hubspotId: `hs-${i}`,
          action: actions[i % 5] ?? 'created',
          label: labels[i] ?? null,
          ...(i % 5 === 3 ? { errorCategory: 'validation', errorMessage: 'invalid email' } : {}),
        },
      ],
    );
    all.push({ sourceId, run: runId, conn: connection.id });
    clock.advance(60_000);
  }
  return { all, run1: run.id, run2: run2.id, t0 };
}
