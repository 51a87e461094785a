import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SyncEvents } from './events.js';
import { readAhead } from './read-ahead.js';

describe('read-ahead of exactly one item', () => {
  it('requests item n+1 when item n is handed out, never n+2', async () => {
    const requested: number[] = [];
    async function* source() {
      for (let i = 1; i <= 4; i++) {
        requested.push(i);
        yield i;
      }
    }
    const seen: [number, number][] = [];
    for await (const item of readAhead(source())) {
      await Promise.resolve();
      seen.push([item, requested.length]);
    }
    assert.deepEqual(seen, [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 4],
    ]);
  });

  it('surfaces a read-ahead failure only when that item is asked for, and closes the source early', async () => {
    let closed = false;
    async function* failing() {
      try {
        yield 1;
        throw new Error('page 2 failed');
      } finally {
        closed = true;
      }
    }
    const got: number[] = [];
    await assert.rejects(async () => {
      for await (const item of readAhead(failing())) got.push(item);
    }, /page 2 failed/);
    assert.deepEqual(got, [1]);
    assert.ok(closed);

    closed = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const item of readAhead(endless())) if (item === 2) break;
    assert.ok(closed, 'breaking out closes the source');
  });
});

describe('sync events', () => {
  it('isolates throwing listeners and resolves `once` with the matching payload', async () => {
    const events = new SyncEvents();
    const got: string[] = [];
    events.on('record:failed', () => {
      throw new Error('listener bug');
    });
    events.on('record:failed', (e) => got.push(e.sourceId));
    const second = events.once('record:failed', { filter: (e) => e.sourceId === 'b' });
    const base = { runId: '1', kind: 'vendor', category: 'x', message: 'y' } as const;
    events.emit('record:failed', { ...base, sourceId: 'a' });
    events.emit('record:failed', { ...base, sourceId: 'b' });
    assert.equal((await second).sourceId, 'b');
    assert.deepEqual(got, ['a', 'b']);
    const aborted = new AbortController();
    const never = events.once('run:end', { signal: aborted.signal });
    aborted.abort(new Error('stop waiting'));
    await assert.rejects(never, /stop waiting/);
  });
});

describe('read-ahead of several items', () => {
  it('keeps `depth` items requested beyond the one handed out, never more', async () => {
    const requested: number[] = [];
    async function* source() {
      for (let i = 1; i <= 6; i++) {
        requested.push(i);
        yield i;
      }
    }
    const seen: [number, number][] = [];
    for await (const item of readAhead(source(), 3)) {
      for (let turn = 0; turn < 10; turn++) await Promise.resolve();
      seen.push([item, requested.length]);
    }
    assert.deepEqual(seen, [
      [1, 4],
      [2, 5],
      [3, 6],
      [4, 6],
      [5, 6],
      [6, 6],
    ]);
  });

  it('surfaces a failure in order, after the items before it', async () => {
    async function* failing() {
      yield 1;
      yield 2;
      throw new Error('page 3 failed');
    }
    const got: number[] = [];
    await assert.rejects(async () => {
      for await (const item of readAhead(failing(), 4)) got.push(item);
    }, /page 3 failed/);
    assert.deepEqual(got, [1, 2]);
  });
});
