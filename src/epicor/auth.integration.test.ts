import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { ManualClock } from '../core/manual-clock.js';
import { ENTITY_KINDS } from '../sync/model.js';
import { EpicorClient } from './client.js';
import type { EpicorError } from './errors.js';
import { type AuthChoice, collect, simSettings } from './testing/sim.js';

/** Every auth mode and every kind of 401, client against the simulator over loopback HTTP. */

const SECRETS = ['sim-api-key', 'manager-pw-1', 'sim-secret-1'];

let sim: EpicorSimulator;

before(async () => {
  sim = await startEpicorSimulator({
    vendors: 60,
    customers: 60,
    seed: 11,
    users: [{ username: 'manager', password: 'manager-pw-1' }],
    oauthClients: [{ clientId: 'sim-client', clientSecret: 'sim-secret-1' }],
  });
});
after(async () => {
  await sim.close();
});

const ENTITY_SET = {
  vendor: 'Vendors',
  customer: 'Customers',
  vendorContact: 'VendCntMains',
  customerContact: 'CustCnts',
} as const;

function client(auth: AuthChoice, overrides: Record<string, unknown> = {}) {
  return new EpicorClient(simSettings(sim, { auth, pageSize: 25, ...overrides }), {
    clock: new ManualClock(),
  });
}

async function rejection(promise: Promise<unknown>): Promise<EpicorError> {
  try {
    await promise;
  } catch (error) {
    return error as EpicorError;
  }
  assert.fail('expected a rejection');
}

function assertNoSecret(error: EpicorError): void {
  const text = JSON.stringify({ m: error.message, e: error.errorMessage, u: error.url, s: error.stack });
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `secret leaked in ${text}`);
}

describe('auth modes', () => {
  for (const auth of ['basic', 'tokenResource', 'oauth2'] as const) {
    it(`${auth}: reads every stream completely`, async () => {
      const c = client(auth);
      for (const kind of ENTITY_KINDS) {
        const { records } = await collect(c, kind);
        assert.equal(records.length, sim.control.list(ENTITY_SET[kind]).length, kind);
      }
    });
  }

  for (const auth of ['tokenResource', 'oauth2'] as const) {
    it(`${auth}: survives token expiry in mid-scan with one refresh`, async () => {
      const c = client(auth, { pageSize: 10 });
      let tokenRequests = 0;
      const before = sim.control.requestLog().length;
      sim.control.expireTokensAfter(3);
      const { records, pages } = await collect(c, 'customer');
      tokenRequests = sim.control
        .requestLog()
        .slice(before)
        .filter((e) => e.kind === 'token' || e.kind === 'idp').length;
      assert.equal(records.length, sim.control.list('Customers').length);
      assert.ok(pages.length > 4);
      assert.equal(tokenRequests, 2, 'one initial token and one refresh');
      const unauthorized = sim.control
        .requestLog()
        .slice(before)
        .filter((e) => e.status === 401);
      assert.equal(unauthorized.length, 1);
    });
  }

  it('tokenResource: the other request styles work too', async () => {
    for (const requestStyle of ['form-password-grant', 'form-credentials', 'basic'] as const) {
      const settings = simSettings(sim, { auth: 'tokenResource' });
      const c = new EpicorClient(
        { ...settings, auth: { ...settings.auth, requestStyle } as typeof settings.auth },
        { clock: new ManualClock() },
      );
      const rows = await c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 2 });
      assert.equal(rows.length, 2, requestStyle);
    }
  });
});

