/**
 * The composition root's second half: one configured connection wired end to end — Epicor client and
 * `Source`, HubSpot client (sharing the context's rate-limiter registry) and `Destination`, the mapper,
 * and the sync engine over the store. The config is the source of truth for settings; secrets come
 * from the vault.
 */
import type { ConnectionConfig } from '../config/index.js';
import { enabledKinds, epicorSettingsInput, hubSpotConfigInput, STREAM_KEYS } from '../config/index.js';
import { fetchTransport, type HttpTransport } from '../core/http.js';
import {
  createEpicorClient,
  createEpicorSource,
  type EpicorClient,
  parseEpicorSettings,
} from '../epicor/index.js';
import {
  createHubSpotClient,
  createHubSpotDestination,
  type HubSpotClient,
  type HubSpotClientDeps,
  type HubSpotHttpEvent,
  type PropertyDefinition,
  type SchemaReport,
} from '../hubspot/index.js';
import type { Connection } from '../store/types.js';
import {
  createStoreAdapter,
  createSyncEngine,
  type Destination,
  type EntityKind,
  type Source,
  type SyncEngine,
  type SyncEngineConfig,
  SyncEvents,
} from '../sync/index.js';
import {
  type CustomPropertyDefinition,
  createMapper,
  customPropertyDefinitions,
} from '../sync/mapping/index.js';
import type { RecordMapper } from '../sync/ports.js';
import { sourceIdForRecord } from '../sync/source-id.js';
import type { AppContext } from './context.js';
import { fromTheBeginning, withLazySchema } from './lazy-schema.js';
import {
  connectionSecrets,
  type EpicorSecret,
  epicorSecretSchema,
  type HubSpotSecret,
  hubspotSecretSchema,
} from './secrets.js';

/** Requests sent per system, counted at the transport (every attempt, retries included). */
export interface RequestCounter {
  readonly epicor: number;
  readonly hubspot: number;
}

export interface BuildConnectionOptions {
  /** Shared with progress bars, metrics and the dashboard; a new emitter when absent. */
  readonly events?: SyncEvents;
  /** Engine settings; `lookbackMs` defaults to the largest `lookbackMinutes` of the enabled streams. */
  readonly engine?: SyncEngineConfig;
  readonly onHubSpotEvent?: (event: HubSpotHttpEvent) => void;
  /** `sync --full`: read every stream from the beginning, ignoring stored cursors. */
  readonly fullRead?: boolean;
}

export interface ConnectionRuntime {
  readonly connection: ConnectionConfig;
  /** The connection's row in the store (its numeric id keys credentials, cursors, runs, audit). */
  readonly row: Connection;
  readonly epicor: EpicorClient;
  readonly source: Source;
  readonly hubspot: HubSpotClient;
  readonly destination: Destination;
  readonly mapper: RecordMapper;
  readonly engine: SyncEngine;
  readonly events: SyncEvents;
  /** Streams switched on in the config, in config order. */
  readonly kinds: readonly EntityKind[];
  /** The HubSpot properties the mapping writes (created by `setup` / `ensureSchema`). */
  readonly propertyDefinitions: readonly PropertyDefinition[];
  /** Live request counts per system since the runtime was built. */
  requests(): RequestCounter;
  /**
   * Creates/verifies the HubSpot property group and properties now (`setup`), through the same
   * destination the engine writes with, so this runtime's runs do not check them again.
   */
  ensureSchema(signal?: AbortSignal): Promise<SchemaReport>;
}

/** The store's row for a configured connection (created on first use; name = config id). */
export async function ensureConnectionRow(
  ctx: AppContext,
  connection: ConnectionConfig,
): Promise<Connection> {
  const settings = connectionSettingsSummary(connection);
  const existing = await ctx.store.connections.getByName(connection.id);
  if (existing === undefined) return ctx.store.connections.create({ name: connection.id, settings });
  if (JSON.stringify(existing.settings) === JSON.stringify(settings)) return existing;
  return ctx.store.connections.update(existing.id, { settings });
}

/** What the store keeps about a connection: a non-secret summary; the config file stays authoritative. */
function connectionSettingsSummary(connection: ConnectionConfig) {
  return {
    name: connection.name,
    epicor: {
      tenantUrl: connection.epicor.tenantUrl,
      company: connection.epicor.company,
      auth: connection.epicor.auth.kind,
    },
    hubspot: {
      baseUrl: connection.hubspot.baseUrl,
      auth: connection.hubspot.auth.kind,
      tier: connection.hubspot.tier,
    },
    streams: enabledKinds(connection),
  };
}

/** Both secret objects of a connection from the vault (either may be absent). */
export async function loadStoredSecrets(
  ctx: AppContext,
  row: Connection,
): Promise<{ epicor: EpicorSecret | undefined; hubspot: HubSpotSecret | undefined }> {
  return {
    epicor: await ctx.vault.find(row.id, 'epicor', epicorSecretSchema),
    hubspot: await ctx.vault.find(row.id, 'hubspot', hubspotSecretSchema),
  };
}

