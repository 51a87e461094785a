import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { z } from 'zod';
import { ManualClock } from '../core/manual-clock.js';
import { Redactor } from '../core/redact.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { MasterKey } from './master-key.js';
import { CredentialVault, rotateKey } from './vault.js';

const hubspotSecret = z.object({ accessToken: z.string().startsWith('pat-') });
const epicorSecret = z.object({ apiKey: z.string(), username: z.string(), password: z.string() });

const HUBSPOT_TOKEN = 'pat-na1-a1b2c3d4-e5f6-7890-abcd-ef1234567890';
const EPICOR = { apiKey: 'epicor-api-key-9f8e7d6c5b4a', username: 'svc-sync', password: 'Tr0ub4dor&3-horse' };
const SECRETS = [HUBSPOT_TOKEN, EPICOR.apiKey, EPICOR.password];

function assertNoSecret(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `leaked a secret: ${text.slice(0, 200)}`);
}

async function captured(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    assertNoSecret(`${error.message} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('CredentialVault on SQLite', () => {
  let dir = '';
  let store: Store;
  let key: MasterKey;
  let a = 0;
  let b = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-connector-vault-'));
    store = await openStore({ sqlitePath: join(dir, 'store.db'), clock: new ManualClock() });
    a = (await store.connections.create({ name: 'a', settings: {} })).id;
    b = (await store.connections.create({ name: 'b', settings: {} })).id;
    key = MasterKey.generate();
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores secrets encrypted and returns them validated', async () => {
    const vault = new CredentialVault({ store, key });
    await vault.put(a, 'hubspot', { accessToken: HUBSPOT_TOKEN });
    await vault.put(a, 'epicor', EPICOR);
    assert.deepEqual(await vault.get(a, 'hubspot', hubspotSecret), { accessToken: HUBSPOT_TOKEN });
    assert.deepEqual(await vault.get(a, 'epicor', epicorSecret), EPICOR);
    const raw = await store.credentials.list();
    assertNoSecret(JSON.stringify(raw.map((r) => ({ ...r, c: r.ciphertext.toString('latin1') }))));
    assert.ok(raw.every((r) => r.keyId === key.id));
  });

  it('lists metadata only, never values', async () => {
    const vault = new CredentialVault({ store, key });
    const listed = await vault.list();
    assert.deepEqual(
      listed.map((m) => [m.connectionId, m.system, m.keyId]),
      [
        [a, 'epicor', key.id],
        [a, 'hubspot', key.id],
      ],
    );
    assert.deepEqual(Object.keys(listed[0] ?? {}).sort(), ['connectionId', 'keyId', 'system', 'updatedAt']);
    assertNoSecret(JSON.stringify(listed));
    assertNoSecret(JSON.stringify({ vault, key }));
  });

  it('reports missing, mis-shaped, moved and foreign-key secrets without revealing them', async () => {
    const vault = new CredentialVault({ store, key });
    assert.equal((await captured(vault.get(b, 'hubspot', hubspotSecret))).code, 'ERR_CREDENTIALS_NOT_FOUND');
    assert.equal(await vault.find(b, 'hubspot', hubspotSecret), undefined);

    // The stored epicor secret read with a schema it does not match: zod would quote the value.
    const wrongShape = z.object({ apiKey: z.number(), password: z.enum(['x']) });
    const invalid = await captured(vault.get(a, 'epicor', wrongShape));
    assert.equal(invalid.code, 'ERR_CREDENTIALS_INVALID');
    assert.match(invalid.message, /apiKey/);

    // A blob copied to another row fails authentication (AAD binds it to connection + system).
    const blob = await store.credentials.get(a, 'hubspot');
    assert.ok(blob);
    await store.credentials.put({ ...blob, connectionId: b });
    assert.equal((await captured(vault.get(b, 'hubspot', hubspotSecret))).code, 'ERR_CREDENTIALS_TAMPERED');
    await store.credentials.put({ ...blob, connectionId: a, system: 'epicor' });
    assert.equal((await captured(vault.get(a, 'epicor', epicorSecret))).code, 'ERR_CREDENTIALS_TAMPERED');
    await vault.put(a, 'epicor', EPICOR);
    assert.equal(await vault.delete(b, 'hubspot'), true);

    const stranger = new CredentialVault({ store, key: MasterKey.generate() });
    const mismatch = await captured(stranger.get(a, 'hubspot', hubspotSecret));
    assert.equal(mismatch.code, 'ERR_CREDENTIALS_KEY_MISMATCH');
    assert.match(mismatch.message, new RegExp(key.id));
    assert.match(mismatch.message, new RegExp(stranger.keyId));
    assert.ok(!mismatch.message.includes(key.unsafeExport()));
  });

  it('registers decrypted values with the redactor so logs can scrub them', async () => {
    const redactor = new Redactor();
    const vault = new CredentialVault({ store, key, redactor });
    await vault.get(a, 'epicor', epicorSecret);
    assert.equal(redactor.redact(`login ${EPICOR.username}:${EPICOR.password}`), 'login ***:***');
  });

  it('rotates every blob to a new key in one transaction; the old key no longer works', async () => {
    const vault = new CredentialVault({ store, key });
    await vault.put(b, 'hubspot', { accessToken: HUBSPOT_TOKEN });
    const newKey = MasterKey.generate();

    // A wrong "old" key: nothing is written, and the error names the key ids.
    const wrongOld = MasterKey.generate();
    const refused = await captured(rotateKey(store, wrongOld, newKey));
    assert.equal(refused.code, 'ERR_CREDENTIALS_KEY_MISMATCH');
    assert.ok((await store.credentials.list()).every((r) => r.keyId === key.id));

    const result = await vault.rotate(newKey);
    assert.deepEqual(result, { reencrypted: 3, alreadyRotated: 0, fromKeyId: key.id, toKeyId: newKey.id });
    assert.equal(vault.keyId, newKey.id);
    assert.ok((await store.credentials.list()).every((r) => r.keyId === newKey.id));
    assert.deepEqual(await vault.get(b, 'hubspot', hubspotSecret), { accessToken: HUBSPOT_TOKEN });
    assert.deepEqual(await vault.get(a, 'epicor', epicorSecret), EPICOR);
    const old = new CredentialVault({ store, key });
    assert.equal((await captured(old.get(a, 'epicor', epicorSecret))).code, 'ERR_CREDENTIALS_KEY_MISMATCH');

    // Re-running the same rotation is harmless.
    assert.equal((await rotateKey(store, key, newKey)).alreadyRotated, 3);
  });

  it('writes nothing and keeps the current key when one blob cannot be decrypted', async () => {
    const current = MasterKey.generate();
    const vault = new CredentialVault({ store, key: current });
    for (const blob of await store.credentials.list())
      await store.credentials.delete(blob.connectionId, blob.system);
    await vault.put(a, 'hubspot', { accessToken: HUBSPOT_TOKEN });
    await vault.put(b, 'epicor', EPICOR);
    // Corrupt the second blob: the first is re-encrypted in memory, then the second fails.
    const victim = await store.credentials.get(b, 'epicor');
    assert.ok(victim);
    await store.credentials.put({ ...victim, authTag: Buffer.alloc(16) });
    const before = await store.credentials.get(a, 'hubspot');
    assert.equal((await captured(vault.rotate(MasterKey.generate()))).code, 'ERR_CREDENTIALS_TAMPERED');
    assert.equal(vault.keyId, current.id);
    assert.deepEqual(await store.credentials.get(a, 'hubspot'), before);
  });
});
