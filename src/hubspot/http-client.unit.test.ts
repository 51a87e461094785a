import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRequestInit, HttpTransport } from '../core/http.js';
import { ManualClock } from '../core/manual-clock.js';
import { seededRandom } from '../core/random.js';
import { createHubSpotClient } from './client.js';
import type { HubSpotClientConfigInput } from './config.js';
import {
  HubSpotAuthError,
  HubSpotDailyLimitError,
  HubSpotScopesError,
  HubSpotUniquePropertyError,
} from './errors.js';
import { RateLimiterRegistry } from './rate-limiter.js';

/**
 * HubSpotHttp driven through a scripted transport: each call is answered by the next handler. The
 * integration tests cover the same paths against the simulator; these pin the exact decisions.
 */
const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

type Handler = (url: string, init: HttpRequestInit) => Response | Promise<Response>;
function scripted(handlers: Handler[]): {
  transport: HttpTransport;
  calls: { url: string; init: HttpRequestInit }[];
} {
  const calls: { url: string; init: HttpRequestInit }[] = [];
  const transport: HttpTransport = async (url, init) => {
    calls.push({ url, init });
    const handler = handlers.shift();
    if (!handler) throw new Error(`unexpected call ${init.method} ${url}`);
    return handler(url, init);
  };
  return { transport, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const ok = () => json(200, { results: [] });

function client(
  transport: HttpTransport,
  config: Partial<HubSpotClientConfigInput> = {},
  clock = new ManualClock(0),
) {
  return {
    clock,
    client: createHubSpotClient(
      { baseUrl: 'http://127.0.0.1:9', auth: { kind: 'private-app', token: TOKEN }, ...config },
      { transport, clock, random: seededRandom(1), limiterRegistry: new RateLimiterRegistry() },
    ),
  };
}

describe('HubSpotHttp retries', () => {
  it('waits ≥ 2 s on 423, backs off on 5xx and network errors, then succeeds', async () => {
    const { transport, calls } = scripted([
      () => json(423, { message: 'locked' }),
      () => json(502, { message: 'bad gateway' }),
      () => {
        throw new TypeError('fetch failed');
      },
      ok,
    ]);
    const { client: c, clock } = client(transport);
    await c.http.request({ method: 'GET', path: '/crm/v3/objects/companies' });
    assert.equal(calls.length, 4);
    assert.ok((clock.sleeps[0] ?? 0) >= 2_000);
    assert.equal(c.stats().retries, 3);
    assert.equal(calls[0]?.init.headers['authorization'], `Bearer ${TOKEN}`);
  });

  it('waits out the window on TEN_SECONDLY_ROLLING and about 1 s on SECONDLY', async () => {
    const { transport } = scripted([
      () => json(429, { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' }),
      ok,
      () => json(429, { errorType: 'RATE_LIMIT', policyName: 'SECONDLY' }),
      ok,
      () => json(429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'retry-after': '3' }),
      ok,
    ]);
    const { client: c, clock } = client(transport);
    await c.http.request({ method: 'GET', path: '/a' });
    await c.http.request({
      method: 'POST',
      path: '/crm/v3/objects/companies/search',
      limiter: 'search',
      body: {},
    });
    await c.http.request({ method: 'GET', path: '/c' });
    const waits = clock.sleeps;
    assert.ok((waits[0] ?? 0) >= 9_900 && (waits[0] ?? 0) <= 10_500, `ten-secondly wait ${waits[0]}`);
    assert.ok(waits.includes(1_100), `secondly ${waits}`);
    assert.ok(waits.includes(3_100), `retry-after ${waits}`);
    assert.equal(c.stats().rateLimited429, 3);
  });

  it('stops on DAILY with the reset time and no token in the message', async () => {
    const { transport, calls } = scripted([
      () =>
        json(429, {
          status: 'error',
          message: 'You have reached your daily limit.',
          errorType: 'RATE_LIMIT',
          policyName: 'DAILY',
        }),
    ]);
    const { client: c } = client(
      transport,
      { portalTimeZone: 'UTC' },
      new ManualClock(Date.UTC(2026, 4, 1, 15)),
    );
    const error = await c.http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    assert.ok(error instanceof HubSpotDailyLimitError);
    assert.equal(error.code, 'ERR_HUBSPOT_RATE_LIMIT_DAILY');
    assert.equal(error.resetsAt, Date.UTC(2026, 4, 2));
    assert.match(error.message, /2026-05-02T00:00:00\.000Z/);
    assert.ok(!error.message.includes(TOKEN));
    assert.equal(calls.length, 1);
  });

  it('gives up after maxRetries with a retryable HTTP error', async () => {
    const { transport, calls } = scripted(
      Array.from({ length: 3 }, () => () => json(503, { message: 'down' })),
    );
    const { client: c } = client(transport, { retry: { maxRetries: 2 } });
    await assert.rejects(c.http.request({ method: 'GET', path: '/x' }), (e: unknown) => {
      assert.ok(e instanceof Error && 'code' in e && e.code === 'ERR_HUBSPOT_HTTP');
      return true;
    });
    assert.equal(calls.length, 3);
  });
});

describe('search limiter', () => {
  it('holds search to 5 per second on its own budget, apart from the 10-second one', async () => {
    const { transport } = scripted(Array.from({ length: 12 }, () => ok));
    const { client: c, clock } = client(transport);
    const start = clock.now();
    for (let i = 0; i < 6; i++) {
      await c.http.request({
        method: 'POST',
        path: '/crm/v3/objects/companies/search',
        limiter: 'search',
        body: {},
      });
    }
    assert.ok(clock.now() - start >= 1_000, 'the sixth search waited for the 1 s window');
    const afterSearch = clock.now();
    for (let i = 0; i < 6; i++) await c.http.request({ method: 'GET', path: '/crm/v3/objects/companies' });
    assert.equal(clock.now(), afterSearch, 'standard requests are not slowed by search');
    assert.equal(c.stats().searchLimiter.inWindow, 1);
  });
});

describe('HubSpotHttp errors', () => {
  it('turns 401 into ERR_HUBSPOT_AUTH without the token, 403 into ERR_HUBSPOT_SCOPES with the list', async () => {
    const { transport } = scripted([
      () =>
        json(401, {
          status: 'error',
          message: `Authentication credentials not found (${TOKEN})`,
          category: 'INVALID_AUTHENTICATION',
        }),
      () =>
        json(403, {
          category: 'MISSING_SCOPES',
          message: 'This app hasn’t been granted all required scopes',
          errors: [{ context: { requiredGranularScopes: ['crm.schemas.companies.write'] } }],
        }),
    ]);
    const { client: c } = client(transport);
    const auth = await c.http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    assert.ok(auth instanceof HubSpotAuthError);
    assert.equal(auth.code, 'ERR_HUBSPOT_AUTH');
    assert.ok(!auth.message.includes(TOKEN));
    const scopes = await c.http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    assert.ok(scopes instanceof HubSpotScopesError);
    assert.deepEqual(scopes.missingScopes, ['crm.schemas.companies.write']);
    assert.match(scopes.message, /crm\.schemas\.companies\.write/);
  });

  it('turns a non-unique upsert key 400 into ERR_HUBSPOT_UNIQUE_PROPERTY', async () => {
    const { transport } = scripted([
      () =>
        json(400, {
          category: 'VALIDATION_ERROR',
          message:
            'Unable to perform update/upsert by non-unique 0-2 property epicor_source_id in portal ID 1',
        }),
    ]);
    const { client: c } = client(transport);
    const outcome = c.upsertCompanies([{ sourceId: 'A', properties: { name: 'a' } }]);
    await assert.rejects(outcome, HubSpotUniquePropertyError);
  });

  it('refuses plain http to a non-loopback host', () => {
    assert.throws(
      () => client(scripted([]).transport, { baseUrl: 'http://api.example.com' }),
      /ERR_CONFIG|not https/,
    );
    assert.doesNotThrow(() =>
      client(scripted([]).transport, { baseUrl: 'http://api.example.com', allowInsecureHttp: true }),
    );
  });
});

describe('OAuth', () => {
  const oauth = {
    kind: 'oauth' as const,
    clientId: 'cid',
    clientSecret: 'sim-secret',
    refreshToken: 'sim-refresh-token',
  };

  it('refreshes once for many concurrent callers, and again shortly before expiry', async () => {
    let tokenCalls = 0;
    let n = 0;
    const transport: HttpTransport = async (url, init) => {
      if (url.endsWith('/oauth/v1/token')) {
        tokenCalls++;
        assert.equal(init.headers['content-type'], 'application/x-www-form-urlencoded');
        const form = new URLSearchParams(init.body);
        assert.equal(form.get('grant_type'), 'refresh_token');
        assert.equal(form.get('refresh_token'), 'sim-refresh-token');
        await new Promise((r) => setImmediate(r));
        return json(200, {
          token_type: 'bearer',
          access_token: `access-${++n}`,
          refresh_token: 'sim-refresh-token',
          expires_in: 1800,
        });
      }
      return ok();
    };
    const { client: c, clock } = client(transport, { auth: oauth });
    await Promise.all(Array.from({ length: 10 }, () => c.http.request({ method: 'GET', path: '/x' })));
    assert.equal(tokenCalls, 1);
    clock.advance(1_800_000 - 5 * 60_000 - 1);
    await c.http.request({ method: 'GET', path: '/x' });
    assert.equal(tokenCalls, 1);
    clock.advance(2);
    await c.http.request({ method: 'GET', path: '/x' });
    assert.equal(tokenCalls, 2);
  });

  it('refreshes once on 401 EXPIRED_AUTHENTICATION (single-flight) and retries with the new token', async () => {
    let n = 0;
    let current = '';
    const seen: string[] = [];
    const transport: HttpTransport = async (url, init) => {
      if (url.endsWith('/oauth/v1/token')) {
        await new Promise((r) => setImmediate(r));
        current = `access-${++n}`;
        return json(200, { access_token: current, expires_in: 1800 });
      }
      const auth = init.headers['authorization'] ?? '';
      seen.push(auth);
      if (n === 1 && auth === 'Bearer access-1') {
        return json(401, {
          message: 'The OAuth token used to make this call expired 0 second(s) ago.',
          category: 'EXPIRED_AUTHENTICATION',
        });
      }
      return ok();
    };
    const { client: c } = client(transport, { auth: oauth });
    await Promise.all(Array.from({ length: 5 }, () => c.http.request({ method: 'GET', path: '/x' })));
    assert.equal(n, 2, 'one refresh for the first token, one after the 401s');
    assert.equal(seen.filter((s) => s === 'Bearer access-2').length, 5);
  });

  it('reports a bad refresh token as ERR_HUBSPOT_AUTH without secrets', async () => {
    const { transport } = scripted([
      () => json(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token' }),
    ]);
    const { client: c } = client(transport, { auth: oauth });
    const error = await c.http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    assert.ok(error instanceof HubSpotAuthError);
    assert.ok(!error.message.includes('sim-secret') && !error.message.includes('sim-refresh-token'));
  });
});
