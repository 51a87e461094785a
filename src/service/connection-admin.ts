/**
 * Connection management in the running service: edit the config file (the source of truth; comments kept,
 * validated before writing, written atomically — `src/config/edit.ts`), then reload in-process, so added,
 * changed and removed connections apply without a restart. Secrets are never taken here: the answer says
 * which ones the connection needs and how to store them (`ml-connector credentials set`).
 */
import { type ConnectionEdit, editConfigFile } from '../config/edit.js';
import { type ConnectionConfig, requiredSecrets } from '../config/index.js';
import { ConnectorError } from '../core/errors.js';
import type { ConnectionChangeView, ReloadReport } from '../server/backend.js';
import type { Store } from '../store/index.js';
import type { CredentialSystem } from '../store/types.js';

export interface ConnectionAdminDeps {
  /** The config file the service was started with; undefined when it runs from an in-memory config. */
  readonly configPath: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly store: Store;
  reload(): Promise<ReloadReport>;
}

/** The service runs without a config file (e.g. the demo), so there is nothing to edit. */
export class ConfigNotEditableError extends ConnectorError {
  constructor() {
    super(
      'ERR_CONFIG_NOT_EDITABLE',
      'This service was started without a config file, so its connections cannot be changed at run time.',
    );
  }
}

/** Which credential systems the store holds secrets for (presence only; nothing is decrypted). */
export async function storedSystems(store: Store, connectionId: string): Promise<Set<CredentialSystem>> {
  const row = await store.connections.getByName(connectionId);
  if (row === undefined) return new Set();
  return new Set((await store.credentials.list(row.id)).map((b) => b.system));
}

async function credentialsAdvice(
  store: Store,
  connection: ConnectionConfig,
): Promise<NonNullable<ConnectionChangeView['credentials']>> {
  const required = requiredSecrets(connection);
  const present = await storedSystems(store, connection.id);
  const missing = required.filter((name) => !present.has(name.split('.')[0] as CredentialSystem));
  const systems = [...new Set(missing.map((name) => name.split('.')[0] ?? ''))];
  return {
    required,
    missing,
    next: systems.map((system) => `ml-connector credentials set ${system} --connection ${connection.id}`),
  };
}

export function connectionAdmin(
  deps: ConnectionAdminDeps,
): (edit: ConnectionEdit) => Promise<ConnectionChangeView> {
  return async (edit) => {
    if (deps.configPath === undefined) throw new ConfigNotEditableError();
    const result = await editConfigFile(deps.configPath, edit, { env: deps.env });
    const reload = await deps.reload();
    const change = edit.op === 'add' ? 'added' : edit.op === 'remove' ? 'removed' : 'replaced';
    const connection = result.config.connections.find((c) => c.id === result.connectionId);
    return {
      connectionId: result.connectionId,
      change,
      reload,
      ...(connection === undefined || change === 'removed'
        ? {}
        : { credentials: await credentialsAdvice(deps.store, connection) }),
    };
  };
}
