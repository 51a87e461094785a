import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { E2EWorld } from './testing/e2e.js';

/** pino JSON lines on stderr with the given message. */
function logLines(stderr: string, msg: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['msg'] === msg);
}

describe('ml-connector run (service mode, spawned against both simulators)', () => {
  let world: E2EWorld;
  before(async () => {
    world = await E2EWorld.start({ vendors: 30, customers: 30, top: 5 });
  });
  after(() => world.close());

  it('SIGTERM in the middle of a run checkpoints and exits; the restart resumes and loses nothing', async () => {
    // Slow Epicor pages down so the first run is surely still going when the signal lands.
    world.epicor.control.setLatency(80);
    const first = world.spawnCli(['run', '--port', '0']);
    await first.waitForStderr((text) => logLines(text, 'batch committed').length >= 3);
    assert.match(first.stderrLines().join('\n'), /Dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stderr, /Stopping: finishing the pages in flight/);
    assert.match(stopped.stderr, /Stopped\. The next start resumes from the saved cursors\./);

    const firstRun = await world.withContext(async (ctx) => {
      const runs = await ctx.store.runs.listRecent({});
      assert.equal(runs.length, 1);
      const run = runs[0];
      assert.ok(run);
      assert.equal(run.status, 'cancelled', 'the run ended early, on request');
      const batches = await ctx.store.batches.listByRun(run.id);
      assert.ok(batches.length >= 3);
      assert.deepEqual(
        batches.filter((b) => b.status !== 'succeeded').map((b) => b.status),
        [],
        'the stop landed between pages: every page in flight was committed',
      );
      const row = await ctx.store.connections.getByName('main');
      assert.ok(row);
      assert.ok((await ctx.store.cursors.list(row.id)).size > 0, 'cursors were checkpointed');
      assert.equal(await ctx.store.leases.get('sync:main'), undefined, 'the lease was released');
      return run;
    });
    const partial = world.hubspot.control.count('companies') + world.hubspot.control.count('contacts');
    const { companies, contacts } = world.expected();
    assert.ok(partial > 0 && partial < companies.size + contacts.size, `only part was synced (${partial})`);

    world.epicor.control.setLatency(0);
    const second = world.spawnCli(['run', '--port', '0']);
    await second.waitForStderr((text) => logLines(text, 'run ended').length >= 1);
    second.child.kill('SIGTERM');
    const restarted = await second.done;
    assert.equal(restarted.code, 0, restarted.stderr);
    const [ended] = logLines(restarted.stderr, 'run ended');
    assert.equal(ended?.['status'], 'succeeded', restarted.stderr);

    assert.deepEqual(world.differences(), [], 'HubSpot now equals Epicor: nothing lost, nothing doubled');
    await world.withContext(async (ctx) => {
      const row = await ctx.store.connections.getByName('main');
      assert.ok(row);
      const [secondRun] = await ctx.store.runs.listRecent({ connectionId: row.id, limit: 1 });
      assert.ok(secondRun && secondRun.id !== firstRun.id);
      assert.equal(secondRun.counts.updated, 0, 'nothing written twice');
      assert.equal(
        firstRun.counts.created + secondRun.counts.created,
        companies.size + contacts.size,
        'the restart created only what the first run had not: it resumed from the checkpoints',
      );
    });
  });
});
