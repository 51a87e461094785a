/**
 * The secret objects kept in the credential vault, one per (connection, system), and how they become the
 * config's named secrets (`epicor.apiKey`, `hubspot.token`, …). The `credentials` command validates what
 * the user types with these same schemas.
 */
import { z } from 'zod';
import type { ConnectionSecrets, SecretName } from '../config/index.js';
import { requiredSecrets } from '../config/index.js';
import type { ConnectionConfig } from '../config/schema.js';
import { ConnectorError } from '../core/errors.js';
import type { CredentialSystem } from '../store/types.js';

const secret = z.string().min(1);

/** Epicor: the API key always; the password (basic, token-resource) or client secret (oauth2). */
export const epicorSecretSchema = z.strictObject({
  apiKey: secret,
  password: secret.optional(),
  clientSecret: secret.optional(),
});
export type EpicorSecret = z.output<typeof epicorSecretSchema>;

/** HubSpot: a private-app `token`, or the OAuth `clientSecret` + `refreshToken`. */
export const hubspotSecretSchema = z.strictObject({
  token: secret.optional(),
  clientSecret: secret.optional(),
  refreshToken: secret.optional(),
});
export type HubSpotSecret = z.output<typeof hubspotSecretSchema>;

export const SECRET_SCHEMAS = {
  epicor: epicorSecretSchema,
  hubspot: hubspotSecretSchema,
} as const satisfies Record<CredentialSystem, z.ZodType>;

/** The vault object and field that hold each named secret. */
export const SECRET_LOCATION: Readonly<Record<SecretName, { system: CredentialSystem; field: string }>> = {
  'epicor.apiKey': { system: 'epicor', field: 'apiKey' },
  'epicor.password': { system: 'epicor', field: 'password' },
  'epicor.clientSecret': { system: 'epicor', field: 'clientSecret' },
  'hubspot.token': { system: 'hubspot', field: 'token' },
  'hubspot.clientSecret': { system: 'hubspot', field: 'clientSecret' },
  'hubspot.refreshToken': { system: 'hubspot', field: 'refreshToken' },
};

/** Which fields each system's secret object needs for this connection's auth kinds. */
export function requiredFields(connection: ConnectionConfig, system: CredentialSystem): string[] {
  return requiredSecrets(connection)
    .map((name) => SECRET_LOCATION[name])
    .filter((loc) => loc.system === system)
    .map((loc) => loc.field);
}

/** A secret the connection needs is not in the vault; names it and the command that stores it. */
export class MissingCredentialError extends ConnectorError {
  readonly connectionId: string;
  readonly missing: readonly SecretName[];
  constructor(connectionId: string, missing: readonly SecretName[]) {
    const systems = [...new Set(missing.map((name) => SECRET_LOCATION[name].system))];
    const commands = systems
      .map((system) => `\`ml-connector credentials set ${system} --connection ${connectionId}\``)
      .join(' and ');
    super(
      'ERR_CREDENTIALS_MISSING',
      `Connection "${connectionId}" has no ${missing.join(', ')} in the credential store; run ${commands}.`,
    );
    this.connectionId = connectionId;
    this.missing = missing;
  }
}

/** Flattens the two vault objects into the config's named secrets; throws naming every missing one. */
export function connectionSecrets(
  connection: ConnectionConfig,
  epicor: EpicorSecret | undefined,
  hubspot: HubSpotSecret | undefined,
): ConnectionSecrets {
  const objects: Record<CredentialSystem, Record<string, string | undefined> | undefined> = {
    epicor,
    hubspot,
  };
  const out: Partial<Record<SecretName, string>> = {};
  const missing: SecretName[] = [];
  for (const name of requiredSecrets(connection)) {
    const { system, field } = SECRET_LOCATION[name];
    const value = objects[system]?.[field];
    if (value === undefined || value === '') missing.push(name);
    else out[name] = value;
  }
  if (missing.length > 0) throw new MissingCredentialError(connection.id, missing);
  return out;
}
