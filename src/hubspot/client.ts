import { type Clock, systemClock } from '../core/clock.js';
import { fetchTransport, type HttpTransport } from '../core/http.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { type Random, systemRandom } from '../core/random.js';
import { Redactor } from '../core/redact.js';
import type { HubSpotObjectType } from '../sync/model.js';
import { type AssociationOutcome, associateDefault } from './associations.js';
import { type AccessTokenProvider, OAuthTokenProvider, StaticTokenProvider } from './auth.js';
import type { RecordOutcome } from './batch.js';
import {
  type HubSpotClientConfig,
  type HubSpotClientConfigInput,
  parseHubSpotConfig,
  TIER_TEN_SECOND_LIMITS,
} from './config.js';
import { HubSpotHttp, type HubSpotHttpEvent, type HubSpotHttpStats } from './http-client.js';
import {
  type CompanyUpsert,
  type ContactUpsert,
  isSourceIdConflict,
  keyBySourceId,
  prepareCompanies,
  prepareContacts,
} from './prepare.js';
import { connectorPropertyDefinitions, type PropertyDefinition } from './properties.js';
import {
  defaultLimiterRegistry,
  type LimiterSnapshot,
  type RateLimiterRegistry,
  SlidingWindowLimiter,
} from './rate-limiter.js';
import { batchArchive, batchReadByProperty, type HubSpotObject, iterateObjects } from './reads.js';
import { ensureSchema, type SchemaReport } from './setup.js';
import { upsertPrepared } from './upsert.js';

/** Injected effects; every one has a production default. */
export interface HubSpotClientDeps {
  transport?: HttpTransport;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** Shared limiters; defaults to the process-wide registry so all clients of one portal share a budget. */
  limiterRegistry?: RateLimiterRegistry;
  /** Secrets are added to it; pass the app's redactor to scrub them everywhere. */
  redactor?: Redactor;
  onEvent?: (event: HubSpotHttpEvent) => void;
  /** Called when OAuth returns a new refresh token, so it can be stored. */
  onRefreshTokenRotated?: (refreshToken: string) => void | Promise<void>;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface HubSpotClientStats extends HubSpotHttpStats {
  limiter: LimiterSnapshot;
  searchLimiter: LimiterSnapshot;
  tokenRefreshes: number;
}

/** The HubSpot CRM operations ml-connector uses. Create with `createHubSpotClient`. */
export class HubSpotClient {
  readonly config: Readonly<HubSpotClientConfig>;
  readonly http: HubSpotHttp;
  readonly #auth: AccessTokenProvider;
  readonly #limiter: SlidingWindowLimiter;
  readonly #searchLimiter: SlidingWindowLimiter;
  readonly #logger: Logger;

