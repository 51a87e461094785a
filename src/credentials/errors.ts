import { ConnectorError } from '../core/errors.js';

/**
 * Every credentials failure. Messages name connections, systems, key ids and file paths, never a key
 * or a secret value.
 */
export type CredentialsErrorCode =
  | 'ERR_CREDENTIALS_NO_KEY'
  | 'ERR_CREDENTIALS_BAD_KEY'
  | 'ERR_CREDENTIALS_KEY_MISMATCH'
  | 'ERR_CREDENTIALS_TAMPERED'
  | 'ERR_CREDENTIALS_NOT_FOUND'
  | 'ERR_CREDENTIALS_INVALID'
  | 'ERR_CREDENTIALS_KEY_FILE_EXISTS'
  | 'ERR_CREDENTIALS_KEY_FILE_MODE'
  | 'ERR_CREDENTIALS_KEY_FILE';

export class CredentialsError extends ConnectorError {
  declare readonly code: CredentialsErrorCode;
  constructor(code: CredentialsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** The blob was encrypted with a different master key than the one loaded. */
export class KeyMismatchError extends CredentialsError {
  readonly expectedKeyId: string;
  readonly actualKeyId: string;
  constructor(what: string, blobKeyId: string, loadedKeyId: string) {
    super(
      'ERR_CREDENTIALS_KEY_MISMATCH',
      `${what} was encrypted with master key ${blobKeyId}, but the loaded master key is ${loadedKeyId}. ` +
        'Load the key that encrypted it (ML_CONNECTOR_MASTER_KEY or the key file), or re-enter the credentials.',
    );
    this.expectedKeyId = blobKeyId;
    this.actualKeyId = loadedKeyId;
  }
}
