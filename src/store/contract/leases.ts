import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type StoreTargetFactory, withStore } from './harness.js';

export function leasesContract(factory: StoreTargetFactory): void {
  describe('leases', () => {
    it('are exclusive until they expire, renewable by their holder, and releasable', async () => {
      await withStore(factory, async ({ store, clock }) => {
        const t0 = clock.now();
        const first = await store.leases.acquire('run:1', 'worker-a', 30_000);
        assert.deepEqual(first, {
          acquired: true,
          lease: { name: 'run:1', holder: 'worker-a', expiresAt: t0 + 30_000 },
        });
        assert.deepEqual(await store.leases.acquire('run:1', 'worker-b', 30_000), {
          acquired: false,
          heldBy: 'worker-a',
          expiresAt: t0 + 30_000,
        });
        // Another name is independent.
        assert.equal((await store.leases.acquire('run:2', 'worker-b', 30_000)).acquired, true);

        clock.advance(20_000);
        assert.equal(await store.leases.renew('run:1', 'worker-a', 30_000), true);
        assert.equal((await store.leases.get('run:1'))?.expiresAt, t0 + 50_000);
        assert.equal(await store.leases.renew('run:1', 'worker-b', 30_000), false);
        // Re-acquiring a lease we hold extends it.
        assert.equal((await store.leases.acquire('run:1', 'worker-a', 40_000)).acquired, true);
        assert.equal((await store.leases.get('run:1'))?.expiresAt, t0 + 60_000);

        clock.advance(39_999);
        assert.equal((await store.leases.acquire('run:1', 'worker-b', 30_000)).acquired, false);
        clock.advance(1);
        // Expired: someone else may take it, and the old holder can no longer renew or release it.
        const taken = await store.leases.acquire('run:1', 'worker-b', 30_000);
        assert.equal(taken.acquired, true);
        assert.equal(await store.leases.renew('run:1', 'worker-a', 30_000), false);
        assert.equal(await store.leases.release('run:1', 'worker-a'), false);
        assert.equal(await store.leases.release('run:1', 'worker-b'), true);
        assert.equal(await store.leases.get('run:1'), undefined);
        assert.equal((await store.leases.acquire('run:1', 'worker-a', 1)).acquired, true);
      });
    });

    it('let exactly one of many concurrent contenders win', async () => {
      await withStore(factory, async ({ store }) => {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.leases.acquire('run:9', `worker-${i}`, 10_000)),
        );
        const winners = results.filter((r) => r.acquired);
        assert.equal(winners.length, 1);
        const holder = (await store.leases.get('run:9'))?.holder;
        for (const r of results) if (!r.acquired) assert.equal(r.heldBy, holder);
      });
    });

    it('hold across two stores opened on the same database (two processes)', async (t) => {
      await withStore(factory, async ({ store, target, clock }) => {
        if (!target.reopenable) {
          t.skip('in-memory database cannot be shared');
          return;
        }
        const second = await target.open({ clock });
        try {
          assert.equal((await store.leases.acquire('connection:1', 'process-a', 5_000)).acquired, true);
          const refused = await second.leases.acquire('connection:1', 'process-b', 5_000);
          assert.equal(refused.acquired, false);
          const c = await store.connections.create({ name: 'shared', settings: {} });
          // Optimistic concurrency also holds across stores: both read version 0, one wins.
          const readByA = await store.cursors.get(c.id, 'vendor');
          const readByB = await second.cursors.get(c.id, 'vendor');
          assert.equal(
            (await second.cursors.advance(c.id, 'vendor', { value: '2', key: 'b' }, readByB.version)).ok,
            true,
          );
          assert.equal(
            (await store.cursors.advance(c.id, 'vendor', { value: '1', key: 'a' }, readByA.version)).ok,
            false,
          );
          assert.deepEqual((await store.cursors.get(c.id, 'vendor')).cursor, { value: '2', key: 'b' });
          clock.advance(5_000);
          assert.equal((await second.leases.acquire('connection:1', 'process-b', 5_000)).acquired, true);
        } finally {
          await second.close();
        }
      });
    });
  });
}
