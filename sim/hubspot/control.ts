import type { PropertyDefinition } from './default-properties.js';
import type { FaultPlan } from './faults.js';
import type { SimRecord } from './object-store.js';
import { OBJECT_TYPES, type SimObjectType } from './object-types.js';
import {
  ALL_CRM_SCOPES,
  applySettingsPatch,
  type HubSpotTier,
  type RateLimitOptions,
  type ResolvedSettings,
  type SimSettingsPatch,
} from './options.js';
import type { RequestLogEntry, RequestStats, WindowFilter } from './request-log.js';
import type { SimState } from './state.js';

export interface DumpRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  /** Associated record ids per object type with their association type ids. */
  associations: Partial<Record<SimObjectType, { id: string; typeIds: number[] }[]>>;
}

export interface SimDump {
  portalId: number;
  companies: DumpRecord[];
  contacts: DumpRecord[];
  associations: { from: SimObjectType; fromId: string; to: SimObjectType; toId: string; typeIds: number[] }[];
  customProperties: Record<SimObjectType, PropertyDefinition[]>;
}

export interface RateLimitUsage {
  dailyUsed: number;
  dailyLimit: number;
  dailyResetsAt: string;
}

/** In-process control of a running simulator (also served over HTTP under `/__control`). */
export interface HubSpotSimControl {
  readonly portalId: number;
  /** The first configured private-app token. */
  readonly privateAppToken: string;
  readonly oauth: { clientId: string; clientSecret: string; refreshToken: string };
  settings(): ResolvedSettings;
  setTier(tier: HubSpotTier): void;
  setRateLimits(limits: RateLimitOptions): void;
  updateSettings(patch: SimSettingsPatch): void;
  /** Merges into the current fault plan (see FaultPlan). */
  setFaults(plan: FaultPlan): void;
  clearFaults(): void;
  faults(): FaultPlan;
  /** Uses up today's budget, so the next API call gets a genuine 429 DAILY. */
  exhaustDaily(): void;
  rateLimitUsage(): RateLimitUsage;
  dump(options?: { includeArchived?: boolean }): SimDump;
  records(type: SimObjectType, options?: { includeArchived?: boolean }): DumpRecord[];
  findByProperty(type: SimObjectType, property: string, value: string): DumpRecord | undefined;
  count(type: SimObjectType, options?: { includeArchived?: boolean }): number;
  requestLog(): readonly RequestLogEntry[];
  requestStats(): RequestStats;
  /** Largest number of requests within any rolling window (default 10 s) — for throughput benchmarks. */
  maxRequestsInWindow(windowMs?: number, filter?: WindowFilter): number;
  clearRequestLog(): void;
  /** Expires every OAuth access token issued so far (the next call gets 401 EXPIRED_AUTHENTICATION). */
  expireAccessTokens(): void;
  addPrivateAppToken(token: string, scopes?: readonly string[]): void;
  revokeToken(token: string): void;
  /** Drops records, associations, custom properties, the request log, rate counters and faults, and restores the start settings. */
  reset(): void;
}

function dumpRecord(state: SimState, r: SimRecord): DumpRecord {
  const associations: DumpRecord['associations'] = {};
  for (const to of OBJECT_TYPES) {
    const targets = state.associations.targets(r.type, r.id, to);
    if (targets.length > 0) associations[to] = targets;
  }
  return {
    id: r.id,
    properties: { ...r.properties },
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    archived: r.archived,
    associations,
  };
}

export function createControl(
  state: SimState,
  identity: {
    privateAppToken: string;
    oauth: { clientId: string; clientSecret: string; refreshToken: string };
  },
): HubSpotSimControl {
  const records = (type: SimObjectType, includeArchived = false): DumpRecord[] =>
    state.objects
      .all(type)
      .filter((r) => includeArchived || !r.archived)
      .map((r) => dumpRecord(state, r));
  const applyPatch = (patch: SimSettingsPatch): void => {
    state.settings = applySettingsPatch(state.settings, patch);
    state.rate.daily.setTimeZone(state.settings.rateLimits.timeZone);
  };
  return {
    portalId: state.settings.portalId,
    privateAppToken: identity.privateAppToken,
    oauth: identity.oauth,
    settings: () => state.settings,
    setTier: (tier) => applyPatch({ tier }),
    setRateLimits: (limits) => applyPatch({ rateLimits: limits }),
    updateSettings: applyPatch,
    setFaults: (plan) => state.faults.set(plan),
    clearFaults: () => state.faults.clear(),
    faults: () => ({ ...state.faults.plan }),
    exhaustDaily: () => state.rate.daily.setUsed(state.now(), state.settings.rateLimits.daily),
    rateLimitUsage: () => ({
      dailyUsed: state.rate.daily.used(state.now()),
      dailyLimit: state.settings.rateLimits.daily,
      dailyResetsAt: new Date(state.rate.daily.resetsAt(state.now())).toISOString(),
    }),
    dump: (options = {}) => ({
      portalId: state.settings.portalId,
      companies: records('companies', options.includeArchived),
      contacts: records('contacts', options.includeArchived),
      associations: state.associations.all(),
      customProperties: {
        companies: state.properties.list('companies').filter((p) => !p.hubspotDefined),
        contacts: state.properties.list('contacts').filter((p) => !p.hubspotDefined),
      },
    }),
    records: (type, options = {}) => records(type, options.includeArchived),
    findByProperty: (type, property, value) => {
      const unique = state.uniqueProps(type).includes(property)
        ? state.objects.getByUnique(type, property, value)
        : state.objects.all(type).find((r) => !r.archived && r.properties[property] === value);
      return unique ? dumpRecord(state, unique) : undefined;
    },
    count: (type, options = {}) => state.objects.count(type, options.includeArchived),
    requestLog: () => state.log.entries(),
    requestStats: () => state.log.stats(),
    maxRequestsInWindow: (windowMs = 10_000, filter = {}) => state.log.maxInWindow(windowMs, filter),
    clearRequestLog: () => state.log.clear(),
    expireAccessTokens: () => state.tokens.expireAccessTokens(state.now()),
    addPrivateAppToken: (token, scopes = ALL_CRM_SCOPES) => state.tokens.addPrivateAppToken(token, scopes),
    revokeToken: (token) => state.tokens.revoke(token),
    reset: () => state.reset(),
  };
}
