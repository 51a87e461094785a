import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { MasterKey } from '../credentials/index.js';
import { buildConnection, ensureConnectionRow } from './connection.js';
import { openAppContext } from './context.js';
import { MissingCredentialError } from './secrets.js';

const CONFIG = `connections:
  - id: main
    epicor: { tenantUrl: "http://127.0.0.1:9/E", company: EPIC06, auth: { kind: basic, username: u } }
    hubspot: { baseUrl: "http://127.0.0.1:9" }
  - id: second
    epicor: { tenantUrl: "http://127.0.0.1:9/E", company: EPIC07, auth: { kind: basic, username: u } }
    hubspot: { baseUrl: "http://127.0.0.1:9" }
`;

describe('openAppContext / buildConnection (SQLite in a temp dir)', () => {
  let dir: string;
  let configPath: string;
  const env = { ML_CONNECTOR_MASTER_KEY: MasterKey.generate().unsafeExport() };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-app-'));
    configPath = join(dir, 'ml-connector.yaml');
    await writeFile(configPath, CONFIG);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an invalid config is reported with every path before anything is written', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `dataDir: ${JSON.stringify(join(dir, 'bad-data'))}\nconnections:\n  - id: Bad Id\n`);
    await assert.rejects(
      openAppContext({ configPath: bad, env, logger: silentLogger }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.issues.some((i) => i.startsWith('connections[0].id')) &&
        error.issues.some((i) => i.startsWith('connections[0].epicor')),
    );
    assert.equal(existsSync(join(dir, 'bad-data')), false, 'no data dir, no database');
  });

  it('without a master key it refuses, unless asked not to need one', async () => {
    await assert.rejects(openAppContext({ configPath, env: {}, logger: silentLogger }), /key file/i);
    const ctx = await openAppContext({ configPath, env: {}, logger: silentLogger, requireKey: false });
    try {
      assert.equal((await ctx.store.connections.list()).length, 0);
      assert.throws(() => ctx.vault, /key file/i);
    } finally {
      await ctx.close();
    }
  });

  it('picks the connection, names the missing credentials, registers stored secrets for redaction', async () => {
    const ctx = await openAppContext({ configPath, env, logger: silentLogger });
    try {
      assert.throws(() => ctx.connectionConfig(), /choose one with --connection/);
      assert.throws(() => ctx.connectionConfig('nope'), /No connection "nope".*main, second/);
      await assert.rejects(
        buildConnection(ctx, 'main'),
        (error: unknown) => error instanceof MissingCredentialError && /epicor\.apiKey/.test(error.message),
      );
      const row = await ensureConnectionRow(ctx, ctx.connectionConfig('main'));
      assert.equal(row.name, 'main');
      assert.equal((await ensureConnectionRow(ctx, ctx.connectionConfig('main'))).id, row.id, 'idempotent');
      await ctx.vault.put(row.id, 'epicor', { apiKey: 'epicor-key-123', password: 'pw-456789' });
      await ctx.vault.put(row.id, 'hubspot', { token: 'pat-secret-token' });
      const runtime = await buildConnection(ctx, 'main');
      assert.deepEqual(runtime.kinds, ['vendor', 'customer', 'vendorContact', 'customerContact']);
      assert.deepEqual(runtime.requests(), { epicor: 0, hubspot: 0 });
    } finally {
      await ctx.close();
    }
    // A fresh context knows every stored secret before anything is logged.
    const again = await openAppContext({ configPath, env, logger: silentLogger });
    try {
      assert.equal(again.redactor.redact('key epicor-key-123, token pat-secret-token'), 'key ***, token ***');
    } finally {
      await again.close();
    }
  });
});
