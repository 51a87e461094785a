import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';

export type HubSpotTier = 'free' | 'starter' | 'professional' | 'enterprise';

/** How the batch write endpoints answer when some inputs fail property validation (see docs). */
export type BatchValidationMode = 'multi-status' | 'reject-batch';

/** Order of `results[]` in batch write responses. HubSpot does not promise input order. */
export type BatchResultOrder = 'input' | 'reversed' | 'shuffled';

export interface RateLimitOptions {
  /** Requests per rolling 10 s per app (private-app token). Default from the tier (100/190/190). */
  tenSecondly?: number;
  /** Requests per rolling 10 s per OAuth app (public apps: 110, UNCONFIRMED). */
  oauthTenSecondly?: number;
  /** Requests per day per portal. Default from the tier (250k/625k/1M) plus 1M per pack. */
  daily?: number;
  /** API limit increase packs (0..2): burst becomes 250/10 s and +1M/day per pack. */
  apiLimitIncreasePacks?: number;
  /** Search requests per second per portal (5). */
  searchPerSecond?: number;
  /** false: nothing is ever refused (headers still report usage). */
  enabled?: boolean;
  /** Add `Retry-After` (seconds) to 429s. UNCONFIRMED in production; off by default. */
  retryAfterHeader?: boolean;
  /** Add `category: "RATE_LIMITS"` to 429 bodies beside `errorType` (seen on some 429s). */
  categoryInBody?: boolean;
  /** IANA zone of the portal; the daily counter resets at its midnight. Default UTC. */
  timeZone?: string;
}

export interface SearchLimits {
  maxFilterGroups: number;
  maxFiltersPerGroup: number;
  maxTotalFilters: number;
  maxLimit: number;
  maxResults: number;
}

export interface HubSpotSimulatorOptions {
  host?: string;
  port?: number;
  tier?: HubSpotTier;
  portalId?: number;
  privateAppTokens?: { token: string; scopes?: string[] }[];
  oauth?: {
    clientId: string;
    clientSecret: string;
    refreshTokens: string[];
    scopes?: string[];
    accessTokenLifetimeSeconds?: number;
  };
  rateLimits?: RateLimitOptions;
  /** Newly written records become visible to search after this delay (ms on the clock). Default 0. */
  searchIndexDelayMs?: number;
  /** Status of a successful labelled association batch/create (201 before Aug 2025, 200 since). */
  associationBatchCreateStatus?: 200 | 201;
  /** `?idProperty=` on batch/upsert: honour it as a default for inputs, ignore it, or reject (400). */
  upsertIdPropertyInQuery?: 'accept' | 'ignore' | 'reject';
  clock?: Clock;
  /** See docs/simulators-hubspot.md: default 'reject-batch'. */
  batchValidation?: BatchValidationMode;
  /** Default 'shuffled' (seeded): clients must map results by unique value / trace id. */
  batchResultOrder?: BatchResultOrder;
  /** Status for creating a property that already exists (UNCONFIRMED; default 409). */
  propertyExistsStatus?: 400 | 409;
  /** Status for writing a value that another record already holds in a unique property (UNCONFIRMED; default 400). */
  uniqueValueConflictStatus?: 400 | 409;
  /** On upsert-create, copy `id` into the `idProperty` when `properties` lacks it (UNCONFIRMED; default true). */
  upsertCopiesIdIntoProperty?: boolean;
  /** GET list with limit > 100: clamp to 100 or answer 400 (UNCONFIRMED; default clamp). */
  listLimitOver100?: 'clamp' | 'reject';
  /** Requested-but-unset properties come back as JSON null (as HubSpot does) or are omitted. */
  emptyPropertiesAs?: 'null' | 'omit';
  /** Search filter-count and paging limits (docs: 5 groups × 6 filters, 18 total; 200/page; 10k). */
  searchLimits?: Partial<SearchLimits>;
  /** Seed for fault probabilities and result shuffling. */
  seed?: number;
}

export interface ResolvedSettings {
  tier: HubSpotTier;
  portalId: number;
  rateLimits: Required<RateLimitOptions>;
  /** The explicit rate-limit options given (at start or later); tier defaults fill the rest. */
  rateLimitOverrides: RateLimitOptions;
  searchIndexDelayMs: number;
  associationBatchCreateStatus: 200 | 201;
  upsertIdPropertyInQuery: 'accept' | 'ignore' | 'reject';
  batchValidation: BatchValidationMode;
  batchResultOrder: BatchResultOrder;
  propertyExistsStatus: 400 | 409;
  uniqueValueConflictStatus: 400 | 409;
  upsertCopiesIdIntoProperty: boolean;
  listLimitOver100: 'clamp' | 'reject';
  emptyPropertiesAs: 'null' | 'omit';
  searchLimits: SearchLimits;
}