  constructor(config: Readonly<HubSpotClientConfig>, deps: HubSpotClientDeps = {}) {
    this.config = config;
    const clock = deps.clock ?? systemClock;
    const random = deps.random ?? systemRandom;
    const transport = deps.transport ?? fetchTransport;
    const redactor = deps.redactor ?? new Redactor();
    this.#logger = (deps.logger ?? silentLogger).child({ component: 'hubspot' });
    const baseUrl = config.baseUrl.replace(/\/+$/, '');
    const auth = config.auth;
    this.#auth =
      auth.kind === 'private-app'
        ? new StaticTokenProvider(auth.token)
        : new OAuthTokenProvider({
            clientId: auth.clientId,
            clientSecret: auth.clientSecret,
            refreshToken: auth.refreshToken,
            tokenUrl: baseUrl + auth.tokenPath,
            refreshLeewayMs: auth.refreshLeewayMs,
            maxAttempts: config.retry.maxRetries + 1,
            onRefreshTokenRotated: async (token) => {
              redactor.add(token);
              await deps.onRefreshTokenRotated?.(token);
            },
            transport,
            clock,
            random,
          });
    redactor.add(...this.#auth.secrets());
    const registry = deps.limiterRegistry ?? defaultLimiterRegistry;
    const key = `${baseUrl}|${this.#auth.identity}`;
    const rl = config.rateLimit;
    this.#limiter = registry.get(
      `${key}|ten-secondly`,
      () =>
        new SlidingWindowLimiter(
          {
            limit: rl.limit ?? TIER_TEN_SECOND_LIMITS[config.tier],
            intervalMs: rl.intervalMs,
            safetyMarginRatio: rl.safetyMarginRatio,
            safetyMarginMs: rl.safetyMarginMs,
            adaptToHeaders: rl.adaptToHeaders,
          },
          clock,
        ),
    );
    const sl = config.searchRateLimit;
    this.#searchLimiter = registry.get(
      `${key}|search`,
      () =>
        new SlidingWindowLimiter(
          {
            limit: sl.limit ?? 5,
            intervalMs: sl.intervalMs,
            safetyMarginRatio: sl.safetyMarginRatio,
            safetyMarginMs: sl.safetyMarginMs,
            adaptToHeaders: false,
          },
          clock,
        ),
    );
    const r = config.retry;
    this.http = new HubSpotHttp({
      baseUrl,
      auth: this.#auth,
      transport,
      clock,
      random,
      logger: this.#logger,
      redactor,
      limiter: this.#limiter,
      searchLimiter: this.#searchLimiter,
      retry: {
        backoff: { baseMs: r.backoffBaseMs, maxMs: r.backoffMaxMs, factor: 2 },
        lockedMinDelayMs: r.lockedMinDelayMs,
        secondlyDelayMs: r.secondlyDelayMs,
        maxRetryAfterMs: r.maxRetryAfterMs,
        rateLimitPaddingMs: r.rateLimitPaddingMs,
      },
      maxRetries: r.maxRetries,
      maxRateLimitRetries: r.maxRateLimitRetries,
      requestTimeoutMs: config.requestTimeoutMs,
      portalTimeZone: config.portalTimeZone,
      onEvent: deps.onEvent,
    });
  }

  /** The connector's default property definitions (companies and contacts). */
  defaultPropertyDefinitions(): PropertyDefinition[] {
    return connectorPropertyDefinitions(this.config.sourceIdProperty);
  }

  /**
   * Creates the property group and properties where missing; verifies existing ones. `extra` adds
   * the mapping's own properties (same name as a default replaces the default). Idempotent.
   */
  async ensureSchema(
    extra: readonly PropertyDefinition[] = [],
    options: CallOptions = {},
  ): Promise<SchemaReport> {
    const byKey = new Map<string, PropertyDefinition>();
    for (const d of [...this.defaultPropertyDefinitions(), ...extra])
      byKey.set(`${d.objectType}.${d.name}`, d);
    return ensureSchema(this.http, {
      group: this.config.propertyGroup,
      definitions: [...byKey.values()],
      logger: this.#logger,
      signal: options.signal,
    });
  }

  /** Upserts companies by the unique source-id property; one outcome per distinct source id. */
  upsertCompanies(records: readonly CompanyUpsert[], options: CallOptions = {}): Promise<RecordOutcome[]> {
    return upsertPrepared(
      this.http,
      'companies',
      prepareCompanies(records, this.config.sourceIdProperty),
      this.#runOptions(options),
    );
  }

