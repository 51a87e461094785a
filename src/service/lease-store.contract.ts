import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { LeaseStore } from './ports.js';

export interface LeaseStoreHarness {
  readonly store: LeaseStore;
  /** Moves the time the store sees forward (a ManualClock's advance). */
  advance(ms: number): void;
  close?(): Promise<void>;
}

/**
 * The `LeaseStore` contract, written once and run against every backing: the in-memory store here, and the
 * SQLite/PostgreSQL lease tables (the lead calls this with `leaseStoreWithClock(store, clock)`). Each test
 * gets a fresh harness.
 */
export function leaseStoreContract(label: string, create: () => Promise<LeaseStoreHarness>): void {
  describe(`LeaseStore contract: ${label}`, () => {
    const open: LeaseStoreHarness[] = [];
    const fresh = async (): Promise<LeaseStoreHarness> => {
      const harness = await create();
      open.push(harness);
      return harness;
    };
    after(async () => {
      for (const harness of open) await harness.close?.();
    });

    it('gives a free lease to the first holder and refuses a second holder', async () => {
      const { store } = await fresh();
      assert.equal(await store.acquire('sync:a', 'p1', 30_000), true);
      assert.equal(await store.acquire('sync:a', 'p2', 30_000), false);
      assert.equal(await store.acquire('sync:b', 'p2', 30_000), true, 'other names are independent');
    });

    it('lets the holder re-acquire and renew its own lease', async () => {
      const { store } = await fresh();
      assert.equal(await store.acquire('sync:a', 'p1', 30_000), true);
      assert.equal(await store.acquire('sync:a', 'p1', 30_000), true);
      assert.equal(await store.renew('sync:a', 'p1', 30_000), true);
      assert.equal(await store.renew('sync:a', 'p2', 30_000), false, 'a non-holder cannot renew');
    });

    it('hands an expired lease to another holder; the old holder can no longer renew', async () => {
      const harness = await fresh();
      const { store } = harness;
      assert.equal(await store.acquire('sync:a', 'p1', 10_000), true);
      harness.advance(9_999);
      assert.equal(await store.acquire('sync:a', 'p2', 10_000), false, 'still held 1 ms before expiry');
      harness.advance(2);
      assert.equal(await store.acquire('sync:a', 'p2', 10_000), true);
      assert.equal(await store.renew('sync:a', 'p1', 10_000), false);
    });

    it('renewal pushes expiry out from the time of renewal', async () => {
      const harness = await fresh();
      const { store } = harness;
      await store.acquire('sync:a', 'p1', 10_000);
      harness.advance(8_000);
      assert.equal(await store.renew('sync:a', 'p1', 10_000), true);
      harness.advance(8_000);
      assert.equal(await store.acquire('sync:a', 'p2', 10_000), false, 'renewed lease is still live');
    });

    it('release frees the lease only for its holder', async () => {
      const { store } = await fresh();
      await store.acquire('sync:a', 'p1', 30_000);
      await store.release('sync:a', 'p2');
      assert.equal(await store.acquire('sync:a', 'p2', 30_000), false, "p2 cannot release p1's lease");
      await store.release('sync:a', 'p1');
      assert.equal(await store.acquire('sync:a', 'p2', 30_000), true);
      await store.release('sync:missing', 'p1');
    });

    it('concurrent acquires by different holders: exactly one wins', async () => {
      const { store } = await fresh();
      const results = await Promise.all(
        ['p1', 'p2', 'p3', 'p4'].map((holder) => store.acquire('sync:race', holder, 30_000)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
