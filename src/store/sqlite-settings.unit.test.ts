import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { applySqliteSettings, DEFAULT_SQLITE_CACHE_MB } from './sqlite-settings.js';
import { withStatementCache } from './sqlite-statement-cache.js';

describe('applySqliteSettings', () => {
  it('sets the page cache in KiB and turns on foreign keys', () => {
    const db = new SqliteDatabase(':memory:');
    try {
      applySqliteSettings(db, { wal: false, cacheMb: DEFAULT_SQLITE_CACHE_MB });
      assert.equal(db.pragma('cache_size', { simple: true }), -4096);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      applySqliteSettings(db, { wal: false, cacheMb: 32 });
      assert.equal(db.pragma('cache_size', { simple: true }), -32768);
    } finally {
      db.close();
    }
  });
});

describe('withStatementCache', () => {
  it('hands back the same prepared statement for the same SQL, and results stay right', () => {
    const raw = new SqliteDatabase(':memory:');
    const db = withStatementCache(raw);
    db.prepare('create table t (v integer)').run([]);
    const insert = db.prepare('insert into t (v) values (?)');
    insert.run([1]);
    assert.equal(db.prepare('insert into t (v) values (?)'), insert);
    db.prepare('insert into t (v) values (?)').run([2]);
    assert.deepEqual(db.prepare('select v from t order by v').all([]), [{ v: 1 }, { v: 2 }]);
    db.close();
    assert.equal(raw.open, false);
  });

  it('keeps at most its capacity, evicting the least recently used', () => {
    const db = withStatementCache(new SqliteDatabase(':memory:'), 2);
    const a = db.prepare('select 1');
    const b = db.prepare('select 2');
    assert.equal(db.prepare('select 1'), a); // a is now the most recent
    db.prepare('select 3'); // evicts b
    assert.equal(db.prepare('select 1'), a);
    assert.notEqual(db.prepare('select 2'), b);
    db.close();
  });
});
