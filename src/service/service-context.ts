import type { AppContext } from '../app/index.js';
import { UnknownConnectionError } from '../app/index.js';
import type { Config } from '../config/index.js';
import type { HttpTransport } from '../core/http.js';

/**
 * The app context as the service's runs see it: the config in force (replaced on reload, while the store,
 * vault, redactor and logger stay those of the process) and the metered transport. Everything else is
 * inherited from `base`, so fields added to `AppContext` later pass through untouched.
 */
export function serviceContext(base: AppContext, config: Config, transport: HttpTransport): AppContext {
  const connectionConfig = (id?: string): Config['connections'][number] => {
    const ids = config.connections.map((c) => c.id);
    const found =
      id === undefined
        ? config.connections.length === 1
          ? config.connections[0]
          : undefined
        : config.connections.find((c) => c.id === id);
    if (found === undefined) {
      throw new UnknownConnectionError(
        `No connection "${id ?? ''}" in the config; known: ${ids.join(', ')}.`,
      );
    }
    return found;
  };
  return Object.create(base, {
    config: { value: config, enumerable: true },
    transport: { value: transport, enumerable: true },
    connectionConfig: { value: connectionConfig, enumerable: true },
  }) as AppContext;
}

/** Names the system behind a URL by its origin, from the config's Epicor and HubSpot URLs. */
export function systemsByOrigin(config: Config): (url: URL) => string | undefined {
  const origins = new Map<string, string>();
  const add = (text: string | undefined, system: string): void => {
    if (text === undefined) return;
    try {
      origins.set(new URL(text).origin, system);
    } catch {
      // validated by the config schema; nothing to add otherwise
    }
  };
  for (const connection of config.connections) {
    add(connection.epicor.tenantUrl, 'epicor');
    if (connection.epicor.auth.kind === 'oauth2') add(connection.epicor.auth.tokenUrl, 'epicor');
    add(connection.hubspot.baseUrl, 'hubspot');
  }
  return (url) => origins.get(url.origin);
}
