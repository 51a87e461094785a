/**
 * Secrets never live in the config file. This finds keys that look like one (`password`, `apiKey`,
 * `clientSecret`, `token`, …) anywhere outside the `mapping` blocks, so they are refused with a clear
 * message — without ever repeating the value — and lists which secrets a connection needs in the store.
 */
import type { ConnectionConfig } from './schema.js';

const SECRET_KEY = /(?:password|passwd|secret|apikey|token|privatekey|masterkey|credentials?)$/;

/** True for key names that hold secrets (`password`, `api_key`, `clientSecret`, `refresh-token`, …). */
export function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[-_\s]/g, '');
  return normal === 'pwd' || SECRET_KEY.test(normal);
}

export interface SecretKeyHit {
  /** Path segments to the key, e.g. ['connections', 0, 'epicor', 'auth', 'password']. */
  readonly path: readonly (string | number)[];
}

/**
 * Removes secret-looking keys from `raw` (in place) and returns where they were. `mapping` subtrees are
 * left alone: their keys are Epicor values (`map: { … }`), not settings.
 */
export function stripSecretKeys(raw: unknown, path: (string | number)[] = []): SecretKeyHit[] {
  const hits: SecretKeyHit[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      hits.push(...stripSecretKeys(item, [...path, i]));
    });
  } else if (raw !== null && typeof raw === 'object') {
    const record = raw as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key === 'mapping') continue;
      if (isSecretKey(key)) {
        hits.push({ path: [...path, key] });
        delete record[key];
      } else {
        hits.push(...stripSecretKeys(record[key], [...path, key]));
      }
    }
  }
  return hits;
}

/** Names of the secrets the credential store must hold for a connection. */
export type SecretName =
  | 'epicor.apiKey'
  | 'epicor.password'
  | 'epicor.clientSecret'
  | 'hubspot.token'
  | 'hubspot.clientSecret'
  | 'hubspot.refreshToken';

export function requiredSecrets(connection: Pick<ConnectionConfig, 'epicor' | 'hubspot'>): SecretName[] {
  const out: SecretName[] = ['epicor.apiKey'];
  out.push(connection.epicor.auth.kind === 'oauth2' ? 'epicor.clientSecret' : 'epicor.password');
  if (connection.hubspot.auth.kind === 'private-app') out.push('hubspot.token');
  else out.push('hubspot.clientSecret', 'hubspot.refreshToken');
  return out;
}
