/**
 * The product's configuration file (YAML), as a zod schema. No secret lives here: passwords, API keys,
 * client secrets and tokens are kept in the encrypted credential store (see `requiredSecrets`).
 * Paths in the output are still as written; `load.ts` resolves them and applies env overrides.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { isLoopbackHost } from '../core/http.js';
import { alertsConfigSchema } from '../service/alerts/config.js';
import { parseSchedule, type Schedule } from '../service/schedule.js';
import { HUBSPOT_TIERS, LOG_LEVELS } from './constants.js';
import { durationSchema, httpUrlSchema, nonEmpty, slugSchema, timeZoneSchema } from './fields.js';
import { mappingSchema } from './mapping-schema.js';
import { streamsSchema } from './streams-schema.js';

export { HUBSPOT_TIERS, LOG_LEVELS };

/** Plain http only to loopback hosts, unless `allowInsecureHttp` says otherwise. */
function insecure(url: string, allowInsecureHttp: boolean): boolean {
  if (!URL.canParse(url)) return false; // zod runs checks after a failed URL check; that one is reported
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(parsed.hostname);
}
const INSECURE = 'plain http is only allowed to loopback hosts; use https or set allowInsecureHttp: true';

const epicorAuthSchema = z.discriminatedUnion('kind', [
  /** Basic auth with a native Epicor user; the password is in the store. */
  z.strictObject({ kind: z.literal('basic'), username: nonEmpty }),
  /** Epicor's TokenResource.svc bearer token, requested with a user name and password (store). */
  z.strictObject({
    kind: z.literal('token-resource'),
    username: nonEmpty,
    /** How the credentials reach the token service (public clients disagree; UNCONFIRMED). */
    requestStyle: z.enum(['headers', 'form-password-grant', 'form-credentials', 'basic']).optional(),
  }),
  /** OAuth2 client credentials (Epicor IdP or Entra ID); the client secret is in the store. */
  z.strictObject({
    kind: z.literal('oauth2'),
    tokenUrl: httpUrlSchema,
    clientId: nonEmpty,
    scope: z.string().trim().default('epicor_erp'),
    clientAuth: z.enum(['body', 'basic']).default('body'),
  }),
]);

/**
 * How the Epicor client retries a failed request (5xx, 408/429, network errors, timeouts). Every key is
 * optional; an absent key keeps the client's default (the production value, see docs/configuration.md).
 */
const epicorRetrySchema = z.strictObject({
  /** Tries per request, the first included (1 = no retry). Default 5. */
  attempts: z.number().int().min(1).max(20).optional(),
  /** First backoff delay (full jitter, doubling per retry). Default 1s. */
  baseDelay: durationSchema.optional(),
  /** Longest backoff delay. Default 30s. */
  maxDelay: durationSchema.optional(),
  /** Longest Retry-After the client waits for. Default 2m. */
  maxRetryAfter: durationSchema.optional(),
  /** 400 LicenseAccessException ("Maximum users exceeded"): its own, longer waits. */
  license: z
    .strictObject({
      /** Default 6. */
      attempts: z.number().int().min(1).max(20).optional(),
      /** Default 30s. */
      baseDelay: durationSchema.optional(),
      /** Default 8m. */
      maxDelay: durationSchema.optional(),
    })
    .optional(),
});

/** How the HubSpot client retries. Every key is optional; absent keys keep the client's defaults. */
const hubspotRetrySchema = z.strictObject({
  /** Retries after the first try for 5xx, 423 Locked, 477 and network errors. Default 6. */
  retries: z.number().int().min(0).max(50).optional(),
  /** Retries after a 429 (rate limit), counted apart from the others. Default 10. */
  rateLimitRetries: z.number().int().min(0).max(100).optional(),
  /** First backoff delay (full jitter, doubling per retry). Default 500ms. */
  baseDelay: durationSchema.optional(),
  /** Longest backoff delay. Default 30s. */
  maxDelay: durationSchema.optional(),
  /** Least wait after 423 Locked (HubSpot: at least 2 s). Default 2s. */
  lockedDelay: durationSchema.optional(),
  /** Wait after a per-second (search) 429 that carries no Retry-After. Default 1s. */
  secondlyDelay: durationSchema.optional(),
  /** A Retry-After longer than this fails the request instead of waiting. Default 15m. */
  maxRetryAfter: durationSchema.optional(),
  /** Added to every rate-limit wait (clock skew, latency). Default 100ms. */
  rateLimitPadding: durationSchema.optional(),
});

const epicorSchema = z
  .strictObject({
    /** Server and instance, e.g. `https://erp.example.com/ERP11PROD` (nothing below the instance). */
    tenantUrl: httpUrlSchema,
    /** The Epicor Company id; the first part of every source id. */
    company: nonEmpty.regex(/^[^\s/]+$/, 'an Epicor Company id, without spaces or slashes'),
    auth: epicorAuthSchema,
    /** The Epicor server's zone: ChangeDate/ChangeTime and offset-less date-times are read in it. */
    timeZone: timeZoneSchema.default('UTC'),
    requestTimeout: durationSchema.default(120_000),
    retry: epicorRetrySchema.default({}),
    /** Allow plain http to a host that is not loopback (credentials then travel unencrypted). */
    allowInsecureHttp: z.boolean().default(false),
    /**
     * Check that the vendor-contact child entity set answers a filter on its own key before paging it;
     * on the child entity-set quirk the stream fails (ERR_EPICOR_CHILD_FILTER) instead of missing contacts.
     */
    childFilterCheck: z.boolean().default(true),
  })
  .check((ctx) => {
    const { tenantUrl, auth, allowInsecureHttp } = ctx.value;
    if (insecure(tenantUrl, allowInsecureHttp)) {
      ctx.issues.push({ code: 'custom', input: tenantUrl, path: ['tenantUrl'], message: INSECURE });
    }
    if (auth.kind === 'oauth2' && insecure(auth.tokenUrl, allowInsecureHttp)) {
      ctx.issues.push({
        code: 'custom',
        input: auth.tokenUrl,
        path: ['auth', 'tokenUrl'],
        message: INSECURE,
      });
    }
    if (/\/api\/v[12]\b/i.test(ctx.value.tenantUrl)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.tenantUrl,
        path: ['tenantUrl'],
        message: 'give the server and instance only, e.g. https://host/ERP11PROD (drop "/api/v2/...")',
      });
    }
  });

