import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKeyFile, loadMasterKey, readKeyFile } from './key-file.js';
import { MasterKey } from './master-key.js';

describe('key files and key loading', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-connector-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 0600 key file and reads the same key back', async () => {
    const path = join(dir, 'nested', 'master.key');
    const created = await createKeyFile(path);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'nested'))).mode & 0o777, 0o700);
    assert.equal((await readFile(path, 'utf8')).trim().length, 44);
    assert.equal((await readKeyFile(path)).id, created.id);
  });

  it('refuses to overwrite an existing key file', async () => {
    const path = join(dir, 'once.key');
    const first = await createKeyFile(path);
    await assert.rejects(createKeyFile(path), { code: 'ERR_CREDENTIALS_KEY_FILE_EXISTS' });
    assert.equal((await readKeyFile(path)).id, first.id);
  });

  it('refuses a key file others can read, or only warns when told to', async () => {
    const path = join(dir, 'loose.key');
    await createKeyFile(path);
    await chmod(path, 0o644);
    await assert.rejects(readKeyFile(path), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_CREDENTIALS_KEY_FILE_MODE');
      assert.match(error.message, /0644/);
      assert.match(error.message, /chmod 600/);
      return true;
    });
    const warnings: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      error: () => {},
      warn: (_fields: object, message?: string) => warnings.push(message ?? ''),
      child: () => logger,
    };
    const key = await readKeyFile(path, { onInsecureMode: 'warn', logger });
    assert.equal(key.id.length, 16);
    assert.equal(warnings.length, 1);
  });

  it('reports a missing or malformed key file without echoing its content', async () => {
    await assert.rejects(readKeyFile(join(dir, 'missing.key')), { code: 'ERR_CREDENTIALS_KEY_FILE' });
    const path = join(dir, 'short.key');
    await writeFile(path, 'c2hvcnQta2V5LXZhbHVl\n', { mode: 0o600 });
    await assert.rejects(readKeyFile(path), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_CREDENTIALS_BAD_KEY');
      assert.ok(!error.message.includes('c2hvcnQta2V5LXZhbHVl'));
      return true;
    });
  });

  it('prefers ML_CONNECTOR_MASTER_KEY over the key file, and says how to fix a missing key', async () => {
    const path = join(dir, 'file.key');
    const fileKey = await createKeyFile(path);
    const envKey = MasterKey.generate();
    assert.equal(
      (await loadMasterKey({ env: { ML_CONNECTOR_MASTER_KEY: envKey.unsafeExport() }, keyFile: path })).id,
      envKey.id,
    );
    assert.equal(
      (await loadMasterKey({ env: { ML_CONNECTOR_MASTER_KEY: ' ' }, keyFile: path })).id,
      fileKey.id,
    );
    await assert.rejects(loadMasterKey({ env: { ML_CONNECTOR_MASTER_KEY: 'abc' }, keyFile: path }), {
      code: 'ERR_CREDENTIALS_BAD_KEY',
    });
    await assert.rejects(loadMasterKey({ env: {} }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ERR_CREDENTIALS_NO_KEY');
      assert.match(error.message, /ML_CONNECTOR_MASTER_KEY/);
      return true;
    });
  });
});
