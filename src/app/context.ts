/**
 * The composition root's first half: everything one process needs before it touches a connection —
 * the validated config, the open store, the master key and credential vault, the redactor every log
 * line and printed error goes through, the logger and the clock. CLI commands, the service and the demo
 * all start here.
 */

import type { z } from 'zod';
import { CONFIG_ENV, DEFAULT_CONFIG_PATH } from '../config/constants.js';
import type { Config } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import { type Clock, systemClock } from '../core/clock.js';
import { ConnectorError } from '../core/errors.js';
import type { HttpTransport } from '../core/http.js';
import { createLogger, type Logger } from '../core/logger.js';
import { Redactor } from '../core/redact.js';
import { CredentialVault, loadMasterKey, type MasterKey } from '../credentials/index.js';
import { RateLimiterRegistry } from '../hubspot/index.js';
import { openStore, type Store } from '../store/index.js';
import type { Connection } from '../store/types.js';
import { applyHeapGrowth } from './heap-growth.js';
import { SECRET_SCHEMAS } from './secrets.js';

export type Env = Readonly<Record<string, string | undefined>>;

export { CONFIG_ENV, DEFAULT_CONFIG_PATH };

export interface OpenAppContextOptions {
  /** Config file; default `$ML_CONNECTOR_CONFIG` or `./ml-connector.yaml`. */
  readonly configPath?: string;
  /** Already-validated config (the demo builds one); `configPath` is then ignored. */
  readonly config?: Config;
  /** Environment for overrides and the master key (pass `process.env` from the CLI). */
  readonly env: Env;
  readonly cwd?: string;
  readonly clock?: Clock;
  /** Default: pino JSON to stderr at the config's (or `logLevel`'s) level, scrubbed by the redactor. */
  readonly logger?: Logger;
  /** Secrets are registered here (pass the CLI action's redactor so printed errors are scrubbed too). */
  readonly redactor?: Redactor;
  /** Overrides `log.level` from the config (the CLI's `--log-level`). */
  readonly logLevel?: string;
  /** HTTP for the Epicor and HubSpot clients (tests inject a recorder); default global fetch. */
  readonly transport?: HttpTransport;
  /**
   * When false, a missing/unreadable master key does not fail the open; `ctx.vault` then throws the key
   * error on first use (for `status`, `audit`, which never decrypt). Default true.
   */
  readonly requireKey?: boolean;
}

export interface AppContext extends AsyncDisposable {
  readonly config: Config;
  readonly store: Store;
  /** Throws the master-key error here when the context was opened with `requireKey: false` and no key. */
  readonly vault: CredentialVault;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly env: Env;
  readonly transport: HttpTransport | undefined;
  /** One per process: every HubSpot client of the same portal+identity shares a request budget. */
  readonly limiters: RateLimiterRegistry;
  /** Absolute path of the config file (undefined when given as an object). */
  readonly configPath: string | undefined;
  /** The connection's config entry; throws a ConfigError-coded error naming the known ids. */
  connectionConfig(connectionId?: string): Config['connections'][number];
  close(): Promise<void>;
}

/** A connection id the config does not define (or an ambiguous default). */
export class UnknownConnectionError extends ConnectorError {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

export function resolveConfigPath(configPath: string | undefined, env: Env): string {
  const fromEnv = env[CONFIG_ENV]?.trim();
  return configPath ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_CONFIG_PATH : fromEnv);
}

/**
 * Loads and validates the config (every problem with its path, before anything is written), opens the
 * store, loads the master key and the vault, and registers every stored secret with the redactor.
 */
export async function openAppContext(options: OpenAppContextOptions): Promise<AppContext> {
  const cwd = options.cwd ?? process.cwd();
  const configPath =
    options.config === undefined ? resolveConfigPath(options.configPath, options.env) : undefined;
  const config =
    options.config ?? (await loadConfig(configPath ?? DEFAULT_CONFIG_PATH, options.env, { cwd }));
  applyHeapGrowth(config.memory.heapGrowthPercent);
  const clock = options.clock ?? systemClock;
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? config.log.level, redactor });

  let key: MasterKey | undefined;
  let keyError: unknown;
  try {
    key = await loadMasterKey({ env: options.env, keyFile: config.keyFile, logger });
  } catch (error) {
    if (options.requireKey !== false) throw error;
    keyError = error;
  }

  const store = await openStore(
    config.store.kind === 'sqlite'
      ? {
          sqlitePath: config.store.path,
          ...(config.store.cacheMb === undefined ? {} : { sqliteCacheMb: config.store.cacheMb }),
          clock,
        }
      : { postgresUrl: config.store.url, clock },
  );
  const vault = key === undefined ? undefined : new CredentialVault({ store, key, redactor });
  if (vault !== undefined) await registerStoredSecrets(store, vault, logger);

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await store.close();
  };
  return {
    config,
    store,
    get vault(): CredentialVault {
      if (vault === undefined) throw keyError;
      return vault;
    },
    redactor,
    logger,
    clock,
    env: options.env,
    transport: options.transport,
    limiters: new RateLimiterRegistry(),
    configPath,
    connectionConfig: (id) => pickConnection(config, id),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function pickConnection(config: Config, id: string | undefined): Config['connections'][number] {
  const ids = config.connections.map((c) => c.id);
  if (id === undefined) {
    const [only] = config.connections;
    if (config.connections.length === 1 && only !== undefined) return only;
    throw new UnknownConnectionError(
      `The config defines ${ids.length} connections (${ids.join(', ')}); choose one with --connection ID.`,
    );
  }
  const found = config.connections.find((c) => c.id === id);
  if (found === undefined) {
    throw new UnknownConnectionError(`No connection "${id}" in the config; known: ${ids.join(', ')}.`);
  }
  return found;
}

/**
 * Decrypts every stored secret once so the redactor knows them before any log line is written. A
 * secret that cannot be read is left for the command that needs it to report.
 */
async function registerStoredSecrets(store: Store, vault: CredentialVault, logger: Logger): Promise<void> {
  let rows: Connection[];
  try {
    rows = await store.connections.list();
  } catch {
    return;
  }
  for (const row of rows) {
    for (const system of ['epicor', 'hubspot'] as const) {
      try {
        const schema: z.ZodType = SECRET_SCHEMAS[system];
        await vault.find(row.id, system, schema);
      } catch (error) {
        logger.debug(
          { connection: row.name, system, code: error instanceof ConnectorError ? error.code : undefined },
          'stored credentials could not be read',
        );
      }
    }
  }
}
