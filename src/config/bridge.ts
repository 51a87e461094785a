/**
 * From one connection of the config file plus its secrets (from the credential store) to the inputs of
 * the Epicor and HubSpot clients. The config file speaks the user's words (`token-resource`,
 * `sys-rev-id`, `top`); the clients have their own settings schemas, which validate these inputs again.
 */
import { ConfigError } from '../core/errors.js';
import type { EpicorSettingsInput } from '../epicor/settings.js';
import type { HubSpotClientConfigInput } from '../hubspot/config.js';
import { sourceFieldsFor } from '../sync/mapping/source-fields.js';
import type { EntityKind } from '../sync/model.js';
import { KIND_BY_STREAM_KEY } from './constants.js';
import type { ConnectionConfig } from './schema.js';
import { requiredSecrets, type SecretName } from './secrets.js';
import { type ChangeStrategyConfig, STREAM_KEYS, type StreamSelectConfig } from './streams-schema.js';

export type ConnectionSecrets = Readonly<Partial<Record<SecretName, string>>>;

export { KIND_BY_STREAM_KEY };

/** The stream kinds switched on in a connection, in the config's order. */
export function enabledKinds(connection: Pick<ConnectionConfig, 'streams'>): EntityKind[] {
  return STREAM_KEYS.filter((key) => connection.streams[key].enabled).map((key) => KIND_BY_STREAM_KEY[key]);
}

/** Throws a ConfigError naming (never showing) every secret the store lacks for this connection. */
export function assertSecrets(connection: ConnectionConfig, secrets: ConnectionSecrets): void {
  const missing = requiredSecrets(connection).filter((name) => !secrets[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((name) => `connection "${connection.id}": secret ${name} is not in the credential store`),
    );
  }
}

/** `{ key: value }` when the value is set, else `{}` (the client's default then applies). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function epicorRetryInput(retry: ConnectionConfig['epicor']['retry']): EpicorSettingsInput['retry'] {
  const license = retry.license;
  return {
    ...opt('maxAttempts', retry.attempts),
    ...opt('baseMs', retry.baseDelay),
    ...opt('maxMs', retry.maxDelay),
    ...opt('maxRetryAfterMs', retry.maxRetryAfter),
    ...(license === undefined
      ? {}
      : {
          license: {
            ...opt('maxAttempts', license.attempts),
            ...opt('baseMs', license.baseDelay),
            ...opt('maxMs', license.maxDelay),
          },
        }),
  };
}

function hubSpotRetryInput(retry: ConnectionConfig['hubspot']['retry']): HubSpotClientConfigInput['retry'] {
  return {
    ...opt('maxRetries', retry.retries),
    ...opt('maxRateLimitRetries', retry.rateLimitRetries),
    ...opt('backoffBaseMs', retry.baseDelay),
    ...opt('backoffMaxMs', retry.maxDelay),
    ...opt('lockedMinDelayMs', retry.lockedDelay),
    ...opt('secondlyDelayMs', retry.secondlyDelay),
    ...opt('maxRetryAfterMs', retry.maxRetryAfter),
    ...opt('rateLimitPaddingMs', retry.rateLimitPadding),
  };
}

const need = (secrets: ConnectionSecrets, name: SecretName): string => secrets[name] ?? '';

type EpicorStreamInput = NonNullable<EpicorSettingsInput['streams']>[EntityKind];

function epicorStream(change: ChangeStrategyConfig, top: number): EpicorStreamInput {
  switch (change.strategy) {
    case 'updated-on':
      return { pageSize: top, change: { strategy: 'datetime', field: change.field } };
    case 'change-date-time':
      return {
        pageSize: top,
        change: { strategy: 'changeDateTime', dateField: change.dateField, timeField: change.timeField },
      };
    case 'change-date':
      return { pageSize: top, change: { strategy: 'changeDate', field: change.field } };
    case 'sys-rev-id':
      return { pageSize: top, change: { strategy: 'sysRevId', field: change.field } };
    case 'full-scan':
      return { pageSize: top, change: { strategy: 'full' } };
    case 'vendor-expand':
      // Contacts carry no change filter here: an expanded read is always a full scan.
      return {
        pageSize: top,
        source: { type: 'vendorExpand', navigation: change.navigation },
        change: { strategy: 'full' },
      };
    case 'baq':
      return {
        pageSize: top,
        source: {
          type: 'baq',
          baqId: change.baqId,
          parameters: change.parameters,
          keyFields: change.keyFields,
        },
        change:
          change.changeField === undefined
            ? { strategy: 'full' }
            : change.changeFieldType === 'sys-rev-id'
              ? { strategy: 'sysRevId', field: change.changeField }
              : { strategy: 'datetime', field: change.changeField },
      };
  }
}

/**
 * The columns to `$select` for a stream, or undefined for every column. `auto` asks for what the
 * mapping reads (the client adds key and change columns). It means every column for BAQ streams (their
 * columns are named `Table_Field`, not as the mapping names them) and for vendor contacts: their default
 * mapping reads both `EmailAddress` and `EMailAddress`, and Epicor answers 400 to a `$select` naming a
 * column the entity lacks.
 */
