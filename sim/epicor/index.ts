import { AuthService } from './auth.js';
import { createControl, type EpicorSimControl, SimState } from './control.js';
import { EpicorStore } from './data/store.js';
import { type EpicorSimulatorOptions, resolveOptions } from './options.js';
import { createSimulatorServer, listen } from './server.js';

/**
 * Simulated Epicor Kinetic REST v2 tenant over loopback HTTP, for tests, demos and benchmarks.
 * See docs/simulators-epicor.md.
 */

export type { AuthMessages, OAuthClient, SimUser } from './auth.js';
export { BAQS } from './baq.js';
export type { ChildFilterQuirk, ChildFilterQuirkMode } from './child-filter-quirk.js';
export type {
  CompanyOption,
  DataRequestHook,
  DataRequestInfo,
  EpicorRecord,
  EpicorSimControl,
  FailureOptions,
  FaultState,
  Mutation,
  RequestLogEntry,
} from './control.js';
export type { KeyInput } from './data/store.js';
export type { EpicorSimulatorOptions } from './options.js';
export type { EntitySetName, MissingColumns } from './schema.js';
export { ENTITY_SETS } from './schema.js';

export interface EpicorSimulator {
  /** 'http://127.0.0.1:PORT' */
  readonly url: string;
  /** `${url}/${instance}` — what a user configures as the tenant URL */
  readonly tenantUrl: string;
  readonly control: EpicorSimControl;
  /** The resolved settings a client needs (no secrets beyond the simulator's own test credentials). */
  readonly settings: {
    readonly instance: string;
    readonly companies: readonly string[];
    readonly apiKey: string;
    readonly users: readonly { username: string; password: string }[];
    readonly oauthClients: readonly { clientId: string; clientSecret: string }[];
    readonly tokenUrl: string;
    readonly idpTokenUrl: string;
    readonly controlUrl: string;
  };
  close(): Promise<void>;
}

export async function startEpicorSimulator(options?: EpicorSimulatorOptions): Promise<EpicorSimulator> {
  const resolved = resolveOptions(options);
  const store = new EpicorStore({
    seed: resolved.seed,
    vendors: resolved.vendors,
    customers: resolved.customers,
    companies: resolved.companies,
    sysRevIdStart: resolved.sysRevIdStart,
    timeZone: resolved.timeZone,
    updatedOnColumn: resolved.updatedOnColumn,
    massUpdateSize: resolved.massUpdateSize,
    dataWindowEnd: resolved.dataWindowEnd,
    clock: resolved.clock,
    changedBy: resolved.changedBy,
    missingColumns: resolved.missingColumns,
  });
  let url = '';
  const auth = new AuthService({
    apiKey: resolved.apiKey,
    users: resolved.users,
    oauthClients: resolved.oauthClients,
    tokenLifetimeSeconds: resolved.tokenLifetimeSeconds,
    clock: resolved.clock,
    messages: resolved.messages,
    realm: resolved.instance,
    get issuer() {
      return url;
    },
  });
  const state = new SimState();
  state.childFilterQuirk = resolved.childFilterQuirk;
  const control = createControl(store, auth, state);
  const server = createSimulatorServer(
    { store, auth, state, control, options: resolved },
    () => `${url}/${resolved.instance}`,
  );
  const address = await listen(server, resolved.host, resolved.port);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  const tenantUrl = `${url}/${resolved.instance}`;
  return {
    url,
    tenantUrl,
    control,
    settings: {
      instance: resolved.instance,
      companies: [...resolved.companies],
      apiKey: resolved.apiKey,
      users: resolved.users.map((u) => ({ username: u.username, password: u.password })),
      oauthClients: resolved.oauthClients.map((c) => ({ ...c })),
      tokenUrl: `${tenantUrl}/TokenResource.svc/`,
      idpTokenUrl: `${url}/connect/token`,
      controlUrl: `${url}/__control`,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
