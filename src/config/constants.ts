/**
 * Names and values the CLI's help text and option parsers need before any command runs. This module
 * imports nothing at run time (only types), so `ml-connector --help` stays fast: keep it that way. The
 * modules that own these values (`schema.ts`, `streams-schema.ts`, `bridge.ts`, `app/context.ts`,
 * `service/serve.ts`, `app/demo.ts`) re-export them from here.
 */
import type { EntityKind } from '../sync/model.js';

/** Where the CLI looks for the config file unless `--config` or `$ML_CONNECTOR_CONFIG` says otherwise. */
export const CONFIG_ENV = 'ML_CONNECTOR_CONFIG';
export const DEFAULT_CONFIG_PATH = './ml-connector.yaml';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const HUBSPOT_TIERS = ['free', 'starter', 'professional', 'enterprise', 'api-pack'] as const;

export const STREAM_KEYS = ['vendors', 'customers', 'vendorContacts', 'customerContacts'] as const;
export type StreamKey = (typeof STREAM_KEYS)[number];

export const KIND_BY_STREAM_KEY: Readonly<Record<StreamKey, EntityKind>> = {
  vendors: 'vendor',
  customers: 'customer',
  vendorContacts: 'vendorContact',
  customerContacts: 'customerContact',
};

/** The service's listen address and port, when `run --host/--port` are not given. */
export const HTTP_HOST_ENV = 'ML_CONNECTOR_HTTP_HOST';
export const HTTP_PORT_ENV = 'ML_CONNECTOR_HTTP_PORT';

/** Where `ml-connector demo` keeps its config, key and database unless `--dir` says otherwise. */
export const DEFAULT_DEMO_DIR = '.data/demo';