export function epicorSelect(
  kind: EntityKind,
  change: ChangeStrategyConfig,
  select: StreamSelectConfig,
  mapping: ConnectionConfig['mapping'],
): string[] | undefined {
  if (select === 'all') return undefined;
  if (select !== 'auto') return [...select];
  if (change.strategy === 'baq' || kind === 'vendorContact') return undefined;
  return sourceFieldsFor(kind, mapping);
}

/**
 * Input for `parseEpicorSettings`. The client pages every stream the same way, so `paging` is `skip`
 * only when every enabled stream asks for it (keyset is the safe choice).
 */
export function epicorSettingsInput(
  connection: ConnectionConfig,
  secrets: ConnectionSecrets,
): EpicorSettingsInput {
  assertSecrets(connection, secrets);
  const { epicor, streams } = connection;
  const auth: EpicorSettingsInput['auth'] =
    epicor.auth.kind === 'basic'
      ? { mode: 'basic', username: epicor.auth.username, password: need(secrets, 'epicor.password') }
      : epicor.auth.kind === 'token-resource'
        ? {
            mode: 'tokenResource',
            username: epicor.auth.username,
            password: need(secrets, 'epicor.password'),
            ...(epicor.auth.requestStyle === undefined ? {} : { requestStyle: epicor.auth.requestStyle }),
          }
        : {
            mode: 'oauth2',
            tokenUrl: epicor.auth.tokenUrl,
            clientId: epicor.auth.clientId,
            clientSecret: need(secrets, 'epicor.clientSecret'),
            scope: epicor.auth.scope,
            clientAuth: epicor.auth.clientAuth,
          };
  const enabled = STREAM_KEYS.filter((key) => streams[key].enabled);
  const allSkip = enabled.length > 0 && enabled.every((key) => streams[key].paging === 'skip');
  const streamInputs: Partial<Record<EntityKind, EpicorStreamInput>> = {};
  for (const key of STREAM_KEYS) {
    const kind = KIND_BY_STREAM_KEY[key];
    const stream = epicorStream(streams[key].change, streams[key].top);
    const select = epicorSelect(kind, streams[key].change, streams[key].select, connection.mapping);
    streamInputs[kind] = select === undefined ? stream : { ...stream, select };
  }
  return {
    tenantUrl: epicor.tenantUrl,
    company: epicor.company,
    apiKey: need(secrets, 'epicor.apiKey'),
    auth,
    timeZone: epicor.timeZone,
    requestTimeoutMs: epicor.requestTimeout,
    retry: epicorRetryInput(epicor.retry),
    allowInsecureHttp: epicor.allowInsecureHttp,
    childFilterCheck: epicor.childFilterCheck,
    paging: allSkip ? 'skip' : 'keyset',
    streams: streamInputs,
  };
}

/** Input for the HubSpot client (`parseHubSpotConfig` / `createHubSpotClient`). */
export function hubSpotConfigInput(
  connection: ConnectionConfig,
  secrets: ConnectionSecrets,
): HubSpotClientConfigInput {
  assertSecrets(connection, secrets);
  const { hubspot } = connection;
  const { limits } = hubspot;
  return {
    baseUrl: hubspot.baseUrl,
    allowInsecureHttp: hubspot.allowInsecureHttp,
    auth:
      hubspot.auth.kind === 'private-app'
        ? { kind: 'private-app', token: need(secrets, 'hubspot.token') }
        : {
            kind: 'oauth',
            clientId: hubspot.auth.clientId,
            clientSecret: need(secrets, 'hubspot.clientSecret'),
            refreshToken: need(secrets, 'hubspot.refreshToken'),
            tokenPath: hubspot.auth.tokenPath,
          },
    tier: hubspot.tier,
    contactKey: hubspot.contactKey,
    requestTimeoutMs: hubspot.requestTimeout,
    retry: hubSpotRetryInput(hubspot.retry),
    portalTimeZone: hubspot.timeZone,
    ...(limits.tenSecondLimit === undefined ? {} : { rateLimit: { limit: limits.tenSecondLimit } }),
    ...(limits.searchPerSecond === undefined ? {} : { searchRateLimit: { limit: limits.searchPerSecond } }),
    ...(limits.concurrency === undefined ? {} : { concurrency: limits.concurrency }),
    ...(limits.batchSize === undefined ? {} : { batchSize: limits.batchSize }),
  };
}
