import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import { type StoreTargetFactory, seedRun, withStore } from './harness.js';

export function syncStateContract(factory: StoreTargetFactory): void {
  describe('stream cursors', () => {
    it('start empty at version 0 and advance only from the version read', async () => {
      await withStore(factory, async ({ store }) => {
        const { connection } = await seedRun(store);
        const id = connection.id;
        assert.deepEqual(await store.cursors.get(id, 'vendor'), { cursor: null, version: 0 });

        const first = await store.cursors.advance(id, 'vendor', { value: '10', key: '1' }, 0);
        assert.deepEqual(first, { ok: true, version: 1 });
        // A second writer that also read version 0 loses instead of clobbering.
        assert.deepEqual(await store.cursors.advance(id, 'vendor', { value: '99', key: '9' }, 0), {
          ok: false,
          conflict: true,
          actualVersion: 1,
        });
        // So does one holding a stale or future version.
        assert.equal((await store.cursors.advance(id, 'vendor', { value: '99', key: '9' }, 5)).ok, false);
        assert.deepEqual(await store.cursors.get(id, 'vendor'), {
          cursor: { value: '10', key: '1' },
          version: 1,
        });

        assert.deepEqual(await store.cursors.advance(id, 'vendor', { value: '11', key: '2' }, 1), {
          ok: true,
          version: 2,
        });
        // Resetting (full resync) is an advance to null.
        assert.deepEqual(await store.cursors.advance(id, 'vendor', null, 2), { ok: true, version: 3 });
        assert.deepEqual(await store.cursors.get(id, 'vendor'), { cursor: null, version: 3 });
        // Streams are independent.
        assert.equal((await store.cursors.advance(id, 'customer', { value: '1', key: '1' }, 0)).ok, true);
        assert.deepEqual([...(await store.cursors.list(id)).keys()], ['customer', 'vendor']);
      });
    });

    it('preserve bigint-ish and oddly shaped cursor strings exactly', async () => {
      await withStore(factory, async ({ store }) => {
        const { connection } = await seedRun(store);
        const values = [
          { value: '18446744073709551615123456789', key: '000000000042' },
          { value: '2026-03-01T10:15:30.1234567Z|00036930', key: '17||3|Ünïcødé' },
          { value: '-0', key: ' padded ' },
        ];
        let version = 0;
        for (const cursor of values) {
          const result = await store.cursors.advance(connection.id, 'vendorContact', cursor, version);
          assert.equal(result.ok, true);
          version += 1;
          assert.deepEqual((await store.cursors.get(connection.id, 'vendorContact')).cursor, cursor);
        }
      });
    });

    it('let exactly one of two concurrent writers win', async () => {
      await withStore(factory, async ({ store }) => {
        const { connection } = await seedRun(store);
        const results = await Promise.all(
          ['a', 'b', 'c'].map((key) =>
            store.cursors.advance(connection.id, 'vendor', { value: '1', key }, 0),
          ),
        );
        assert.equal(results.filter((r) => r.ok).length, 1);
        assert.equal((await store.cursors.get(connection.id, 'vendor')).version, 1);
      });
    });
  });

  describe('id map', () => {
    it('upserts, reads many, iterates in pages and counts', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { connection, run } = await seedRun(store);
        const id = connection.id;
        const entries = Array.from({ length: 1203 }, (_, i) => ({
          sourceId: `EPIC06:vendor:${String(i).padStart(5, '0')}`,
          kind: 'vendor',
          objectType: 'companies' as const,
          hubspotId: String(9_000_000_000_000 + i),
          contentHash: `h${i}`,
          lastRunId: run.id,
        }));
        await store.idMap.upsertMany(id, entries);
        await store.idMap.upsertMany(id, [
          {
            sourceId: 'EPIC06:vendorContact:1||1',
            kind: 'vendorContact',
            objectType: 'contacts',
            hubspotId: '5',
            contentHash: 'c',
            lastRunId: null,
          },
        ]);
        assert.equal(await store.idMap.count(id), 1204);
        assert.equal(await store.idMap.count(id, 'vendor'), 1203);

        const some = await store.idMap.getMany(id, ['EPIC06:vendor:00007', 'EPIC06:vendor:01202', 'missing']);
        assert.deepEqual([...some.keys()].sort(), ['EPIC06:vendor:00007', 'EPIC06:vendor:01202']);
        assert.deepEqual(some.get('EPIC06:vendor:00007'), {
          connectionId: id,
          sourceId: 'EPIC06:vendor:00007',
          kind: 'vendor',
          objectType: 'companies',
          hubspotId: '9000000000007',
          contentHash: 'h7',
          lastSyncedAt: clock.now(),
          lastRunId: run.id,
        });

        clock.advance(60_000);
        await store.idMap.upsertMany(id, [
          {
            sourceId: 'EPIC06:vendor:00007',
            kind: 'vendor',
            objectType: 'companies',
            hubspotId: '42',
            contentHash: 'changed',
            lastRunId: null,
          },
        ]);
        const updated = await store.idMap.get(id, 'EPIC06:vendor:00007');
        assert.equal(updated?.hubspotId, '42');
        assert.equal(updated?.contentHash, 'changed');
        assert.equal(updated?.lastSyncedAt, clock.now());
        assert.equal(updated?.lastRunId, null);

        const seen: string[] = [];
        for await (const entry of store.idMap.iterate(id, 'vendor', 100)) seen.push(entry.sourceId);
        assert.equal(seen.length, 1203);
        assert.deepEqual(seen, [...seen].sort());
        assert.equal(new Set(seen).size, 1203);

        assert.equal(await store.idMap.delete(id, ['EPIC06:vendor:00000', 'nope']), 1);
        assert.equal(await store.idMap.count(id, 'vendor'), 1202);
      });
    });
  });

  describe('commitBatch', () => {
    it('writes cursor, batch status, id map, audit and run counts together', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const { connection, run, batch } = await seedRun(store);
        clock.advance(250);
        const result = await store.commitBatch({
          connectionId: connection.id,
          runId: run.id,
          batchId: batch.id,
          status: 'partial',
          error: '1 record failed',
          recordCount: 3,
          addAttempts: 1,
          audit: [
            {
              stream: 'vendor',
              sourceId: 'v1',
              action: 'created',
              hubspotId: '101',
              label: 'Acme',
              contentHash: 'h1',
            },
            { stream: 'vendor', sourceId: 'v2', action: 'unchanged', hubspotId: '102' },
            {
              stream: 'vendor',
              sourceId: 'v3',
              action: 'failed',
              errorCategory: 'validation',
              errorMessage: 'bad email',
            },
          ],
          idMap: [
            {
              sourceId: 'v1',
              kind: 'vendor',
              objectType: 'companies',
              hubspotId: '101',
              contentHash: 'h1',
              lastRunId: run.id,
            },
          ],
          cursor: { stream: 'vendor', position: { value: '7', key: 'v3' }, expectedVersion: 0 },
        });
        assert.deepEqual(result, { ok: true, cursorVersion: 1 });
        const after = await store.batches.get(batch.id);
        assert.equal(after?.status, 'partial');
        assert.equal(after?.attempts, 1);
        assert.equal(after?.recordCount, 3);
        assert.equal(after?.error, '1 record failed');
        assert.equal((await store.idMap.get(connection.id, 'v1'))?.hubspotId, '101');
        assert.deepEqual(await store.cursors.get(connection.id, 'vendor'), {
          cursor: { value: '7', key: 'v3' },
          version: 1,
        });
        const audit = await store.audit.query({ runId: run.id, order: 'asc' });
        assert.deepEqual(
          audit.rows.map((r) => [r.sourceId, r.action, r.batchId, r.at]),
          [
            ['v1', 'created', batch.id, clock.now()],
            ['v2', 'unchanged', batch.id, clock.now()],
            ['v3', 'failed', batch.id, clock.now()],
          ],
        );
        const counts = { created: 1, updated: 0, unchanged: 1, failed: 1, skipped: 0, archived: 0 };
        assert.deepEqual((await store.runs.get(run.id))?.counts, counts);
        assert.deepEqual(await store.audit.countsByAction(run.id), counts);
      });
    });

    it('on a cursor conflict writes nothing and reports the actual version', async () => {
      await withStore(factory, async ({ store }) => {
        const { connection, run, batch } = await seedRun(store);
        await store.cursors.advance(connection.id, 'vendor', { value: '5', key: 'x' }, 0);
        const result = await store.commitBatch({
          connectionId: connection.id,
          runId: run.id,
          batchId: batch.id,
          status: 'succeeded',
          audit: [{ stream: 'vendor', sourceId: 'v1', action: 'created', hubspotId: '1' }],
          idMap: [
            {
              sourceId: 'v1',
              kind: 'vendor',
              objectType: 'companies',
              hubspotId: '1',
              contentHash: 'h',
              lastRunId: run.id,
            },
          ],
          cursor: { stream: 'vendor', position: { value: '9', key: 'v1' }, expectedVersion: 0 },
        });
        assert.deepEqual(result, { ok: false, conflict: 'cursor', actualVersion: 1 });
        await assertUntouched(store, connection.id, run.id, batch.id, { value: '5', key: 'x' }, 1);
      });
    });

    it('leaves nothing half-written when a statement fails mid-transaction', async () => {
      await withStore(factory, async ({ store }) => {
        const { connection, run, batch } = await seedRun(store);
        // The cursor, batch and id-map writes succeed first; the audit insert then violates the
        // foreign key to sync_runs, and everything before it must roll back.
        await assert.rejects(
          store.commitBatch({
            connectionId: connection.id,
            runId: run.id + 1000,
            batchId: batch.id,
            status: 'succeeded',
            audit: [{ stream: 'vendor', sourceId: 'v1', action: 'created', hubspotId: '1' }],
            idMap: [
              {
                sourceId: 'v1',
                kind: 'vendor',
                objectType: 'companies',
                hubspotId: '1',
                contentHash: 'h',
                lastRunId: run.id,
              },
            ],
            cursor: { stream: 'vendor', position: { value: '9', key: 'v1' }, expectedVersion: 0 },
          }),
        );
        await assertUntouched(store, connection.id, run.id, batch.id, null, 0);

        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.connections.create({ name: 'inside', settings: {} });
            await tx.cursors.advance(connection.id, 'customer', { value: '1', key: '1' }, 0);
            throw new Error('boom');
          }),
          /boom/,
        );
        assert.equal(await store.connections.getByName('inside'), undefined);
        assert.equal((await store.cursors.get(connection.id, 'customer')).version, 0);
      });
    });
  });
}

async function assertUntouched(
  store: Store,
  connectionId: number,
  runId: number,
  batchId: number,
  cursor: { value: string; key: string } | null,
  version: number,
): Promise<void> {
  assert.equal((await store.batches.get(batchId))?.status, 'pending');
  assert.equal(await store.idMap.get(connectionId, 'v1'), undefined);
  assert.deepEqual(await store.cursors.get(connectionId, 'vendor'), { cursor, version });
  assert.deepEqual((await store.audit.query({ connectionId })).rows, []);
  assert.deepEqual((await store.runs.get(runId))?.counts, {
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    archived: 0,
  });
}
