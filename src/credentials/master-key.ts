import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { CredentialsError } from './errors.js';

export const MASTER_KEY_BYTES = 32;

/**
 * A 32-byte AES-256 key. The bytes are private: logging, `JSON.stringify` or `util.inspect` of a key
 * shows only its id. The id (first 8 bytes of SHA-256 of the key, hex) is stored beside every
 * ciphertext so a wrong key is reported by name, without revealing either key.
 */
export class MasterKey {
  readonly id: string;
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
    this.id = keyIdOf(bytes);
  }

  static fromBytes(bytes: Uint8Array, source = 'master key'): MasterKey {
    if (bytes.length !== MASTER_KEY_BYTES) {
      throw new CredentialsError(
        'ERR_CREDENTIALS_BAD_KEY',
        `The ${source} must be exactly ${MASTER_KEY_BYTES} bytes; it is ${bytes.length} bytes.`,
      );
    }
    return new MasterKey(Buffer.from(bytes));
  }

  static generate(): MasterKey {
    return new MasterKey(randomBytes(MASTER_KEY_BYTES));
  }

  /**
   * Reads a key written as base64 (standard or URL-safe, 44 characters with padding) or hex (64
   * characters). Surrounding whitespace is ignored. The error says what was wrong, never the value.
   */
  static parse(text: string, source = 'ML_CONNECTOR_MASTER_KEY'): MasterKey {
    const trimmed = text.trim();
    const help = `${source} must be ${MASTER_KEY_BYTES} random bytes written as base64 (44 characters) or hex (64 characters)`;
    if (trimmed === '') throw new CredentialsError('ERR_CREDENTIALS_BAD_KEY', `${help}; it is empty.`);
    if (/^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length === MASTER_KEY_BYTES * 2) {
      return new MasterKey(Buffer.from(trimmed, 'hex'));
    }
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
      const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (bytes.length === MASTER_KEY_BYTES) return new MasterKey(bytes);
      throw new CredentialsError(
        'ERR_CREDENTIALS_BAD_KEY',
        `${help}; it has ${trimmed.length} characters, which decode to ${bytes.length} bytes.`,
      );
    }
    throw new CredentialsError(
      'ERR_CREDENTIALS_BAD_KEY',
      `${help}; it has ${trimmed.length} characters including some that are neither base64 nor hex.`,
    );
  }

  /** Base64 text of the key, for writing a key file. Handle with care. */
  unsafeExport(): string {
    return this.#bytes.toString('base64');
  }

  /** The raw key for the cipher. Never log or persist the result. */
  unsafeBytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.id };
  }

  toString(): string {
    return `MasterKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export function keyIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest().subarray(0, 8).toString('hex');
}
