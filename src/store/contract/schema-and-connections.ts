import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { type StoreTargetFactory, withStore } from './harness.js';

export function schemaAndConnectionsContract(factory: StoreTargetFactory): void {
  describe('migrations', () => {
    it('are idempotent: reopening keeps data and applies nothing twice', async (t) => {
      await withStore(factory, async ({ store, target, clock }) => {
        if (!target.reopenable) {
          t.skip('in-memory database cannot be reopened');
          return;
        }
        await store.connections.create({ name: 'kept', settings: {} });
        for (let i = 0; i < 2; i++) {
          const again = await target.open({ clock });
          try {
            assert.deepEqual(
              (await again.connections.list()).map((c) => c.name),
              ['kept'],
            );
          } finally {
            await again.close();
          }
        }
      });
    });

    it('refuse a database migrated by a newer release, with a typed error, and leave it untouched', async (t) => {
      await withStore(factory, async ({ store, target, clock }) => {
        if (!target.reopenable) {
          t.skip('in-memory database cannot be reopened');
          return;
        }
        await store.connections.create({ name: 'precious', settings: {} });
        const newer = await target.open({
          clock,
          extraMigrations: {
            '9999-from-the-future': {
              up: async (db) => {
                await sql`create table future_thing (id integer)`.execute(db);
              },
            },
          },
        });
        await newer.close();
        await assert.rejects(target.open({ clock }), (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.equal((error as Error & { code?: string }).code, 'ERR_STORE_SCHEMA_TOO_NEW');
          assert.match(error.message, /9999-from-the-future/);
          assert.match(error.message, /Upgrade ml-connector/);
          return true;
        });
        const stillNewer = await target.open({
          clock,
          extraMigrations: { '9999-from-the-future': { up: async () => {} } },
        });
        try {
          assert.deepEqual(
            (await stillNewer.connections.list()).map((c) => c.name),
            ['precious'],
          );
        } finally {
          await stillNewer.close();
        }
      });
    });
  });

  describe('connections', () => {
    it('create, read, update, pause, list and delete', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const a = await store.connections.create({
          name: 'alpha',
          settings: { company: 'EPIC06', nested: { n: 1 } },
        });
        clock.advance(1000);
        const b = await store.connections.create({ name: 'beta', settings: {}, paused: true });
        assert.equal(a.paused, false);
        assert.equal(b.paused, true);
        assert.deepEqual(a.settings, { company: 'EPIC06', nested: { n: 1 } });
        assert.equal(a.createdAt, Date.UTC(2026, 0, 1));
        assert.deepEqual(await store.connections.get(a.id), a);
        assert.deepEqual(await store.connections.getByName('beta'), b);
        assert.equal(await store.connections.get(9_999_999), undefined);

        clock.advance(1000);
        const paused = await store.connections.setPaused(a.id, true);
        assert.equal(paused.paused, true);
        assert.equal(paused.updatedAt, Date.UTC(2026, 0, 1) + 2000);
        const renamed = await store.connections.update(a.id, { name: 'alpha2', settings: { company: 'X' } });
        assert.equal(renamed.name, 'alpha2');
        assert.deepEqual(renamed.settings, { company: 'X' });
        assert.deepEqual(
          (await store.connections.list()).map((c) => c.name),
          ['alpha2', 'beta'],
        );

        assert.equal(await store.connections.delete(b.id), true);
        assert.equal(await store.connections.delete(b.id), false);
        assert.deepEqual(
          (await store.connections.list()).map((c) => c.id),
          [a.id],
        );
      });
    });

    it('reject a duplicate name with ERR_STORE_CONFLICT, and an unknown id with ERR_STORE_NOT_FOUND', async () => {
      await withStore(factory, async ({ store }) => {
        const a = await store.connections.create({ name: 'same', settings: {} });
        await assert.rejects(store.connections.create({ name: 'same', settings: {} }), {
          code: 'ERR_STORE_CONFLICT',
        });
        const b = await store.connections.create({ name: 'other', settings: {} });
        await assert.rejects(store.connections.update(b.id, { name: 'same' }), {
          code: 'ERR_STORE_CONFLICT',
        });
        await assert.rejects(store.connections.update(a.id + b.id + 100, { paused: true }), {
          code: 'ERR_STORE_NOT_FOUND',
        });
      });
    });

    it('deleting a connection removes everything that belongs to it', async () => {
      await withStore(factory, async ({ store }) => {
        const c = await store.connections.create({ name: 'gone', settings: {} });
        const keep = await store.connections.create({ name: 'kept', settings: {} });
        const run = await store.runs.start({ connectionId: c.id, kind: 'sync' });
        const batch = await store.batches.create({
          runId: run.id,
          connectionId: c.id,
          stream: 'vendor',
          query: { servicePath: 'x' },
        });
        await store.credentials.put({
          connectionId: c.id,
          system: 'epicor',
          keyId: 'k',
          ciphertext: Buffer.from('c'),
          iv: Buffer.alloc(12),
          authTag: Buffer.alloc(16),
        });
        const ok = await store.commitBatch({
          connectionId: c.id,
          runId: run.id,
          batchId: batch.id,
          status: 'succeeded',
          audit: [{ stream: 'vendor', sourceId: 's1', action: 'created' }],
          idMap: [
            {
              sourceId: 's1',
              kind: 'vendor',
              objectType: 'companies',
              hubspotId: '1',
              contentHash: 'h',
              lastRunId: run.id,
            },
          ],
          cursor: { stream: 'vendor', position: { value: '1', key: '1' }, expectedVersion: 0 },
        });
        assert.equal(ok.ok, true);
        await store.connections.delete(c.id);
        assert.equal(await store.runs.get(run.id), undefined);
        assert.equal(await store.batches.get(batch.id), undefined);
        assert.deepEqual(await store.credentials.list(c.id), []);
        assert.equal(await store.idMap.count(c.id), 0);
        assert.equal((await store.cursors.get(c.id, 'vendor')).version, 0);
        assert.deepEqual((await store.audit.query({ connectionId: c.id })).rows, []);
        assert.ok(await store.connections.get(keep.id));
      });
    });
  });

  describe('credential blobs', () => {
    it('round-trip every byte value, list without other connections, replace and delete', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const c1 = await store.connections.create({ name: 'c1', settings: {} });
        const c2 = await store.connections.create({ name: 'c2', settings: {} });
        const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const blob = {
          connectionId: c1.id,
          system: 'hubspot' as const,
          keyId: '0123456789abcdef',
          ciphertext: allBytes,
          iv: Buffer.alloc(12, 7),
          authTag: Buffer.alloc(16, 255),
        };
        await store.credentials.put(blob);
        await store.credentials.put({ ...blob, connectionId: c2.id, system: 'epicor' });
        const got = await store.credentials.get(c1.id, 'hubspot');
        assert.ok(got);
        assert.deepEqual(got.ciphertext, allBytes);
        assert.deepEqual(got.iv, blob.iv);
        assert.deepEqual(got.authTag, blob.authTag);
        assert.equal(got.keyId, blob.keyId);
        assert.equal(got.updatedAt, clock.now());
        assert.equal(await store.credentials.get(c1.id, 'epicor'), undefined);

        clock.advance(5);
        await store.credentials.put({ ...blob, keyId: 'fedcba9876543210', ciphertext: Buffer.from('new') });
        const replaced = await store.credentials.get(c1.id, 'hubspot');
        assert.equal(replaced?.keyId, 'fedcba9876543210');
        assert.equal(replaced?.ciphertext.toString(), 'new');
        assert.deepEqual(
          (await store.credentials.list()).map((b) => [b.connectionId, b.system]),
          [
            [c1.id, 'hubspot'],
            [c2.id, 'epicor'],
          ],
        );
        assert.equal((await store.credentials.list(c2.id)).length, 1);
        assert.equal(await store.credentials.delete(c1.id, 'hubspot'), true);
        assert.equal(await store.credentials.delete(c1.id, 'hubspot'), false);
      });
    });

    it('putMany is all-or-nothing', async () => {
      await withStore(factory, async ({ store }) => {
        const c = await store.connections.create({ name: 'c', settings: {} });
        const blob = {
          connectionId: c.id,
          system: 'epicor' as const,
          keyId: 'old',
          ciphertext: Buffer.from('x'),
          iv: Buffer.alloc(12),
          authTag: Buffer.alloc(16),
        };
        await store.credentials.put(blob);
        // The second row points at a connection that does not exist: the foreign key fails.
        await assert.rejects(
          store.credentials.putMany([
            { ...blob, keyId: 'new' },
            { ...blob, connectionId: c.id + 1000, keyId: 'new' },
          ]),
        );
        assert.equal((await store.credentials.get(c.id, 'epicor'))?.keyId, 'old');
      });
    });
  });
}
