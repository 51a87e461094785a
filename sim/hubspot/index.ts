import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../src/core/random.js';
import { TokenRegistry } from './auth.js';
import { createControl, type HubSpotSimControl } from './control.js';
import {
  ALL_CRM_SCOPES,
  clockOf,
  DEFAULT_OAUTH,
  DEFAULT_PRIVATE_APP_TOKEN,
  type HubSpotSimulatorOptions,
  resolveSettings,
} from './options.js';
import { buildServer } from './server.js';
import { SimState } from './state.js';

export type { DumpRecord, HubSpotSimControl, RateLimitUsage, SimDump } from './control.js';
export type { FaultPlan } from './faults.js';
export type {
  BatchResultOrder,
  BatchValidationMode,
  HubSpotSimulatorOptions,
  HubSpotTier,
  RateLimitOptions,
  ResolvedSettings,
  SearchLimits,
  SimSettingsPatch,
} from './options.js';
export {
  ALL_CRM_SCOPES,
  DEFAULT_OAUTH,
  DEFAULT_PORTAL_ID,
  DEFAULT_PRIVATE_APP_TOKEN,
  TIER_LIMITS,
} from './options.js';
export type { RequestLogEntry, RequestStats, WindowFilter } from './request-log.js';
export { maxInRollingWindow } from './request-log.js';

export interface HubSpotSimulator {
  /** `http://127.0.0.1:PORT`: use in place of https://api.hubapi.com. */
  readonly url: string;
  readonly control: HubSpotSimControl;
  close(): Promise<void>;
}

/** Starts a simulated HubSpot portal on loopback (see docs/simulators-hubspot.md). */
export async function startHubSpotSimulator(
  options: HubSpotSimulatorOptions = {},
): Promise<HubSpotSimulator> {
  const settings = resolveSettings(options);
  const privateTokens = (options.privateAppTokens ?? [{ token: DEFAULT_PRIVATE_APP_TOKEN }]).map((t) => ({
    token: t.token,
    scopes: t.scopes ?? ALL_CRM_SCOPES,
  }));
  const oauth = options.oauth ?? DEFAULT_OAUTH;
  const tokens = new TokenRegistry(privateTokens, {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    refreshTokens: oauth.refreshTokens,
    scopes: options.oauth?.scopes ?? ALL_CRM_SCOPES,
    lifetimeSeconds: oauth.accessTokenLifetimeSeconds ?? DEFAULT_OAUTH.accessTokenLifetimeSeconds,
  });
  const state = new SimState(settings, clockOf(options), seededRandom(options.seed ?? 1), tokens);
  const control = createControl(state, {
    privateAppToken: privateTokens[0]?.token ?? '',
    oauth: {
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      refreshToken: oauth.refreshTokens[0] ?? '',
    },
  });
  const app = await buildServer(state, control);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    control,
    close: () => {
      closed ??= app.close().then(() => undefined);
      return closed;
    },
  };
}