describe('401s', () => {
  it('a bad API key is ERR_EPICOR_API_KEY after one request, in every mode', async () => {
    for (const auth of ['basic', 'tokenResource', 'oauth2'] as const) {
      const c = client(auth, { apiKey: 'wrong-key-12345' });
      sim.control.resetCounters();
      const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 }));
      assert.equal(error.code, 'ERR_EPICOR_API_KEY', auth);
      assert.match(
        error.message,
        /Epicor rejected the API key \(401 from http:\/\/127\.0\.0\.1:\d+\/EpicorTest\/api\/v2\/odata\/EPIC06\/Erp\.BO\.VendorSvc\/Vendors\): check the key/,
      );
      assert.equal(sim.control.dataRequestCount, 1, `${auth}: no retry, no refresh loop`);
      assert.ok(!JSON.stringify([error.message, error.errorMessage]).includes('wrong-key-12345'));
      assertNoSecret(error);
    }
  });

  it('bad credentials are ERR_EPICOR_CREDENTIALS in every mode', async () => {
    const cases = [
      ['basic', { auth: 'basic' }],
      ['tokenResource', { auth: 'tokenResource' }],
      ['oauth2', { auth: 'oauth2' }],
    ] as const;
    for (const [name, options] of cases) {
      const settings = simSettings(sim, options);
      const badAuth =
        settings.auth.mode === 'oauth2'
          ? { ...settings.auth, clientSecret: 'not-the-secret' }
          : { ...settings.auth, password: 'not-the-password' };
      const c = new EpicorClient({ ...settings, auth: badAuth }, { clock: new ManualClock() });
      const before = sim.control.requestLog().length;
      const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 }));
      assert.equal(error.code, 'ERR_EPICOR_CREDENTIALS', name);
      assert.equal(sim.control.requestLog().length - before, 1, `${name}: exactly one request`);
      assert.ok(!error.message.includes('not-the-'));
      assertNoSecret(error);
    }
  });

  it('access denied is ERR_EPICOR_ACCESS_DENIED and never refreshes the token', async () => {
    sim.control.setAccessDenied('manager', ['Erp.BO.CustCntSvc']);
    try {
      for (const auth of ['basic', 'tokenResource'] as const) {
        const c = client(auth);
        await c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 });
        sim.control.resetCounters();
        const error = await rejection(c.getRows('Erp.BO.CustCntSvc/CustCnts', { $top: 1 }));
        assert.equal(error.code, 'ERR_EPICOR_ACCESS_DENIED');
        assert.match(error.message, /Access denied \(Erp\.BO\.CustCnt/);
        assert.match(error.message, /security rights .*access scope/);
        assert.equal(sim.control.dataRequestCount, 1);
        assertNoSecret(error);
      }
    } finally {
      sim.control.setAccessDenied('manager', []);
    }
  });

  it('a bearer token that stays refused ends in one typed error, not a loop', async () => {
    const c = client('tokenResource');
    await c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 });
    sim.control.resetCounters();
    const unsubscribe = sim.control.onDataRequest(() => sim.control.invalidateTokens());
    try {
      const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 }));
      assert.equal(error.code, 'ERR_EPICOR_UNAUTHORIZED');
      assert.equal(sim.control.dataRequestCount, 2);
      assertNoSecret(error);
    } finally {
      unsubscribe();
    }
  });
});

describe('checkConnection', () => {
  it('reports every check as ok, with change columns and a recommendation per entity', async () => {
    const report = await client('tokenResource').checkConnection();
    assert.equal(report.ok, true, JSON.stringify(report.checks));
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.ok]),
      [
        ['reachability', true],
        ['auth', true],
        ['apiKey', true],
        ['company', true],
      ],
    );
    const byKind = Object.fromEntries(report.entities.map((e) => [e.kind, e]));
    assert.equal(byKind['vendor']?.recommendation?.strategy.strategy, 'sysRevId');
    assert.deepEqual(byKind['vendor']?.found, {
      updatedOn: false,
      changeDate: false,
      changeTime: false,
      sysRevId: true,
    });
    assert.equal(byKind['customer']?.recommendation?.strategy.strategy, 'changeDateTime');
    assert.equal(byKind['vendorContact']?.recommendation?.strategy.strategy, 'changeDate');
    assert.equal(byKind['customerContact']?.recommendation?.strategy.strategy, 'changeDateTime');
  });

  it('returns failures as data: bad key, bad password, unknown company, unreachable host', async () => {
    const badKey = await client('basic', { apiKey: 'nope-nope-nope' }).checkConnection({ metadata: false });
    assert.equal(badKey.ok, false);
    assert.equal(badKey.checks.find((c) => c.name === 'apiKey')?.code, 'ERR_EPICOR_API_KEY');
    assert.ok(badKey.entities.every((e) => e.code === 'ERR_EPICOR_API_KEY'));

    const s = simSettings(sim, { auth: 'tokenResource' });
    const badPassword = await new EpicorClient({
      ...s,
      auth: { ...s.auth, password: 'wrong' } as typeof s.auth,
    }).checkConnection();
    assert.equal(badPassword.checks.find((c) => c.name === 'auth')?.code, 'ERR_EPICOR_CREDENTIALS');
    assert.ok(badPassword.entities.every((e) => e.code === 'ERR_EPICOR_NOT_CHECKED'));

    const badCompany = await client('basic', { company: 'NOPE' }).checkConnection({ metadata: false });
    assert.equal(badCompany.checks.find((c) => c.name === 'company')?.ok, false);
    assert.equal(badCompany.checks.find((c) => c.name === 'company')?.code, 'ERR_EPICOR_NOT_FOUND');

    const closed = await startEpicorSimulator({ vendors: 1, customers: 1 });
    const deadUrl = closed.tenantUrl;
    await closed.close();
    const dead = await new EpicorClient(simSettings(sim, { tenantUrl: deadUrl })).checkConnection();
    assert.equal(dead.checks[0]?.name, 'reachability');
    assert.equal(dead.checks[0]?.ok, false);
    assert.equal(dead.checks[0]?.code, 'ERR_EPICOR_NETWORK');
  });
});
