import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './open.js';
import { defineStoreContract } from './store.contract.js';

defineStoreContract('SQLite file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ml-connector-store-'));
  const sqlitePath = join(dir, 'nested', 'store.db');
  return {
    reopenable: true,
    open: (options = {}) => openStore({ sqlitePath, ...options }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});

defineStoreContract('SQLite :memory:', async () => ({
  reopenable: false,
  open: (options = {}) => openStore({ sqlitePath: ':memory:', ...options }),
  dispose: async () => {},
}));
