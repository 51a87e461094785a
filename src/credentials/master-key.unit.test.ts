import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { MasterKey } from './master-key.js';

const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3));

describe('MasterKey', () => {
  it('parses hex, base64 and base64url to the same key, ignoring surrounding whitespace', () => {
    const fromHex = MasterKey.parse(bytes.toString('hex').toUpperCase());
    const fromBase64 = MasterKey.parse(`  ${bytes.toString('base64')}\n`);
    const fromUrl = MasterKey.parse(bytes.toString('base64url'));
    assert.equal(fromHex.id, fromBase64.id);
    assert.equal(fromUrl.id, fromBase64.id);
    assert.deepEqual(fromHex.unsafeBytes(), bytes);
  });

  it('derives the id from the first 8 bytes of SHA-256 of the key', () => {
    const expected = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    assert.equal(MasterKey.fromBytes(bytes).id, expected);
    assert.notEqual(MasterKey.generate().id, MasterKey.generate().id);
  });

  it('rejects wrong lengths and alphabets with a clear error that does not echo the value', () => {
    const bad = [
      '',
      bytes.subarray(0, 16).toString('hex'),
      bytes.subarray(0, 31).toString('base64'),
      Buffer.concat([bytes, bytes]).toString('base64'),
      'this is not a key at all, not even close!!!!',
    ];
    for (const value of bad) {
      assert.throws(
        () => MasterKey.parse(value),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'ERR_CREDENTIALS_BAD_KEY');
          assert.match(error.message, /ML_CONNECTOR_MASTER_KEY must be 32 random bytes/);
          if (value !== '') assert.ok(!error.message.includes(value));
          return true;
        },
      );
    }
    assert.throws(() => MasterKey.fromBytes(Buffer.alloc(16)), { code: 'ERR_CREDENTIALS_BAD_KEY' });
  });

  it('shows only its id when logged, inspected or serialised', () => {
    const key = MasterKey.fromBytes(bytes);
    const shown = [JSON.stringify({ key }), inspect(key), String(key), `${key}`].join(' ');
    assert.ok(shown.includes(key.id));
    for (const form of [bytes.toString('base64'), bytes.toString('hex')]) assert.ok(!shown.includes(form));
  });
});
