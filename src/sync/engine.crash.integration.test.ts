/**
 * Crash safety: the process "dies" at every store write and every destination call (before and after
 * the call takes effect), or is cancelled at every upsert; a fresh engine then runs again over the same
 * SQLite store. HubSpot must end up equal to Epicor, with no record created twice and a successful
 * write of every record in the audit trail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from './result.js';
import { type CrashPoint, ProcessDeath } from './testing/faults.js';
import {
  assertConverged,
  type Harness,
  openHarness,
  putCustomer,
  putVendor,
  putVendorContact,
  seed,
} from './testing/harness.js';

type Phase = 'initial' | 'incremental';

async function prepare(phase: Phase): Promise<Harness> {
  const h = await openHarness();
  seed(h);
  if (phase === 'incremental') {
    const first = await h.engine().sync();
    assert.equal(first.status, 'succeeded');
    for (const n of [2, 7, 11]) putVendor(h, n, { Name: `Vendor ${n} v2` });
    putCustomer(h, 4, { City: 'Bath' });
    putCustomer(h, 9); // new
    putVendorContact(h, 3, 3, { PhoneNum: '+44 20 7946 0000' });
  }
  return h;
}

/** After the crash: one more change arrives, then a restarted engine syncs and replays what failed. */
async function recoverAndCheck(h: Harness): Promise<void> {
  putVendor(h, 5, { Name: 'Changed after the crash' });
  const rerun = await h.engine().sync();
  assert.equal(rerun.status, 'succeeded', JSON.stringify(rerun.error));
  await h.engine().replay({ allFailed: true });
  await assertConverged(h);
}

async function countCalls(phase: Phase): Promise<{ storeWrites: number; upserts: number }> {
  const h = await prepare(phase);
  const probe = new ProcessDeath();
  const result = await h
    .engine({ store: probe.wrapStore(h.syncStore), destination: probe.wrapDestination(h.hubspot) })
    .sync();
  assert.equal(result.status, 'succeeded');
  await h.close();
  return { storeWrites: probe.storeWrites, upserts: probe.upserts };
}

for (const phase of ['initial', 'incremental'] as const) {
  describe(`crash safety (${phase} sync)`, async () => {
    const { storeWrites, upserts } = await countCalls(phase);

    it('has enough crash points to be meaningful', () => {
      assert.ok(storeWrites >= 5, `store writes: ${storeWrites}`);
      assert.ok(upserts >= (phase === 'initial' ? 8 : 3), `upserts: ${upserts}`);
    });

    const points: { name: string; store?: CrashPoint; destination?: CrashPoint }[] = [];
    for (let at = 1; at <= storeWrites; at++) {
      for (const when of ['before', 'after'] as const)
        points.push({ name: `store write ${at} ${when}`, store: { at, when } });
    }
    for (let at = 1; at <= upserts; at++) {
      for (const when of ['before', 'after'] as const)
        points.push({ name: `upsert ${at} ${when}`, destination: { at, when } });
    }

    it('converges after a crash at every store write and every destination call', async () => {
      for (const point of points) {
        const h = await prepare(phase);
        try {
          const death = new ProcessDeath(point.store, point.destination);
          const crashed = await h
            .engine({ store: death.wrapStore(h.syncStore), destination: death.wrapDestination(h.hubspot) })
            .sync()
            .catch((error: unknown) => error);
          assert.ok(death.dead, `${point.name}: the crash happened`);
          if (!(crashed instanceof Error))
            assert.notEqual((crashed as RunResult).status, 'succeeded', point.name);
          await recoverAndCheck(h);
        } catch (error) {
          throw new Error(`crash point "${point.name}": ${(error as Error).message}`, { cause: error });
        } finally {
          await h.close();
        }
      }
    });

    it('converges after cancellation at every upsert', async () => {
      for (let at = 1; at <= upserts; at++) {
        const h = await prepare(phase);
        try {
          const controller = new AbortController();
          let calls = 0;
          h.hubspot.onUpsert = () => {
            if (++calls === at) controller.abort(new Error('shutdown'));
          };
          const cancelled = await h.engine().sync({ signal: controller.signal });
          assert.equal(cancelled.status, 'cancelled', `abort at upsert ${at}`);
          h.hubspot.onUpsert = undefined;
          await recoverAndCheck(h);
        } catch (error) {
          throw new Error(`abort at upsert ${at}: ${(error as Error).message}`, { cause: error });
        } finally {
          await h.close();
        }
      }
    });
  });
}
