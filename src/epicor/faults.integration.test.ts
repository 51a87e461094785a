import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { ManualClock } from '../core/manual-clock.js';
import { EpicorClient } from './client.js';
import type { EpicorError } from './errors.js';
import type { RetryNotice } from './requester.js';
import { collect, simSettings } from './testing/sim.js';

/** Recovery from 5xx, socket resets, timeouts and license exhaustion, over real loopback HTTP. */

let sim: EpicorSimulator;

before(async () => {
  sim = await startEpicorSimulator({ vendors: 250, customers: 30, seed: 9 });
});
after(async () => {
  await sim.close();
});

function client(overrides: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const notices: RetryNotice[] = [];
  const c = new EpicorClient(simSettings(sim, { pageSize: 50, ...overrides }), {
    clock,
    onRetry: (notice) => notices.push(notice),
  });
  return { c, clock, notices };
}

async function rejection(promise: Promise<unknown>): Promise<EpicorError> {
  try {
    await promise;
  } catch (error) {
    return error as EpicorError;
  }
  assert.fail('expected a rejection');
}

describe('transient failures', () => {
  it('recovers from 5xx (Epicor and gateway bodies) and socket resets in mid-scan', async () => {
    const { c, clock, notices } = client();
    const unsubscribe = sim.control.onDataRequest((n) => {
      if (n === 2) sim.control.failNext(2, { status: 503, body: 'gateway' });
      if (n === 5) sim.control.failNext(1, { status: 500, body: 'epicor' });
      if (n === 7) sim.control.resetNext(2);
    });
    sim.control.resetCounters();
    try {
      const { records } = await collect(c, 'vendor');
      assert.equal(records.length, 250);
      assert.equal(new Set(records.map((r) => r.key)).size, 250);
      assert.deepEqual(
        notices.map((n) => n.code),
        ['ERR_EPICOR_HTTP', 'ERR_EPICOR_HTTP', 'ERR_EPICOR_HTTP', 'ERR_EPICOR_NETWORK', 'ERR_EPICOR_NETWORK'],
      );
      assert.equal(clock.sleeps.length, 5);
    } finally {
      unsubscribe();
      sim.control.clearFaults();
    }
  });

  it('retries license exhaustion (400 LicenseAccessException) with its longer schedule', async () => {
    const { c, clock, notices } = client();
    sim.control.licenseErrorNext(3);
    const rows = await c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 5 });
    assert.equal(rows.length, 5);
    assert.deepEqual(
      notices.map((n) => n.code),
      ['ERR_EPICOR_LICENSE', 'ERR_EPICOR_LICENSE', 'ERR_EPICOR_LICENSE'],
    );
    assert.equal(clock.sleeps.length, 3);
    for (const [i, ms] of clock.sleeps.entries()) assert.ok(ms <= 30_000 * 2 ** i, `license delay ${ms}`);
  });

  it('times out a slow request and retries it', async () => {
    const { c, notices } = client({ requestTimeoutMs: 100 });
    sim.control.setLatency(400);
    const rows = await (async () => {
      const pending = c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 3 });
      // The first attempt times out; the retry goes to a fast server.
      const wait = setInterval(() => {
        if (notices.length > 0) sim.control.setLatency(0);
      }, 5);
      try {
        return await pending;
      } finally {
        clearInterval(wait);
        sim.control.clearFaults();
      }
    })();
    assert.equal(rows.length, 3);
    assert.equal(notices[0]?.code, 'ERR_EPICOR_TIMEOUT');
  });

  it('gives up after the configured attempts with a typed error carrying Epicor details, no secret', async () => {
    const { c, notices } = client({ retry: { maxAttempts: 3 } });
    sim.control.failNext(10, { status: 500, body: 'epicor' });
    try {
      const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 }));
      assert.equal(error.code, 'ERR_EPICOR_HTTP');
      assert.equal(error.status, 500);
      assert.equal(error.attempts, 3);
      assert.equal(notices.length, 2);
      assert.ok(error.errorType);
      assert.match(error.correlationId ?? '', /^[0-9a-f-]{36}$/);
      assert.match(
        error.url ?? '',
        /\/EpicorTest\/api\/v2\/odata\/EPIC06\/Erp\.BO\.VendorSvc\/Vendors\?\$top=1$/,
      );
      assert.ok(!JSON.stringify([error.message, error.url, error.errorMessage]).includes('sim-api-key'));
    } finally {
      sim.control.clearFaults();
    }
  });

  it('attaches the failed page query to a scan error so the engine can replay it', async () => {
    const { c } = client({ retry: { maxAttempts: 1 } });
    const unsubscribe = sim.control.onDataRequest((n) => {
      if (n === 3) sim.control.failNext(1);
    });
    sim.control.resetCounters();
    try {
      const scan = c.scan('vendor');
      await scan.next();
      await scan.next();
      const error = await rejection(scan.next());
      const query = error.query as { params: Record<string, unknown> };
      assert.match(String(query.params['$filter']), /^\(SysRevID gt \d+\) or/);
      const replayed = await c.replay(error.query);
      assert.equal(replayed.records.length, 50);
    } finally {
      unsubscribe();
      sim.control.clearFaults();
    }
  });

  it('uses the api-key query parameter when configured, and never shows it', async () => {
    const { c } = client({ apiKeyIn: 'query', retry: { maxAttempts: 1 } });
    const rows = await c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 2 });
    assert.equal(rows.length, 2);
    sim.control.failNext(1);
    const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 2 }));
    assert.equal(error.code, 'ERR_EPICOR_HTTP');
    assert.ok(!JSON.stringify([error.message, error.url]).includes('sim-api-key'));
    sim.control.clearFaults();
  });
});
