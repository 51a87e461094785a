import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { ManualClock } from '../core/manual-clock.js';
import { EpicorClient } from './client.js';
import { EpicorPagingError } from './errors.js';
import { collect, simSettings } from './testing/sim.js';

/**
 * A client whose `timeZone` is not the tenant's writes ChangeDate/ChangeTime literals that name another
 * day for the server. Keyset paging must then fail with an error that names the setting, and ping must
 * warn before a sync is ever tried.
 */
describe('tenant time zone mismatch', () => {
  let sim: EpicorSimulator;
  before(async () => {
    sim = await startEpicorSimulator({ vendors: 5, customers: 60, seed: 3, timeZone: 'America/Chicago' });
  });
  after(async () => {
    await sim.close();
  });
  const client = (timeZone: string) =>
    new EpicorClient(simSettings(sim, { pageSize: 10, timeZone }), { clock: new ManualClock() });

  it('keyset paging of customers fails with ERR_EPICOR_PAGING naming epicor.timeZone', async () => {
    const yielded: string[] = [];
    await assert.rejects(
      async () => {
        for await (const page of client('UTC').scan('customer')) {
          yielded.push(...page.records.map((r) => r.key));
        }
      },
      (error: unknown) => {
        assert.ok(error instanceof EpicorPagingError, String(error));
        assert.equal(error.code, 'ERR_EPICOR_PAGING');
        assert.match(error.message, /Customers by ChangeDate\+ChangeTime/);
        assert.match(error.message, /out of order|did not advance past the cursor/);
        assert.match(error.message, /connections\[\]\.epicor\.timeZone .*\(configured: UTC\)/);
        assert.ok(error.query !== undefined, 'the failing page query is attached for replay');
        return true;
      },
    );
    assert.ok(yielded.length > 0);
    assert.equal(new Set(yielded).size, yielded.length, 'the page that went wrong is never handed out');
  });

  it('with the tenant zone configured, the same scan reads every customer', async () => {
    const { records } = await collect(client('America/Chicago'), 'customer');
    assert.equal(new Set(records.map((r) => r.key)).size, sim.control.list('Customers').length);
  });

  it('ping warns when the zone looks wrong, and not when it is right', async () => {
    const zoneWarning = /timeZone \(configured: UTC\) probably differs/;
    const wrong = await client('UTC').checkConnection({ kinds: ['customer', 'vendor'], metadata: false });
    const customer = wrong.entities.find((e) => e.kind === 'customer');
    assert.ok(
      customer?.warnings.some((w) => zoneWarning.test(w)),
      JSON.stringify(customer?.warnings),
    );
    assert.match(customer?.warnings.join('\n') ?? '', /ChangeDate\+ChangeTime/);
    const vendor = wrong.entities.find((e) => e.kind === 'vendor');
    assert.deepEqual(vendor?.warnings, [], 'SysRevID does not depend on the zone');

    const right = await client('America/Chicago').checkConnection({ kinds: ['customer'], metadata: false });
    assert.deepEqual(right.entities[0]?.warnings, []);
  });
});
