export { credentialAad, IV_BYTES, open, type SealedSecret, seal, TAG_BYTES } from './cipher.js';
export { CredentialsError, type CredentialsErrorCode, KeyMismatchError } from './errors.js';
export {
  createKeyFile,
  type LoadMasterKeyOptions,
  loadMasterKey,
  MASTER_KEY_ENV,
  type ReadKeyFileOptions,
  readKeyFile,
} from './key-file.js';
export { keyIdOf, MASTER_KEY_BYTES, MasterKey } from './master-key.js';
export {
  type CredentialBlobStore,
  type CredentialMetadata,
  CredentialVault,
  type RotationResult,
  rotateKey,
  type SecretObject,
  type VaultOptions,
  type VaultStore,
} from './vault.js';
