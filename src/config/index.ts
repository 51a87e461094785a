/** Public surface of the configuration: load/validate, templates, secrets, client inputs. */
export type { ConnectionSecrets } from './bridge.js';
export {
  assertSecrets,
  enabledKinds,
  epicorSettingsInput,
  hubSpotConfigInput,
  KIND_BY_STREAM_KEY,
} from './bridge.js';
export type { Config, EnvOverride, ParseConfigOptions, StoreConfig } from './load.js';
export { deepFreeze, ENV_OVERRIDES, formatPath, loadConfig, parseConfig } from './load.js';
export type {
  ConfigFile,
  ConnectionConfig,
  EpicorConnectionConfig,
  HubSpotConnectionConfig,
  LogLevel,
} from './schema.js';
export { HUBSPOT_TIERS, LOG_LEVELS } from './schema.js';
export type { SecretName } from './secrets.js';
export { isSecretKey, requiredSecrets } from './secrets.js';
export type { ChangeStrategyConfig, StreamConfig, StreamKey, StreamsConfig } from './streams-schema.js';
export { CHANGE_STRATEGIES, DEFAULT_CHANGE, STREAM_KEYS } from './streams-schema.js';
export type { DefaultConfigOptions, DemoConfigOptions } from './template.js';
export { defaultConfigText, demoConfig } from './template.js';