const hubspotSchema = z
  .strictObject({
    baseUrl: httpUrlSchema.default('https://api.hubapi.com'),
    auth: z
      .discriminatedUnion('kind', [
        /** A private-app access token (in the store). */
        z.strictObject({ kind: z.literal('private-app') }),
        /** OAuth: client id here; client secret and refresh token in the store. */
        z.strictObject({
          kind: z.literal('oauth'),
          clientId: nonEmpty,
          tokenPath: z.string().startsWith('/').default('/oauth/v1/token'),
        }),
      ])
      .default({ kind: 'private-app' }),
    /** The portal's API tier; sets the 10-second request budget (100 / 190 / 250). */
    tier: z.enum(HUBSPOT_TIERS).default('professional'),
    limits: z
      .strictObject({
        /** Requests per rolling 10 s; overrides the tier's number. */
        tenSecondLimit: z.number().int().positive().optional(),
        /** Search requests per second (HubSpot: 5). */
        searchPerSecond: z.number().int().positive().optional(),
        /** Batches in flight at once. */
        concurrency: z.number().int().min(1).max(32).optional(),
        /** Inputs per batch (HubSpot maximum 100). */
        batchSize: z.number().int().min(1).max(100).optional(),
      })
      .default({}),
    /**
     * How contacts are matched in HubSpot: by `email` when the contact has a valid one, else by its
     * source id (`email-or-source-id`), or always by the source id (`source-id`).
     */
    contactKey: z.enum(['email-or-source-id', 'source-id']).default('email-or-source-id'),
    requestTimeout: durationSchema.default(30_000),
    retry: hubspotRetrySchema.default({}),
    /** The portal's zone: its daily API limit resets at its midnight. */
    timeZone: timeZoneSchema.default('UTC'),
    allowInsecureHttp: z.boolean().default(false),
  })
  .check((ctx) => {
    if (insecure(ctx.value.baseUrl, ctx.value.allowInsecureHttp)) {
      ctx.issues.push({ code: 'custom', input: ctx.value.baseUrl, path: ['baseUrl'], message: INSECURE });
    }
  })
  .prefault({});

/** Delegates to the scheduler's own parser so config and scheduler agree on the grammar. */
const scheduleSchema = z
  .unknown()
  .default({ every: '15m' })
  .transform((input, ctx): Schedule => {
    try {
      return parseSchedule(input, 'schedule');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const text of error.issues) {
        const m = /^schedule(?:\.([\w.]+))?: ([\s\S]*)$/.exec(text);
        ctx.issues.push({
          code: 'custom',
          input,
          path: m?.[1] === undefined ? [] : m[1].split('.'),
          message: m?.[2] ?? text,
        });
      }
      return z.NEVER;
    }
  });

export const connectionSchema = z
  .strictObject({
    id: slugSchema,
    name: z.string().trim().min(1).optional(),
    epicor: epicorSchema,
    hubspot: hubspotSchema,
    streams: streamsSchema,
    mapping: mappingSchema.default({}),
    schedule: scheduleSchema,
    /** The alerter's own settings; without `webhookUrl` no alert is sent. */
    alerts: alertsConfigSchema.partial({ webhookUrl: true }).prefault({}),
  })
  .transform((c) => ({ ...c, name: c.name ?? c.id }));

/** See src/app/heap-growth.ts for why the connector does not keep V8's default. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 30;

export const configFileSchema = z.strictObject({
  dataDir: nonEmpty.default('./.data'),
  store: z
    .strictObject({
      /** SQLite database file; default `<dataDir>/ml-connector.db`. */
      sqlitePath: nonEmpty.optional(),
      /** SQLite page cache per connection, in MiB (SQLite keeps up to this much of the file in memory). */
      sqliteCacheMb: z.int().min(1).max(1024).optional(),
      /** PostgreSQL instead of SQLite; give the password via env (PGPASSWORD or ML_CONNECTOR_DATABASE_URL). */
      postgresUrl: z
        .url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// or postgresql:// URL' })
        .optional(),
    })
    .default({})
    .check((ctx) => {
      if (ctx.value.sqlitePath !== undefined && ctx.value.postgresUrl !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: 'give sqlitePath or postgresUrl, not both',
        });
      }
    }),
  keyFile: nonEmpty.optional(),
  /** How far the JavaScript heap may grow above its live data, in percent; 0 = V8's own policy. */
  memory: z
    .strictObject({ heapGrowthPercent: z.int().min(0).max(400).default(DEFAULT_HEAP_GROWTH_PERCENT) })
    .prefault({}),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
  connections: z.array(connectionSchema).min(1, 'add at least one connection'),
});

export type ConfigFile = z.output<typeof configFileSchema>;
export type ConnectionConfig = z.output<typeof connectionSchema>;
export type EpicorConnectionConfig = ConnectionConfig['epicor'];
export type HubSpotConnectionConfig = ConnectionConfig['hubspot'];
export type LogLevel = (typeof LOG_LEVELS)[number];
