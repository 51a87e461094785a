import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { isLoopbackHost } from '../core/http.js';

/** Requests per 10 s per app by product tier (reference §4). */
export const TIER_TEN_SECOND_LIMITS = {
  free: 100,
  starter: 100,
  professional: 190,
  enterprise: 190,
  'api-pack': 250,
} as const;
export type HubSpotTier = keyof typeof TIER_TEN_SECOND_LIMITS;

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('private-app'), token: z.string().min(1) }),
  z.object({
    kind: z.literal('oauth'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
    /** v1 is deprecated on 2027-02-16 in favour of /oauth/v3/token; kept configurable. */
    tokenPath: z.string().startsWith('/').default('/oauth/v1/token'),
    /** Refresh this long before expiry (HubSpot access tokens live 30 min). */
    refreshLeewayMs: z
      .number()
      .int()
      .min(0)
      .default(5 * 60_000),
  }),
]);

const limiterSchema = (defaults: { limit?: number; intervalMs: number; ratio: number; marginMs: number }) =>
  z
    .object({
      /** Overrides the tier's number. */
      limit: z.number().int().positive().optional(),
      intervalMs: z.number().int().positive().default(defaults.intervalMs),
      safetyMarginRatio: z.number().min(0).max(0.9).default(defaults.ratio),
      safetyMarginMs: z.number().int().min(0).default(defaults.marginMs),
      adaptToHeaders: z.boolean().default(true),
    })
    .prefault({});

export const hubSpotClientConfigSchema = z.object({
  baseUrl: z.url().default('https://api.hubapi.com'),
  /** Plain http is refused for anything but loopback unless this is set. */
  allowInsecureHttp: z.boolean().default(false),
  auth: authSchema,
  tier: z
    .enum(Object.keys(TIER_TEN_SECOND_LIMITS) as [HubSpotTier, ...HubSpotTier[]])
    .default('professional'),
  rateLimit: limiterSchema({ intervalMs: 10_000, ratio: 0.02, marginMs: 250 }),
  /** Search: 5 requests/s per account, no rate-limit headers. */
  searchRateLimit: limiterSchema({ limit: 5, intervalMs: 1_000, ratio: 0, marginMs: 100 }),
  retry: z
    .object({
      maxRetries: z.number().int().min(0).default(6),
      maxRateLimitRetries: z.number().int().min(0).default(10),
      backoffBaseMs: z.number().int().positive().default(500),
      backoffMaxMs: z.number().int().positive().default(30_000),
      lockedMinDelayMs: z.number().int().min(0).default(2_000),
      secondlyDelayMs: z.number().int().min(0).default(1_000),
      maxRetryAfterMs: z
        .number()
        .int()
        .min(0)
        .default(15 * 60_000),
      rateLimitPaddingMs: z.number().int().min(0).default(100),
    })
    .prefault({}),
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** IANA zone of the portal: the daily limit resets at its midnight (UNCONFIRMED source of the zone). */
  portalTimeZone: z.string().default('UTC'),
  batchSize: z.number().int().min(1).max(100).default(100),
  /** Per-request maximum for association batches is UNCONFIRMED; 100 is safe. */
  associationBatchSize: z.number().int().min(1).max(1000).default(100),
  /** Batches in flight at once; the limiter still bounds the rate. */
  concurrency: z.number().int().min(1).max(32).default(4),
  pageSize: z.number().int().min(1).max(100).default(100),
  sourceIdProperty: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .default('epicor_source_id'),
  /**
   * How contacts are keyed: by `email` when it looks valid, else by the source-id property
   * (`email-or-source-id`), or always by the source-id property (`source-id`).
   */
  contactKey: z.enum(['email-or-source-id', 'source-id']).default('email-or-source-id'),
  propertyGroup: z
    .object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/), label: z.string().min(1) })
    .default({ name: 'ml_connector', label: 'ml-connector (Epicor)' }),
});

export type HubSpotClientConfigInput = z.input<typeof hubSpotClientConfigSchema>;
export type HubSpotClientConfig = z.output<typeof hubSpotClientConfigSchema>;

/** Validates and freezes the config; every problem is reported at once, never with secret values. */
export function parseHubSpotConfig(input: HubSpotClientConfigInput): Readonly<HubSpotClientConfig> {
  const parsed = hubSpotClientConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `hubspot.${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  const url = new URL(config.baseUrl);
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && (isLoopbackHost(url.hostname) || config.allowInsecureHttp))
  ) {
    throw new ConfigError([
      `hubspot.baseUrl: ${url.protocol}//${url.host} is not https; plain http is only allowed for loopback hosts unless allowInsecureHttp is set`,
    ]);
  }
  if (url.username || url.password) throw new ConfigError(['hubspot.baseUrl: must not contain credentials']);
  return Object.freeze(config);
}
