import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../src/core/manual-clock.js';
import { type HubSpotSimulator, startHubSpotSimulator } from './index.js';
import { ERP_PROPERTY, simClient } from './test-client.js';

const LIST = '/crm/v3/objects/companies?limit=1';

async function refresh(url: string, refreshToken = 'sim-refresh-token') {
  const response = await fetch(`${url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: 'sim-client',
      client_secret: 'sim-secret',
      refresh_token: refreshToken,
    }).toString(),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('HubSpot simulator: auth, rate limits, faults, control', () => {
  const clock = new ManualClock();
  let sim: HubSpotSimulator;
  let call: ReturnType<typeof simClient>;

  before(async () => {
    sim = await startHubSpotSimulator({
      clock,
      tier: 'free',
      privateAppTokens: [
        { token: 'pat-na1-11111111-2222-3333-4444-555555555555' },
        { token: 'pat-na1-readonly-0000-0000-0000-000000000000', scopes: ['crm.objects.companies.read'] },
      ],
    });
    call = simClient(sim.url);
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.control.reset();
    sim.control.setTier('free');
    sim.control.setRateLimits({ enabled: true, retryAfterHeader: false });
    clock.advance(60_000);
  });

  it('401 INVALID_AUTHENTICATION without or with an unknown token, with x-hubspot-auth-failure', async () => {
    for (const token of [null, 'pat-na1-nope']) {
      const r = await simClient(sim.url, token)('GET', LIST);
      assert.equal(r.status, 401);
      assert.equal(r.json.category, 'INVALID_AUTHENTICATION');
      assert.equal(r.headers.get('x-hubspot-auth-failure'), '401 Unauthorized');
    }
  });

  it('403 MISSING_SCOPES names the required granular scope', async () => {
    const readOnly = simClient(sim.url, 'pat-na1-readonly-0000-0000-0000-000000000000');
    assert.equal((await readOnly('GET', LIST)).status, 200);
    const r = await readOnly('POST', '/crm/v3/objects/companies', { properties: { name: 'x' } });
    assert.equal(r.status, 403);
    assert.equal(r.json.category, 'MISSING_SCOPES');
    assert.deepEqual(r.json.errors[0].context.requiredGranularScopes, ['crm.objects.companies.write']);
  });

  it('OAuth: refresh issues 1800 s tokens that expire on the clock; bad refresh token is 400', async () => {
    const t = await refresh(sim.url);
    assert.equal(t.status, 200);
    assert.equal(t.json['expires_in'], 1800);
    const token = String(t.json['access_token']);
    const oauthCall = simClient(sim.url, token);
    const ok = await oauthCall('GET', LIST);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-hubspot-ratelimit-daily'), null, 'no daily headers for OAuth');
    assert.equal(ok.headers.get('x-hubspot-ratelimit-max'), '110');
    const info = await simClient(sim.url, null)('GET', `/oauth/v1/access-tokens/${token}`);
    assert.equal(info.json.hub_id, 12345678);
    clock.advance(1800_000 + 5000);
    const expired = await oauthCall('GET', LIST);
    assert.equal(expired.status, 401);
    assert.equal(expired.json.category, 'EXPIRED_AUTHENTICATION');
    assert.match(expired.json.message, /expired 5 second\(s\) ago/);
    assert.equal(expired.json.context['expire time'].length, 1);
    const bad = await refresh(sim.url, 'nope');
    assert.equal(bad.status, 400);
    assert.equal(bad.json['status'], 'BAD_REFRESH_TOKEN');
  });

  it('rolling 10 s window per app: headers count down, the 101st request is 429 TEN_SECONDLY_ROLLING', async () => {
    const first = await call('GET', LIST);
    assert.equal(first.headers.get('x-hubspot-ratelimit-max'), '100');
    assert.equal(first.headers.get('x-hubspot-ratelimit-remaining'), '99');
    assert.equal(first.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '10000');
    assert.equal(first.headers.get('x-hubspot-ratelimit-daily'), '250000');
    assert.equal(first.headers.get('x-hubspot-ratelimit-daily-remaining'), '249999');
    assert.equal(first.headers.get('x-hubspot-ratelimit-secondly'), '10');
    clock.advance(5000);
    for (let i = 0; i < 99; i++) assert.equal((await call('GET', LIST)).status, 200);
    const limited = await call('GET', LIST);
    assert.equal(limited.status, 429);
    assert.equal(limited.json.errorType, 'RATE_LIMIT');
    assert.equal(limited.json.policyName, 'TEN_SECONDLY_ROLLING');
    assert.equal(limited.json.message, 'You have reached your ten_secondly_rolling limit.');
    assert.equal(limited.headers.get('x-hubspot-ratelimit-remaining'), '0');
    assert.equal(limited.headers.get('retry-after'), null);
    clock.advance(5000); // the first request leaves the window
    assert.equal((await call('GET', LIST)).status, 200);
    assert.equal((await call('GET', LIST)).status, 429);
    sim.control.setRateLimits({ retryAfterHeader: true });
    assert.equal((await call('GET', LIST)).headers.get('retry-after'), '5');
    const stats = sim.control.requestStats();
    assert.equal(stats.rateLimited, 3);
    assert.equal(stats.byEndpoint['GET /crm/v3/objects/companies']?.byStatus['429'], 3);
    assert.equal(sim.control.maxRequestsInWindow(10_000, { exclude429: true }), 100);
  });

  it('tiers and the limit-increase pack set the bucket; limits can be switched off', async () => {
    sim.control.setTier('professional');
    assert.equal((await call('GET', LIST)).headers.get('x-hubspot-ratelimit-max'), '190');
    sim.control.setRateLimits({ apiLimitIncreasePacks: 1, tenSecondly: 250 });
    assert.equal((await call('GET', LIST)).headers.get('x-hubspot-ratelimit-daily'), '1625000');
    sim.control.setRateLimits({ enabled: false, tenSecondly: 2 });
    for (let i = 0; i < 5; i++) assert.equal((await call('GET', LIST)).status, 200);
  });

  it('search: 5 per second per portal, SECONDLY 429, no rate-limit headers, exempt from the 10 s bucket', async () => {
    const body = { filterGroups: [] };
    for (let i = 0; i < 5; i++) {
      const r = await call('POST', '/crm/v3/objects/companies/search', body);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-hubspot-ratelimit-max'), null);
    }
    const limited = await call('POST', '/crm/v3/objects/companies/search', body);
    assert.equal(limited.status, 429);
    assert.equal(limited.json.policyName, 'SECONDLY');
    assert.equal(limited.json.message, 'You have reached your secondly limit.');
    assert.equal(limited.headers.get('x-hubspot-ratelimit-remaining'), null);
    assert.equal((await call('GET', LIST)).headers.get('x-hubspot-ratelimit-remaining'), '99');
    clock.advance(1000);
    assert.equal((await call('POST', '/crm/v3/objects/companies/search', body)).status, 200);
  });

  it('daily limit: exhausted budget gives 429 DAILY', async () => {
    sim.control.exhaustDaily();
    const r = await call('GET', LIST);
    assert.equal(r.status, 429);
    assert.equal(r.json.policyName, 'DAILY');
    assert.equal(r.json.message, 'You have reached your daily limit.');
    assert.equal(r.headers.get('x-hubspot-ratelimit-daily-remaining'), '0');
  });

  it('faults: storm, 423 on company upserts, 503, socket reset, latency on the clock', async () => {
    await call('POST', '/crm/v3/properties/companies', ERP_PROPERTY);
    const upsert = () =>
      call('POST', '/crm/v3/objects/companies/batch/upsert', {
        inputs: [{ idProperty: 'erp_source_id', id: 'F1', properties: { name: 'F' } }],
      });
    sim.control.setFaults({ tenSecondlyStorm: 2 });
    assert.equal((await call('GET', LIST)).json.policyName, 'TEN_SECONDLY_ROLLING');
    assert.equal((await call('GET', LIST)).status, 429);
    assert.equal((await call('GET', LIST)).status, 200);

    sim.control.setFaults({ lockedCompanyUpserts: 1 });
    assert.equal((await call('GET', LIST)).status, 200, 'only company upserts lock');
    assert.equal((await upsert()).status, 423);
    assert.equal((await upsert()).status, 200);

    sim.control.setFaults({ lockedCompanyUpsertProbability: 1, lockDurationMs: 2000 });
    assert.equal((await upsert()).status, 423);
    sim.control.setFaults({ lockedCompanyUpsertProbability: 0 });
    clock.advance(1000);
    assert.equal((await upsert()).status, 423, 'lock lasts 2 s');
    clock.advance(1001);
    assert.equal((await upsert()).status, 200);

    sim.control.setFaults({ failNext: { status: 503, count: 1 } });
    const failed = await call('GET', LIST);
    assert.equal(failed.status, 503);
    assert.equal((await call('GET', LIST)).status, 200);

    sim.control.setFaults({ resetSockets: 1 });
    await assert.rejects(() => call('GET', LIST));
    assert.equal((await call('GET', LIST)).status, 200);

    const before = clock.now();
    sim.control.setFaults({ latencyMs: 250 });
    await call('GET', LIST);
    assert.equal(clock.now() - before, 250);
    sim.control.clearFaults();
    const stats = sim.control.requestStats();
    assert.equal(stats.byStatus['0'], 1);
    assert.equal(stats.byStatus['423'], 3);
  });

  it('control API over HTTP: settings, faults, dump, requests, reset', async () => {
    const control = simClient(sim.url, null);
    const settings = await control('POST', '/__control/settings', {
      tier: 'enterprise',
      searchIndexDelayMs: 500,
    });
    assert.equal(settings.json.rateLimits.tenSecondly, 190);
    assert.equal(settings.json.rateLimits.daily, 1_000_000);
    assert.equal((await control('POST', '/__control/settings', { tier: 'gold' })).status, 400);
    await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Dumped' } });
    const dump = await control('GET', '/__control/dump');
    assert.equal(dump.json.companies[0].properties.name, 'Dumped');
    const requests = await control('GET', '/__control/requests');
    assert.equal(requests.json.stats.total, 1, 'control calls are not logged');
    const window = await control('GET', '/__control/requests/max-window?windowMs=10000');
    assert.equal(window.json.max, 1);
    const faults = await control('POST', '/__control/faults', { failNext: { status: 502, count: 1 } });
    assert.equal(faults.json.failNext.count, 1);
    assert.equal((await call('GET', LIST)).status, 502);
    assert.equal((await control('POST', '/__control/reset')).status, 204);
    assert.equal((await control('GET', '/__control/dump')).json.companies.length, 0);
    await control('POST', '/__control/settings', { searchIndexDelayMs: 0 });
  });
});
