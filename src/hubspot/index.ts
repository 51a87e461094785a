export type { AssociationOutcome, AssociationPair } from './associations.js';
export { type AccessTokenProvider, OAuthTokenProvider, StaticTokenProvider } from './auth.js';
export type { OutcomeStatus, RecordOutcome } from './batch.js';
export {
  type CallOptions,
  createHubSpotClient,
  HubSpotClient,
  type HubSpotClientDeps,
  type HubSpotClientStats,
} from './client.js';
export {
  type HubSpotClientConfig,
  type HubSpotClientConfigInput,
  type HubSpotTier,
  hubSpotClientConfigSchema,
  parseHubSpotConfig,
  TIER_TEN_SECOND_LIMITS,
} from './config.js';
export { createHubSpotDestination } from './destination.js';
export {
  HubSpotAuthError,
  HubSpotDailyLimitError,
  HubSpotError,
  HubSpotHttpError,
  HubSpotPropertyTypeError,
  HubSpotRateLimitError,
  HubSpotScopesError,
  HubSpotUniquePropertyError,
  HubSpotValidationError,
  isHubSpotError,
} from './errors.js';
export type { HubSpotHttpEvent, HubSpotHttpStats } from './http-client.js';
export type { CompanyUpsert, ContactKeyMode, ContactUpsert } from './prepare.js';
export { connectorPropertyDefinitions, type PropertyDefinition, type PropertyOption } from './properties.js';
export { defaultLimiterRegistry, RateLimiterRegistry, SlidingWindowLimiter } from './rate-limiter.js';
export type { HubSpotObject } from './reads.js';
export type { SchemaReport } from './setup.js';
