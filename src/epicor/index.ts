/** Public surface of the Epicor Kinetic REST v2 client (see docs/epicor-client.md). */
export { ChildFilterGuard } from './child-filter-guard.js';
export {
  type ChildFilterProbeOutcome,
  type ChildFilterQuirkOutcome,
  childFilterProbeApplies,
  classifyProbe,
  isChildFilterQuirk,
  probeChildFilter,
  quirkErrorMessage,
  quirkWarning,
} from './child-filter-probe.js';
export {
  createEpicorClient,
  EpicorClient,
  type EpicorClientDeps,
  type EpicorPage,
  type EpicorQuery,
  epicorQuerySchema,
  type ScanOptions,
} from './client.js';
export {
  changeValueOf,
  decodeKey,
  encodeKey,
  keyOf,
  positionKeyOf,
  positionOf,
  sortableKey,
} from './cursor.js';
export { parseEpicorDate, parseEpicorDateTime } from './dates.js';
export { classifyUnauthorized, parseErrorBody, type UnauthorizedKind } from './error-body.js';
export {
  EpicorAccessDeniedError,
  EpicorApiKeyError,
  EpicorChildFilterError,
  EpicorCredentialsError,
  EpicorDataError,
  EpicorError,
  EpicorHttpError,
  EpicorLicenseError,
  EpicorNetworkError,
  EpicorPagingError,
  EpicorResponseError,
  EpicorTimeoutError,
  EpicorUnauthorizedError,
  isEpicorError,
} from './errors.js';
export { parseJsonPreservingBigInts } from './json.js';
export {
  type ChangeFieldsFound,
  type EntityProperty,
  parseEntityProperties,
  recommendStrategy,
  type StrategyRecommendation,
} from './metadata.js';
export { intLiteral, stringLiteral, tupleAfter } from './odata.js';
export {
  type CheckOptions,
  type CheckResult,
  type ConnectionReport,
  checkConnection,
  type EntityCheck,
} from './ping.js';
export type { RetryNotice } from './requester.js';
export { type PagingMode, planPage, startFilter } from './scan-plan.js';
export {
  type ColumnComparison,
  type ColumnSource,
  checkSelect,
  compareColumns,
  type SelectCheck,
  type SelectCheckStatus,
  selectedColumns,
} from './select-check.js';
export {
  type ChangeStrategy,
  type EpicorSettings,
  type EpicorSettingsInput,
  epicorSettingsSchema,
  parseEpicorSettings,
  type StreamSettings,
} from './settings.js';
export { createEpicorSource } from './source.js';
export { type ResolvedStream, resolveStream, STREAM_DEFAULTS } from './streams.js';
