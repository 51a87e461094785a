/**
 * The built CLI when a system fails: a wrong Epicor API key, and Epicor down mid-run — each ending
 * with the documented exit code, the failure recorded in the store, and replay completing the work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONNECTION, E2EWorld } from './testing/e2e.js';

describe('failures end to end (CLI ↔ simulators)', () => {
  let world: E2EWorld;
  before(async () => {
    world = await E2EWorld.start({ vendors: 24, customers: 24, top: 8, seed: 11 });
    world.hubspot.control.clearRequestLog();
  });
  after(async () => {
    await world?.close();
  });

  it('a wrong Epicor API key: exit 3, a message naming the API key, zero HubSpot requests', async () => {
    await world.putCredentials({ epicor: { apiKey: 'definitely-wrong-key' } });
    const result = await world.cli('sync');
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout, /API key/i);
    assert.doesNotMatch(
      result.stdout + result.stderr,
      /definitely-wrong-key/,
      'the key itself is never printed',
    );
    assert.equal(world.hubspot.control.requestLog().length, 0);
    await world.putCredentials();
  });

  it('Epicor down mid-run: the run fails with its batch recorded; replay --failed completes it', async () => {
    const c = world.epicor.control;
    const start = c.dataRequestCount;
    const off = c.onDataRequest((n) => {
      if (n === start + 3) c.failNext(1_000_000, { status: 503 });
    });
    const { result, json } = await world.cliJson('sync');
    off();
    c.clearFaults();
    assert.equal(result.code, 5, result.stderr);
    assert.equal(json.status, 'failed');
    const failed = await world.withContext(async (ctx) => {
      const row = await ctx.store.connections.getByName(CONNECTION);
      assert.ok(row);
      return ctx.store.batches.listFailed({ connectionId: row.id });
    });
    assert.ok(failed.length > 0, 'the failed page is recorded as a batch');
    assert.ok(failed.every((b) => typeof b.query === 'object' && b.query !== null));

    const replay = await world.cliJson('replay', '--failed');
    assert.equal(replay.result.code, 0, replay.result.stderr);
    assert.equal(replay.json.status, 'succeeded');
    const left = await world.withContext(async (ctx) => {
      const row = await ctx.store.connections.getByName(CONNECTION);
      return ctx.store.batches.listFailed({ connectionId: row?.id ?? 0 });
    });
    assert.deepEqual(left, [], 'every failed batch was replayed');
    const next = await world.cli('sync');
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(world.differences(), []);
  });
});
