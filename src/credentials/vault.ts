import type { z } from 'zod';
import type { Redactor } from '../core/redact.js';
import type { CredentialBlob, CredentialBlobInput, CredentialSystem, Id } from '../store/types.js';
import { credentialAad, open, seal } from './cipher.js';
import { CredentialsError, KeyMismatchError } from './errors.js';
import type { MasterKey } from './master-key.js';

/** The slice of the store the vault needs: blob storage, and a transaction for rotation. */
export interface CredentialBlobStore {
  get(connectionId: Id, system: CredentialSystem): Promise<CredentialBlob | undefined>;
  put(blob: CredentialBlobInput): Promise<CredentialBlob>;
  putMany(blobs: readonly CredentialBlobInput[]): Promise<CredentialBlob[]>;
  list(connectionId?: Id): Promise<CredentialBlob[]>;
  delete(connectionId: Id, system: CredentialSystem): Promise<boolean>;
}

export interface VaultStore {
  readonly credentials: CredentialBlobStore;
  transaction<T>(fn: (tx: { readonly credentials: CredentialBlobStore }) => Promise<T>): Promise<T>;
}

/** What `list()` shows: never a value, not even encrypted. */
export interface CredentialMetadata {
  readonly connectionId: Id;
  readonly system: CredentialSystem;
  readonly keyId: string;
  readonly updatedAt: number;
}

export type SecretObject = { readonly [key: string]: unknown };

export interface VaultOptions {
  readonly store: VaultStore;
  readonly key: MasterKey;
  /** Every string in a secret read through the vault is registered here, so logs can scrub it. */
  readonly redactor?: Redactor;
}

/**
 * Secrets at rest, encrypted with AES-256-GCM under the master key, bound to their row by AAD
 * (connection id + system). Errors name the connection, system and key ids, never a value.
 */
export class CredentialVault {
  readonly #store: VaultStore;
  #key: MasterKey;
  readonly #redactor: Redactor | undefined;

  constructor(options: VaultOptions) {
    this.#store = options.store;
    this.#key = options.key;
    this.#redactor = options.redactor;
  }

  get keyId(): string {
    return this.#key.id;
  }

  async put(connectionId: Id, system: CredentialSystem, secret: SecretObject): Promise<CredentialMetadata> {
    const plaintext = Buffer.from(JSON.stringify(secret), 'utf8');
    try {
      const sealed = seal(this.#key, plaintext, credentialAad(connectionId, system));
      this.#register(secret);
      return metadata(await this.#store.credentials.put({ connectionId, system, ...sealed }));
    } finally {
      plaintext.fill(0);
    }
  }

  /** The decrypted secret, validated by `schema`. Throws a typed error if missing, foreign or altered. */
  async get<T>(connectionId: Id, system: CredentialSystem, schema: z.ZodType<T>): Promise<T> {
    const found = await this.find(connectionId, system, schema);
    if (found === undefined) {
      throw new CredentialsError(
        'ERR_CREDENTIALS_NOT_FOUND',
        `No ${system} credentials are stored for connection ${connectionId}.`,
      );
    }
    return found;
  }

  /** Like `get`, but `undefined` when nothing is stored. */
  async find<T>(connectionId: Id, system: CredentialSystem, schema: z.ZodType<T>): Promise<T | undefined> {
    const blob = await this.#store.credentials.get(connectionId, system);
    if (blob === undefined) return undefined;
    const what = describe(blob);
    const plaintext = open(this.#key, blob, credentialAad(connectionId, system), what);
    let value: unknown;
    try {
      value = JSON.parse(plaintext.toString('utf8'));
    } catch {
      throw new CredentialsError('ERR_CREDENTIALS_INVALID', `${what} did not decrypt to JSON.`);
    } finally {
      plaintext.fill(0);
    }
    this.#register(value);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      // Only paths and issue codes: zod messages may quote the offending (secret) value.
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`);
      throw new CredentialsError(
        'ERR_CREDENTIALS_INVALID',
        `${what} do not have the expected shape (${issues.join('; ')}); re-enter them.`,
      );
    }
    return parsed.data;
  }

  async list(connectionId?: Id): Promise<CredentialMetadata[]> {
    return (await this.#store.credentials.list(connectionId)).map(metadata);
  }

  async delete(connectionId: Id, system: CredentialSystem): Promise<boolean> {
    return this.#store.credentials.delete(connectionId, system);
  }

  /**
   * Re-encrypts every stored secret under `newKey` in one transaction, then uses `newKey` from now
   * on. Fails (writing nothing) if any blob was encrypted with neither the current nor the new key.
   */
  async rotate(newKey: MasterKey): Promise<RotationResult> {
    const result = await rotateKey(this.#store, this.#key, newKey);
    this.#key = newKey;
    return result;
  }

  #register(value: unknown): void {
    if (this.#redactor === undefined) return;
    const redactor = this.#redactor;
    const visit = (v: unknown): void => {
      if (typeof v === 'string') redactor.add(v);
      else if (Array.isArray(v)) v.forEach(visit);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
    };
    visit(value);
  }
}

export interface RotationResult {
  readonly reencrypted: number;
  /** Blobs already under the new key (e.g. a rotation being re-run). */
  readonly alreadyRotated: number;
  readonly fromKeyId: string;
  readonly toKeyId: string;
}

/** Re-encrypts every blob from `oldKey` to `newKey` atomically. See `CredentialVault.rotate`. */
export async function rotateKey(
  store: VaultStore,
  oldKey: MasterKey,
  newKey: MasterKey,
): Promise<RotationResult> {
  return store.transaction(async (tx) => {
    const blobs = await tx.credentials.list();
    const rewritten: CredentialBlobInput[] = [];
    let alreadyRotated = 0;
    for (const blob of blobs) {
      if (blob.keyId === newKey.id && newKey.id !== oldKey.id) {
        alreadyRotated += 1;
        continue;
      }
      if (blob.keyId !== oldKey.id) throw new KeyMismatchError(describe(blob), blob.keyId, oldKey.id);
      const aad = credentialAad(blob.connectionId, blob.system);
      const plaintext = open(oldKey, blob, aad, describe(blob));
      try {
        rewritten.push({
          connectionId: blob.connectionId,
          system: blob.system,
          ...seal(newKey, plaintext, aad),
        });
      } finally {
        plaintext.fill(0);
      }
    }
    if (rewritten.length > 0) await tx.credentials.putMany(rewritten);
    return { reencrypted: rewritten.length, alreadyRotated, fromKeyId: oldKey.id, toKeyId: newKey.id };
  });
}

function describe(blob: { connectionId: Id; system: CredentialSystem }): string {
  return `The ${blob.system} credentials of connection ${blob.connectionId}`;
}

function metadata(blob: CredentialBlob): CredentialMetadata {
  return {
    connectionId: blob.connectionId,
    system: blob.system,
    keyId: blob.keyId,
    updatedAt: blob.updatedAt,
  };
}
