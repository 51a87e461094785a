/**
 * `DELETE /api/connections/:id?purge=true` against the running service (real store, real config file,
 * both simulators): with purge the connection's stored credentials, cursors, id map and history go; without
 * it they stay. The same purge step as `connections remove --purge` (src/app/purge.ts), so a run still
 * holding the connection's lease blocks it, and a connection already removed from the config can still be
 * purged afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LEASE_PREFIX } from '../service/scheduler.js';
import { type ServiceHarness, startServiceHarness } from '../service/testing/service-harness.js';

interface Held {
  row: boolean;
  credentials: number;
  cursors: number;
  idMap: number;
  runs: number;
}

describe('DELETE /api/connections/:id?purge=true', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness({ records: 5 });
    // A real sync, so the demo connection holds cursors, id map rows, runs and audit rows.
    const done = h.service.scheduler.once('run:finished', (e) => e.connectionId === 'demo');
    assert.equal((await h.api('/api/connections/demo/sync', { method: 'POST' })).status, 202);
    assert.equal((await done).summary.status, 'succeeded');
    // The config must keep one connection: this one stays throughout.
    const keeper = await h.api('/api/connections', {
      method: 'POST',
      body: {
        id: 'keeper',
        epicor: {
          tenantUrl: 'http://127.0.0.1:9/E',
          company: 'EPIC08',
          auth: { kind: 'basic', username: 'u' },
        },
        hubspot: { baseUrl: 'http://127.0.0.1:9' },
        schedule: { every: '2h' },
      },
    });
    assert.equal(keeper.status, 201, await keeper.text());
  });
  after(async () => {
    await h?.close();
  });

  const held = async (name: string): Promise<Held> => {
    const { store } = h.ctx;
    const row = await store.connections.getByName(name);
    if (row === undefined) return { row: false, credentials: 0, cursors: 0, idMap: 0, runs: 0 };
    return {
      row: true,
      credentials: (await store.credentials.list(row.id)).length,
      cursors: (await store.cursors.list(row.id)).size,
      idMap: await store.idMap.count(row.id),
      runs: (await store.runs.listRecent({ connectionId: row.id })).length,
    };
  };
  const nothing: Held = { row: false, credentials: 0, cursors: 0, idMap: 0, runs: 0 };

  /** A second connection in the config, with a copy of demo's stored state under its own row. */
  const addSecond = async (): Promise<void> => {
    const added = await h.api('/api/connections', {
      method: 'POST',
      body: {
        id: 'second',
        epicor: {
          tenantUrl: 'http://127.0.0.1:9/E',
          company: 'EPIC07',
          auth: { kind: 'basic', username: 'u' },
        },
        hubspot: { baseUrl: 'http://127.0.0.1:9' },
        schedule: { every: '2h' },
      },
    });
    assert.equal(added.status, 201);
    const { store } = h.ctx;
    const from = await store.connections.getByName('demo');
    assert.ok(from);
    // The service may have made its row when it scheduled it.
    const row =
      (await store.connections.getByName('second')) ??
      (await store.connections.create({ name: 'second', settings: {} }));
    await store.credentials.putMany(
      (await store.credentials.list(from.id)).map(({ updatedAt: _, ...blob }) => ({
        ...blob,
        connectionId: row.id,
      })),
    );
    await store.cursors.advance(row.id, 'vendor', { value: '5', key: '7' }, 0);
    await store.idMap.upsertMany(row.id, [
      {
        sourceId: 'EPIC07:vendor:7',
        kind: 'vendor',
        objectType: 'companies',
        hubspotId: '901',
        contentHash: 'h',
        lastRunId: null,
      },
    ]);
    await store.runs.start({ connectionId: row.id, kind: 'sync' });
  };

  it('without purge removes the connection from the config and keeps its stored state', async () => {
    const before = await held('demo');
    assert.deepEqual(
      {
        ...before,
        credentials: before.credentials > 0,
        cursors: before.cursors > 0,
        idMap: before.idMap > 0,
      },
      { row: true, credentials: true, cursors: true, idMap: true, runs: 1 },
      'the sync left state behind',
    );
    const removed = await h.api('/api/connections/demo', { method: 'DELETE' });
    assert.equal(removed.status, 200);
    const body = (await removed.json()) as Record<string, unknown>;
    assert.equal(body['change'], 'removed');
    assert.equal('purged' in body, false);
    assert.deepEqual(await held('demo'), before);
    assert.equal((await h.api('/api/connections/demo', { method: 'DELETE' })).status, 404);
  });

  it('with purge removes it from the config and deletes its credentials, cursors, id map and history', async () => {
    await addSecond();
    const demoBefore = await held('demo');
    assert.deepEqual(await held('second'), { row: true, credentials: 2, cursors: 1, idMap: 1, runs: 1 });

    // While a run of it still holds the lease (another process here), nothing is deleted.
    const lease = `${LEASE_PREFIX}second`;
    assert.ok((await h.ctx.store.leases.acquire(lease, 'other-host:1:x', 60_000)).acquired);
    const blocked = await h.api('/api/connections/second?purge=true', { method: 'DELETE' });
    assert.equal(blocked.status, 409);
    assert.equal(((await blocked.json()) as { error: { code: string } }).error.code, 'ERR_LEASE_HELD');
    assert.equal(h.service.scheduler.status('second'), undefined, 'the config edit itself went through');
    assert.deepEqual(await held('second'), { row: true, credentials: 2, cursors: 1, idMap: 1, runs: 1 });
    await h.ctx.store.leases.release(lease, 'other-host:1:x');

    // Asking again purges what the store kept, though the config no longer names it.
    const retried = await h.api('/api/connections/second?purge=true', { method: 'DELETE' });
    assert.equal(retried.status, 200);
    assert.deepEqual(((await retried.json()) as Record<string, unknown>)['purged'], true);
    assert.deepEqual(await held('second'), nothing);
    assert.deepEqual(await held('demo'), demoBefore, "another connection's state is untouched");
  });

  it('purges in one call, purges one removed earlier without purge, and answers 404 when nothing is left', async () => {
    await addSecond();
    const once = await h.api('/api/connections/second?purge=1', { method: 'DELETE' });
    assert.equal(once.status, 200);
    const body = (await once.json()) as {
      change: string;
      removedFromConfig: boolean;
      purged: boolean;
      reload: { removed: string[] };
    };
    assert.deepEqual(
      [body.change, body.removedFromConfig, body.purged, body.reload.removed],
      ['removed', true, true, ['second']],
    );
    assert.deepEqual(await held('second'), nothing);

    // demo was removed from the config by the first test, without purge.
    const late = await h.api('/api/connections/demo?purge=true', { method: 'DELETE' });
    assert.equal(late.status, 200);
    const lateBody = (await late.json()) as { removedFromConfig: boolean; purged: boolean };
    assert.deepEqual([lateBody.removedFromConfig, lateBody.purged], [false, true]);
    assert.deepEqual(await held('demo'), nothing);

    const gone = await h.api('/api/connections/demo?purge=true', { method: 'DELETE' });
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as { error: { code: string } }).error.code, 'ERR_CONNECTION_NOT_FOUND');
  });
});
