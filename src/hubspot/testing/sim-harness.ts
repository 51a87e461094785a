import { startHubSpotSimulator } from '../../../sim/hubspot/index.js';
import type { Clock } from '../../core/clock.js';
import { fetchTransport, type HttpRequestInit, type HttpTransport } from '../../core/http.js';
import { seededRandom } from '../../core/random.js';
import { createHubSpotClient, type HubSpotClient } from '../client.js';
import type { HubSpotClientConfigInput } from '../config.js';
import { RateLimiterRegistry } from '../rate-limiter.js';

/** Test-only wiring: a simulator on loopback plus clients that record what they send. */

export const PAT = 'pat-na1-11111111-2222-3333-4444-555555555555';
export const OAUTH = {
  clientId: 'sim-client',
  clientSecret: 'sim-secret',
  refreshToken: 'sim-refresh-token',
};

export type Sim = Awaited<ReturnType<typeof startHubSpotSimulator>>;
export type SimOptions = Parameters<typeof startHubSpotSimulator>[0];

export async function startSim(clock: Clock, options: Partial<SimOptions> = {}): Promise<Sim> {
  return startHubSpotSimulator({
    tier: 'professional',
    port: 0,
    clock,
    privateAppTokens: [{ token: PAT }],
    oauth: { ...OAUTH, refreshTokens: [OAUTH.refreshToken], accessTokenLifetimeSeconds: 1800 },
    ...options,
  });
}

export interface SentRequest {
  method: string;
  url: string;
  path: string;
  body: unknown;
  status?: number;
}

/** A transport that records every request (and its answer's status) before passing it to fetch. */
export function recordingTransport(onRequest?: (req: SentRequest) => void | Promise<void>): {
  transport: HttpTransport;
  sent: SentRequest[];
} {
  const sent: SentRequest[] = [];
  const transport: HttpTransport = async (url: string, init: HttpRequestInit) => {
    let body: unknown = init.body;
    if (typeof init.body === 'string' && init.headers['content-type'] === 'application/json')
      body = JSON.parse(init.body);
    const entry: SentRequest = { method: init.method, url, path: new URL(url).pathname, body };
    sent.push(entry);
    await onRequest?.(entry);
    const response = await fetchTransport(url, init);
    entry.status = response.status;
    return response;
  };
  return { transport, sent };
}

export function simClient(
  sim: Sim,
  clock: Clock,
  transport: HttpTransport,
  config: Partial<HubSpotClientConfigInput> = {},
  registry = new RateLimiterRegistry(),
): HubSpotClient {
  return createHubSpotClient(
    { baseUrl: sim.url, auth: { kind: 'private-app', token: PAT }, ...config },
    { transport, clock, random: seededRandom(42), limiterRegistry: registry },
  );
}

/** `n` companies with source ids `EPIC01:vendor:1..n`. */
export function companies(
  n: number,
  name = 'Vendor',
): { sourceId: string; properties: Record<string, string> }[] {
  return Array.from({ length: n }, (_, i) => ({
    sourceId: `EPIC01:vendor:${i + 1}`,
    properties: { name: `${name} ${i + 1}`, epicor_record_type: 'vendor', epicor_vendor_id: `V${i + 1}` },
  }));
}

/** Upsert inputs (source ids) of every request to a path that got the given status. */
export function upsertedIds(sent: readonly SentRequest[], pathSuffix: string, status?: number): string[] {
  return sent
    .filter((r) => r.path.endsWith(pathSuffix) && (status === undefined || r.status === status))
    .flatMap((r) => {
      const inputs = (r.body as { inputs?: { objectWriteTraceId?: string }[] } | undefined)?.inputs ?? [];
      return inputs.map((i) => i.objectWriteTraceId ?? '');
    });
}
