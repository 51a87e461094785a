/** The composition root: open the app context, then wire connections (see docs/cli.md). */

export {
  type BuildConnectionOptions,
  buildConnection,
  type ConnectionRuntime,
  ensureConnectionRow,
  loadStoredSecrets,
  lookbackMsOf,
  mappingPropertyDefinitions,
  type RequestCounter,
} from './connection.js';
export {
  type AppContext,
  CONFIG_ENV,
  DEFAULT_CONFIG_PATH,
  type Env,
  type OpenAppContextOptions,
  openAppContext,
  resolveConfigPath,
  UnknownConnectionError,
} from './context.js';
export { fromTheBeginning, withLazySchema } from './lazy-schema.js';
export {
  acquireConnectionLease,
  type HeldLease,
  isDeadLocalHolder,
  LEASE_TTL_MS,
  LeaseHeldError,
  processHolder,
} from './lease.js';
export {
  connectionSecrets,
  type EpicorSecret,
  epicorSecretSchema,
  type HubSpotSecret,
  hubspotSecretSchema,
  MissingCredentialError,
  requiredFields,
  SECRET_LOCATION,
  SECRET_SCHEMAS,
} from './secrets.js';
