import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { HubSpotDailyLimitError } from './errors.js';
import { RateLimiterRegistry } from './rate-limiter.js';
import {
  companies,
  OAUTH,
  PAT,
  recordingTransport,
  type Sim,
  simClient,
  startSim,
} from './testing/sim-harness.js';

/** Faults, rate limits and token expiry, against the simulator on a shared auto-advancing ManualClock. */
describe('HubSpot client resilience', () => {
  let sim: Sim;
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 9));

  before(async () => {
    sim = await startSim(clock);
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.control.reset();
  });

  const bySource = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const r of sim.control.records('companies')) {
      const id = r.properties['epicor_source_id'] ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };

  it('survives 429 storms, 423 locks, 5xx, 477 and socket resets with nothing lost or duplicated', async () => {
    const client = simClient(sim, clock, recordingTransport().transport);
    await client.ensureSchema();
    sim.control.clearRequestLog();
    sim.control.setFaults({
      tenSecondlyStorm: 4,
      lockedCompanyUpserts: 3,
      failNext: { status: 503, count: 3, pathPrefix: '/crm/v3/objects/companies' },
      resetSockets: 2,
    });
    const start = clock.now();
    const outcomes = await client.upsertCompanies(companies(1_050));
    assert.equal(outcomes.length, 1_050);
    assert.ok(
      outcomes.every((o) => o.status === 'created'),
      JSON.stringify(outcomes.find((o) => o.status !== 'created')),
    );
    const counts = bySource();
    assert.equal(counts.size, 1_050);
    assert.ok([...counts.values()].every((n) => n === 1));
    const stats = sim.control.requestStats();
    assert.equal(stats.byStatus['429'], 4);
    assert.equal(stats.byStatus['423'], 3);
    assert.equal(stats.byStatus['503'], 3);
    const waits = clock.sleeps.slice(-40);
    assert.ok(
      waits.some((ms) => ms >= 2_000),
      'a 423 waited at least 2 s',
    );
    assert.ok(clock.now() - start >= 2_000);

    sim.control.setFaults({ failNext: { status: 477, count: 1, retryAfterSeconds: 30 } });
    const before477 = clock.now();
    const again = await client.upsertCompanies(companies(5));
    assert.ok(again.every((o) => o.status === 'updated'));
    assert.ok(clock.now() - before477 >= 30_000, '477 honoured Retry-After');
  });

  it('stops on the DAILY limit with the reset time', async () => {
    const client = simClient(sim, clock, recordingTransport().transport);
    await client.ensureSchema();
    sim.control.exhaustDaily();
    const error = await client.upsertCompanies(companies(10)).catch((e: unknown) => e);
    assert.ok(error instanceof HubSpotDailyLimitError, String(error));
    assert.equal(error.code, 'ERR_HUBSPOT_RATE_LIMIT_DAILY');
    const midnight = new Date(clock.now());
    midnight.setUTCHours(24, 0, 0, 0);
    assert.equal(error.resetsAt, midnight.getTime());
    assert.match(error.message, /daily API limit/);
    assert.ok(!error.message.includes(PAT));
    assert.equal(sim.control.requestStats().byStatus['429'], 1, 'a DAILY 429 is not retried');
  });

  it('an ordinary run gets zero 429s while using ≥ 95% of the 10-second budget', async () => {
    const client = simClient(sim, clock, recordingTransport().transport, { batchSize: 10 });
    await client.ensureSchema();
    clock.advance(11_000); // let setup's 34 requests leave the window, so the log shows the whole budget
    sim.control.clearRequestLog();
    const outcomes = await client.upsertCompanies(companies(3_000));
    assert.ok(outcomes.every((o) => o.status === 'created'));
    const stats = sim.control.requestStats();
    assert.equal(stats.rateLimited, 0);
    assert.equal(stats.total, 300);
    const max = sim.control.maxRequestsInWindow(10_000);
    assert.ok(max <= 190 && max / 190 >= 0.95, `max ${max} per 10 s`);
  });

  it('shares one budget between clients of the same portal and token (and 429s prove it matters)', async () => {
    const registry = new RateLimiterRegistry();
    const a = simClient(sim, clock, recordingTransport().transport, { batchSize: 10 }, registry);
    const b = simClient(sim, clock, recordingTransport().transport, { batchSize: 10 }, registry);
    await a.ensureSchema();
    sim.control.clearRequestLog();
    const half = companies(3_200);
    await Promise.all([a.upsertCompanies(half.slice(0, 1_600)), b.upsertCompanies(half.slice(1_600))]);
    assert.equal(sim.control.requestStats().rateLimited, 0);
    assert.ok(sim.control.maxRequestsInWindow(10_000) <= 190);

    // Control: separate registries → two budgets → HubSpot refuses some, and the client still recovers.
    sim.control.reset();
    const c = simClient(
      sim,
      clock,
      recordingTransport().transport,
      { batchSize: 10 },
      new RateLimiterRegistry(),
    );
    const d = simClient(
      sim,
      clock,
      recordingTransport().transport,
      { batchSize: 10 },
      new RateLimiterRegistry(),
    );
    await c.ensureSchema();
    const outcomes = (
      await Promise.all([c.upsertCompanies(half.slice(0, 1_600)), d.upsertCompanies(half.slice(1_600))])
    ).flat();
    assert.ok(sim.control.requestStats().rateLimited > 0);
    assert.ok(outcomes.every((o) => o.status === 'created'));
    assert.equal(bySource().size, 3_200);
  });

  it('adapts to a lower X-HubSpot-RateLimit-Max than its tier says', async () => {
    sim.control.setRateLimits({ tenSecondly: 100 });
    const client = simClient(sim, clock, recordingTransport().transport, { batchSize: 10, concurrency: 1 });
    await client.ensureSchema();
    await client.upsertCompanies(companies(2_000));
    assert.equal(sim.control.requestStats().rateLimited, 0);
    assert.equal(client.stats().limiter.limit, 100);
    assert.ok(sim.control.maxRequestsInWindow(10_000) <= 100);
  });

  it('refreshes an OAuth token that expires mid-run, once, under concurrency', async () => {
    let upserts = 0;
    const { transport, sent } = recordingTransport((req) => {
      if (req.path.endsWith('/batch/upsert') && ++upserts === 4) sim.control.expireAccessTokens();
    });
    const client = simClient(sim, clock, transport, { auth: { kind: 'oauth', ...OAUTH }, concurrency: 6 });
    await client.ensureSchema();
    const outcomes = await client.upsertCompanies(companies(1_050));
    assert.ok(outcomes.every((o) => o.status === 'created'));
    assert.equal(bySource().size, 1_050);
    const tokenCalls = sent.filter((r) => r.path === '/oauth/v1/token');
    assert.equal(tokenCalls.length, 2, 'initial token + one refresh after expiry');
    assert.ok(
      sent.some((r) => r.status === 401),
      'the expiry was noticed through a 401',
    );
    assert.equal(client.stats().tokenRefreshes, 2);

    // Proactive refresh: 26 minutes later the token is within the 5-minute leeway and renewed before use.
    clock.advance(26 * 60_000);
    const before401s = sent.filter((r) => r.status === 401).length;
    await client.upsertCompanies(companies(10));
    assert.equal(sent.filter((r) => r.path === '/oauth/v1/token').length, 3);
    assert.equal(sent.filter((r) => r.status === 401).length, before401s, 'no 401 needed');
  });
});