/** Settings that can change at run time through the control API. */
export type SimSettingsPatch = Partial<
  Omit<ResolvedSettings, 'portalId' | 'rateLimits' | 'rateLimitOverrides' | 'searchLimits'>
> & {
  rateLimits?: RateLimitOptions;
  searchLimits?: Partial<SearchLimits>;
};

export const DEFAULT_PRIVATE_APP_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
export const DEFAULT_OAUTH = {
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  refreshTokens: ['sim-refresh-token'],
  accessTokenLifetimeSeconds: 1800,
} as const;
export const DEFAULT_PORTAL_ID = 12345678;

export const ALL_CRM_SCOPES: readonly string[] = [
  'oauth',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
];

/** Usage-guidelines table (reference §4). */
export const TIER_LIMITS: Record<HubSpotTier, { tenSecondly: number; daily: number }> = {
  free: { tenSecondly: 100, daily: 250_000 },
  starter: { tenSecondly: 100, daily: 250_000 },
  professional: { tenSecondly: 190, daily: 625_000 },
  enterprise: { tenSecondly: 190, daily: 1_000_000 },
};

export const DEFAULT_SEARCH_LIMITS: SearchLimits = {
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxTotalFilters: 18,
  maxLimit: 200,
  maxResults: 10_000,
};

export function isTier(value: string): value is HubSpotTier {
  return value === 'free' || value === 'starter' || value === 'professional' || value === 'enterprise';
}

/** Computes the effective rate limits for a tier and the explicit overrides. */
export function resolveRateLimits(
  tier: HubSpotTier,
  overrides: RateLimitOptions = {},
): Required<RateLimitOptions> {
  const packs = Math.max(0, Math.min(2, overrides.apiLimitIncreasePacks ?? 0));
  const base = TIER_LIMITS[tier];
  return {
    tenSecondly: overrides.tenSecondly ?? (packs > 0 ? 250 : base.tenSecondly),
    oauthTenSecondly: overrides.oauthTenSecondly ?? 110,
    daily: overrides.daily ?? base.daily + packs * 1_000_000,
    apiLimitIncreasePacks: packs,
    searchPerSecond: overrides.searchPerSecond ?? 5,
    enabled: overrides.enabled ?? true,
    retryAfterHeader: overrides.retryAfterHeader ?? false,
    categoryInBody: overrides.categoryInBody ?? false,
    timeZone: overrides.timeZone ?? 'UTC',
  };
}

export function resolveSettings(options: HubSpotSimulatorOptions): ResolvedSettings {
  const tier = options.tier ?? 'professional';
  return {
    tier,
    portalId: options.portalId ?? DEFAULT_PORTAL_ID,
    rateLimits: resolveRateLimits(tier, options.rateLimits),
    rateLimitOverrides: { ...options.rateLimits },
    searchIndexDelayMs: options.searchIndexDelayMs ?? 0,
    associationBatchCreateStatus: options.associationBatchCreateStatus ?? 201,
    upsertIdPropertyInQuery: options.upsertIdPropertyInQuery ?? 'accept',
    batchValidation: options.batchValidation ?? 'reject-batch',
    batchResultOrder: options.batchResultOrder ?? 'shuffled',
    propertyExistsStatus: options.propertyExistsStatus ?? 409,
    uniqueValueConflictStatus: options.uniqueValueConflictStatus ?? 400,
    upsertCopiesIdIntoProperty: options.upsertCopiesIdIntoProperty ?? true,
    listLimitOver100: options.listLimitOver100 ?? 'clamp',
    emptyPropertiesAs: options.emptyPropertiesAs ?? 'null',
    searchLimits: { ...DEFAULT_SEARCH_LIMITS, ...options.searchLimits },
  };
}

/** Applies a run-time patch; rate limits are re-derived from the tier plus the explicit overrides. */
export function applySettingsPatch(current: ResolvedSettings, patch: SimSettingsPatch): ResolvedSettings {
  const tier = patch.tier ?? current.tier;
  const { rateLimits: rlPatch, searchLimits: slPatch, ...rest } = patch;
  const overrides = { ...current.rateLimitOverrides, ...rlPatch };
  return {
    ...current,
    ...rest,
    tier,
    rateLimitOverrides: overrides,
    rateLimits: resolveRateLimits(tier, overrides),
    searchLimits: { ...current.searchLimits, ...slPatch },
  };
}

export function clockOf(options: HubSpotSimulatorOptions): Clock {
  return options.clock ?? systemClock;
}
