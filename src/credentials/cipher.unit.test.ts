import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { credentialAad, open, seal } from './cipher.js';
import { MasterKey } from './master-key.js';

const SECRET = 'pat-na1-11111111-2222-3333-4444-555555555555';
const key = MasterKey.parse(`${'00'.repeat(31)}01`);
const otherKey = MasterKey.parse('ff'.repeat(32));
const aad = credentialAad(7, 'hubspot');

function flip(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

function errorText(error: unknown): string {
  return error instanceof Error
    ? `${error.message} ${inspect(error)} ${JSON.stringify(error)}`
    : String(error);
}

describe('AES-256-GCM cipher', () => {
  it('round-trips, with a fresh IV every time', () => {
    const a = seal(key, Buffer.from(SECRET), aad);
    const b = seal(key, Buffer.from(SECRET), aad);
    assert.equal(a.keyId, key.id);
    assert.equal(a.iv.length, 12);
    assert.equal(a.authTag.length, 16);
    assert.notDeepEqual(a.iv, b.iv);
    assert.notDeepEqual(a.ciphertext, b.ciphertext);
    assert.ok(!a.ciphertext.toString('latin1').includes(SECRET));
    assert.equal(open(key, a, aad).toString(), SECRET);
    assert.equal(open(key, b, aad).toString(), SECRET);
  });

  it('detects any tampering with ciphertext, tag or IV', () => {
    const sealed = seal(key, Buffer.from(SECRET), aad);
    const variants = [
      { ...sealed, ciphertext: flip(sealed.ciphertext, 3) },
      { ...sealed, ciphertext: sealed.ciphertext.subarray(1) },
      { ...sealed, authTag: flip(sealed.authTag, 15) },
      { ...sealed, authTag: sealed.authTag.subarray(0, 12) },
      { ...sealed, iv: flip(sealed.iv) },
    ];
    for (const variant of variants) {
      assert.throws(() => open(key, variant, aad), { code: 'ERR_CREDENTIALS_TAMPERED' });
    }
  });

  it('refuses a blob moved to another connection or system (AAD mismatch)', () => {
    const sealed = seal(key, Buffer.from(SECRET), aad);
    assert.throws(() => open(key, sealed, credentialAad(8, 'hubspot')), { code: 'ERR_CREDENTIALS_TAMPERED' });
    assert.throws(() => open(key, sealed, credentialAad(7, 'epicor')), { code: 'ERR_CREDENTIALS_TAMPERED' });
  });

  it('names both key ids on a wrong key, and never the key or the secret', () => {
    const sealed = seal(key, Buffer.from(SECRET), aad);
    let caught: unknown;
    try {
      open(otherKey, sealed, aad);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof Error);
    assert.equal((caught as Error & { code?: string }).code, 'ERR_CREDENTIALS_KEY_MISMATCH');
    assert.match(caught.message, new RegExp(key.id));
    assert.match(caught.message, new RegExp(otherKey.id));
    const text = errorText(caught);
    for (const forbidden of [SECRET, key.unsafeExport(), otherKey.unsafeExport(), 'ff'.repeat(32)]) {
      assert.ok(!text.includes(forbidden), 'error leaks a key or the secret');
    }
  });

  it('fails authentication when the key id matches but the key bytes differ', () => {
    const sealed = seal(key, Buffer.from(SECRET), aad);
    // A forged key id cannot make another key decrypt it.
    assert.throws(() => open(otherKey, { ...sealed, keyId: otherKey.id }, aad), {
      code: 'ERR_CREDENTIALS_TAMPERED',
    });
  });
});