  /**
   * Upserts contacts by email (or by source id when there is no usable email; see `contactKey`). A
   * contact whose email changed since it was synced (HubSpot refuses to create a second contact with its
   * source id) is sent again keyed by the source id, through this same client (limiter, token): that
   * updates the existing contact, email included, instead of failing or duplicating it.
   */
  async upsertContacts(
    records: readonly ContactUpsert[],
    options: CallOptions = {},
  ): Promise<RecordOutcome[]> {
    const sourceIdProperty = this.config.sourceIdProperty;
    const { prepared, rejected } = prepareContacts(records, {
      sourceIdProperty,
      mode: this.config.contactKey,
    });
    // One key per request: mixing idProperty values inside one batch is allowed by the spec but untested
    // in production (UNCONFIRMED), so emails and source ids go in separate batches.
    const byEmail = prepared.filter((p) => p.idProperty === 'email');
    const bySourceId = prepared.filter((p) => p.idProperty !== 'email');
    const run = this.#runOptions(options);
    const emailOutcomes = await upsertPrepared(this.http, 'contacts', byEmail, run);
    const moved = new Set(
      emailOutcomes.filter((o) => isSourceIdConflict(o, sourceIdProperty)).map((o) => o.sourceId),
    );
    const rekeyed = byEmail
      .filter((p) => moved.has(p.sourceId))
      .map((p) => keyBySourceId(p, sourceIdProperty));
    if (rekeyed.length > 0) {
      this.#logger.info(
        { contacts: rekeyed.length },
        'contacts whose email changed: sending them again keyed by source id',
      );
    }
    const outcomes = [
      ...emailOutcomes.filter((o) => !moved.has(o.sourceId)),
      ...(await upsertPrepared(this.http, 'contacts', [...bySourceId, ...rekeyed], run)),
    ];
    return [...rejected, ...outcomes];
  }

  /** Default company↔contact associations between HubSpot ids (contact → company). */
  associateContactsWithCompanies(
    pairs: readonly { contactId: string; companyId: string }[],
    options: CallOptions = {},
  ): Promise<AssociationOutcome[]> {
    return associateDefault(
      this.http,
      'contacts',
      'companies',
      pairs.map((p) => ({ fromId: p.contactId, toId: p.companyId })),
      {
        batchSize: this.config.associationBatchSize,
        concurrency: this.config.concurrency,
        signal: options.signal,
      },
    );
  }

  /** Reads records by source id (for reconcile); missing ones are absent from the map. */
  readBySourceIds(
    objectType: HubSpotObjectType,
    sourceIds: readonly string[],
    options: CallOptions & { properties?: readonly string[] } = {},
  ): Promise<Map<string, HubSpotObject>> {
    return batchReadByProperty(this.http, objectType, this.config.sourceIdProperty, sourceIds, {
      batchSize: this.config.batchSize,
      ...(options.properties ? { properties: options.properties } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Every record of a type that has a source id (async, one page of 100 at a time). */
  iterateConnectorObjects(
    objectType: HubSpotObjectType,
    options: CallOptions & { properties?: readonly string[]; includeUnsourced?: boolean } = {},
  ): AsyncGenerator<HubSpotObject, void, undefined> {
    return iterateObjects(this.http, objectType, {
      pageSize: this.config.pageSize,
      properties: [this.config.sourceIdProperty, ...(options.properties ?? [])],
      ...(options.includeUnsourced ? {} : { withProperty: this.config.sourceIdProperty }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Archives (soft-deletes) records by HubSpot id. Returns how many ids were sent. */
  archive(objectType: HubSpotObjectType, ids: readonly string[], options: CallOptions = {}): Promise<number> {
    return batchArchive(this.http, objectType, ids, {
      batchSize: this.config.batchSize,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  stats(): HubSpotClientStats {
    return {
      ...this.http.stats,
      byStatus: { ...this.http.stats.byStatus },
      limiter: this.#limiter.snapshot(),
      searchLimiter: this.#searchLimiter.snapshot(),
      tokenRefreshes: this.#auth instanceof OAuthTokenProvider ? this.#auth.refreshCount : 0,
    };
  }

  #runOptions(options: CallOptions) {
    return {
      batchSize: this.config.batchSize,
      concurrency: this.config.concurrency,
      logger: this.#logger,
      signal: options.signal,
    };
  }
}

/** Validates `config` (throws ConfigError listing every problem) and builds a client. */
export function createHubSpotClient(
  config: HubSpotClientConfigInput,
  deps: HubSpotClientDeps = {},
): HubSpotClient {
  return new HubSpotClient(parseHubSpotConfig(config), deps);
}