/** The mapping's HubSpot property definitions in the client's shape. */
export function mappingPropertyDefinitions(connection: ConnectionConfig): PropertyDefinition[] {
  return customPropertyDefinitions(connection.mapping).map(toPropertyDefinition);
}

function toPropertyDefinition(d: CustomPropertyDefinition): PropertyDefinition {
  return {
    objectType: d.objectType,
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    ...(d.hasUniqueValue === true ? { hasUniqueValue: true } : {}),
    ...(d.options === undefined ? {} : { options: d.options.map((o) => ({ ...o })) }),
  };
}

function countingTransport(base: HttpTransport, onRequest: () => void): HttpTransport {
  return (url, init) => {
    onRequest();
    return base(url, init);
  };
}

/** Default engine lookback: the largest `lookbackMinutes` among the enabled streams. */
export function lookbackMsOf(connection: ConnectionConfig): number {
  const minutes = STREAM_KEYS.filter((key) => connection.streams[key].enabled).map(
    (key) => connection.streams[key].lookbackMinutes,
  );
  return Math.max(0, ...minutes) * 60_000;
}

/**
 * Wires one connection. Throws `MissingCredentialError` (naming the secret and the command that stores
 * it) when the vault lacks something the connection's auth kinds need, `ConfigError` for bad settings.
 */
export async function buildConnection(
  ctx: AppContext,
  connectionId?: string,
  options: BuildConnectionOptions = {},
): Promise<ConnectionRuntime> {
  const connection = ctx.connectionConfig(connectionId);
  const row = await ensureConnectionRow(ctx, connection);
  const stored = await loadStoredSecrets(ctx, row);
  const secrets = connectionSecrets(connection, stored.epicor, stored.hubspot);

  const counts = { epicor: 0, hubspot: 0 };
  const base = ctx.transport ?? fetchTransport;
  const logger = ctx.logger.child({ connection: connection.id });
  // Retry timing, like every other client setting, comes from the connection's config.
  const epicor = createEpicorClient(parseEpicorSettings(epicorSettingsInput(connection, secrets)), {
    transport: countingTransport(base, () => {
      counts.epicor += 1;
    }),
    clock: ctx.clock,
    logger,
    redactor: ctx.redactor,
  });
  const hubspotConfig = hubSpotConfigInput(connection, secrets);
  const hubspotDeps = {
    transport: countingTransport(base, () => {
      counts.hubspot += 1;
    }),
    clock: ctx.clock,
    logger,
    redactor: ctx.redactor,
    limiterRegistry: ctx.limiters,
    ...(options.onHubSpotEvent === undefined ? {} : { onEvent: options.onHubSpotEvent }),
    onRefreshTokenRotated: async (refreshToken) => {
      // HubSpot may rotate the refresh token; keep the new one or the next start cannot authenticate.
      await ctx.vault.put(row.id, 'hubspot', { ...stored.hubspot, refreshToken });
    },
  } satisfies HubSpotClientDeps;
  const hubspot = createHubSpotClient(hubspotConfig, hubspotDeps);
  const propertyDefinitions = mappingPropertyDefinitions(connection);
  // The schema is checked before the first write only, so a run with nothing to write sends HubSpot nothing.
  // Contacts whose email changed are handled inside the client (re-keyed by source id, same limiter).
  const destination = withLazySchema(
    createHubSpotDestination(hubspot, { extraProperties: propertyDefinitions }),
  );
  const epicorSource = createEpicorSource(epicor);
  const source = options.fullRead === true ? fromTheBeginning(epicorSource) : epicorSource;
  const company = connection.epicor.company;
  const mapper = createMapper({
    company,
    mapping: connection.mapping,
    timeZone: connection.epicor.timeZone,
  });
  const events = options.events ?? new SyncEvents();
  const engine = createSyncEngine({
    source,
    destination,
    store: createStoreAdapter(ctx.store, row.id),
    mapper,
    sourceIdOf: (kind, key) => sourceIdForRecord(company, kind, key) ?? '',
    clock: ctx.clock,
    logger,
    events,
    config: {
      lookbackMs: lookbackMsOf(connection),
      ...(connection.hubspot.limits.batchSize === undefined
        ? {}
        : { batchSize: connection.hubspot.limits.batchSize }),
      ...options.engine,
    },
  });
  return {
    connection,
    row,
    epicor,
    source,
    hubspot,
    destination,
    mapper,
    engine,
    events,
    kinds: enabledKinds(connection),
    propertyDefinitions,
    requests: () => ({ ...counts }),
    ensureSchema: async (signal) => {
      const report = await hubspot.ensureSchema(propertyDefinitions, signal === undefined ? {} : { signal });
      destination.markReady();
      return report;
    },
  };
}
