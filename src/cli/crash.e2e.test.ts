/**
 * `kill -9` of the CLI at several points of a sync (seeded, deterministic kill points: at an Epicor data
 * request, or right after the Nth committed batch), then a re-run: HubSpot equals Epicor, nothing is
 * duplicated, and every record has a successful write in the audit trail. Also SIGINT: checkpoint and 130.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CONNECTION, E2EWorld } from './testing/e2e.js';

type KillPoint =
  | { readonly name: string; readonly atEpicorRequest: number; readonly incremental?: boolean }
  | { readonly name: string; readonly afterBatches: number; readonly incremental?: boolean };

const KILL_POINTS: readonly KillPoint[] = [
  { name: 'at the 2nd Epicor data request (first pages in flight)', atEpicorRequest: 2 },
  { name: 'at the 6th Epicor data request (companies done, contacts paging)', atEpicorRequest: 6 },
  { name: 'right after the 3rd committed batch', afterBatches: 3 },
  { name: 'right after the 7th committed batch of an incremental sync', afterBatches: 7, incremental: true },
];

const countBatches = (stderr: string): number => stderr.split('"msg":"batch committed"').length - 1;

describe('kill -9 mid-sync, then re-run (CLI ↔ simulators)', { concurrency: 3 }, () => {
  const worlds: E2EWorld[] = [];
  after(async () => {
    await Promise.all(worlds.map((w) => w.close()));
  });

  for (const [index, point] of KILL_POINTS.entries()) {
    it(`killed ${point.name}: the re-run converges with no duplicates and a complete audit trail`, async () => {
      const world = await E2EWorld.start({ vendors: 20, customers: 20, top: 5, seed: 100 + index });
      worlds.push(world);
      const c = world.epicor.control;
      if (point.incremental === true) {
        const first = await world.cli('sync');
        assert.equal(first.code, 0, first.stderr);
        for (const v of c.list('Vendors').slice(0, 12)) {
          c.update('Vendors', { VendorNum: Number(v['VendorNum']) }, { City: 'Killville' });
        }
        for (const r of c.list('Customers').slice(0, 12)) {
          c.update('Customers', { CustNum: Number(r['CustNum']) }, { City: 'Killville' });
        }
      }
      const running = world.spawnCli(['sync']);
      if ('atEpicorRequest' in point) {
        const target = c.dataRequestCount + point.atEpicorRequest;
        const off = c.onDataRequest(async (n) => {
          if (n !== target) return;
          running.child.kill('SIGKILL');
          await running.done; // the request is answered only after the process is gone
        });
        const killed = await running.done;
        off();
        assert.equal(killed.signal, 'SIGKILL', `the run was killed (exit ${killed.code}):\n${killed.stderr}`);
      } else {
        await running.waitForStderr((text) => countBatches(text) >= point.afterBatches);
        running.child.kill('SIGKILL');
        const killed = await running.done;
        assert.equal(killed.signal, 'SIGKILL', `the run finished before the kill:\n${killed.stdout}`);
      }

      const rerun = await world.cli('sync');
      assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
      assert.deepEqual(world.differences(), []);
      const { companies, contacts } = world.expected();
      assert.equal(world.hubspot.control.count('companies'), companies.size, 'no duplicate companies');
      assert.equal(world.hubspot.control.count('contacts'), contacts.size, 'no duplicate contacts');
      await world.withContext(async (ctx) => {
        const row = await ctx.store.connections.getByName(CONNECTION);
        for (const id of [...companies.keys(), ...contacts.keys()]) {
          const written = await ctx.store.audit.query({
            connectionId: row?.id ?? 0,
            sourceId: id,
            actions: ['created', 'updated'],
            limit: 1,
          });
          assert.equal(written.rows.length, 1, `${id} has a successful write in the audit trail`);
        }
      });
      if (point.incremental === true) {
        const changed = world.hubspot.control
          .records('companies')
          .filter((r) => r.properties['city'] === 'Killville');
        assert.equal(changed.length, 24, 'every change made before the killed run landed');
      }
    });
  }

  it('SIGINT checkpoints the batch in flight and exits 130; the next run completes', async () => {
    const world = await E2EWorld.start({ vendors: 20, customers: 20, top: 5, seed: 200 });
    worlds.push(world);
    const running = world.spawnCli(['sync']);
    await running.waitForStderr((text) => countBatches(text) >= 2);
    running.child.kill('SIGINT');
    const stopped = await running.done;
    if (stopped.code !== 0) {
      // (A run that finished before the signal arrived exits 0; the checkpoint path is then moot.)
      assert.equal(stopped.code, 130, stopped.stdout + stopped.stderr);
      assert.match(stopped.stdout, /cancelled/);
      assert.match(stopped.stdout, /\[aborted\]/, 'the batch in flight is checkpointed as aborted');
    }
    const rerun = await world.cli('sync');
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(world.differences(), []);
  });
});
