import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CredentialSystem } from '../store/types.js';
import { CredentialsError, KeyMismatchError } from './errors.js';
import type { MasterKey } from './master-key.js';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** An AES-256-GCM ciphertext with everything needed to open it except the key. */
export interface SealedSecret {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

/**
 * Additional authenticated data binding a blob to its row: a blob copied to another connection or
 * system fails authentication instead of decrypting as someone else's secret.
 */
export function credentialAad(connectionId: number, system: CredentialSystem): Buffer {
  return Buffer.from(`ml-connector/credentials/v1|${connectionId}|${system}`, 'utf8');
}

/** Encrypts with a fresh random 96-bit IV (never reused: GCM's security depends on it). */
export function seal(key: MasterKey, plaintext: Buffer, aad: Buffer): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.unsafeBytes(), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: key.id, iv, ciphertext, authTag: cipher.getAuthTag() };
}

/**
 * Decrypts and authenticates. A blob from another key is `ERR_CREDENTIALS_KEY_MISMATCH` (named by
 * key ids); one that fails authentication is `ERR_CREDENTIALS_TAMPERED`.
 */
export function open(key: MasterKey, sealed: SealedSecret, aad: Buffer, what = 'The secret'): Buffer {
  if (sealed.keyId !== key.id) throw new KeyMismatchError(what, sealed.keyId, key.id);
  if (sealed.iv.length !== IV_BYTES || sealed.authTag.length !== TAG_BYTES) throw tampered(what);
  try {
    const decipher = createDecipheriv(ALGORITHM, key.unsafeBytes(), sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch (error) {
    throw tampered(what, error);
  }
}

function tampered(what: string, cause?: unknown): CredentialsError {
  return new CredentialsError(
    'ERR_CREDENTIALS_TAMPERED',
    `${what} failed authentication: the stored ciphertext was altered, truncated or moved from another row. Re-enter the credentials.`,
    cause === undefined ? {} : { cause },
  );
}
