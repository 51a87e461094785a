import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { ManualClock } from '../../src/core/manual-clock.js';
import { type EpicorSimulator, startEpicorSimulator } from './index.js';
import { basicAuth, type Json, rows, SIM_AUTH, simGet } from './testing/http.js';

const basic = basicAuth;
const AUTH = SIM_AUTH;
const V = '/api/v2/odata/EPIC06/Erp.BO.VendorSvc';
const C = '/api/v2/odata/EPIC06/Erp.BO.CustomerSvc';

let sim: EpicorSimulator;
const clock = new ManualClock(Date.UTC(2026, 2, 16, 15, 0, 0));

const get = (path: string, headers: Readonly<Record<string, string>> = AUTH) =>
  simGet(sim.tenantUrl, path, headers);

async function token(
  init: RequestInit & { headers?: Record<string, string> },
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sim.tenantUrl}/TokenResource.svc/`, {
    method: 'POST',
    ...init,
    headers: { Accept: 'application/json', ...init.headers },
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sim.url}/__control${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

before(async () => {
  sim = await startEpicorSimulator({
    vendors: 230,
    customers: 80,
    companies: ['EPIC06', 'EPIC07'],
    clock,
    tokenLifetimeSeconds: 600,
    updatedOn: {},
  });
});

after(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.control.clearFaults();
  sim.control.reset();
});

describe('Epicor simulator over HTTP: authentication', () => {
  it('accepts the API key as header or api-key query parameter, with Basic credentials', async () => {
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 200);
    const viaQuery = await get(`${V}/Vendors?$top=1&api-key=sim-api-key`, {
      Authorization: basic('manager', 'manager'),
    });
    assert.equal(viaQuery.status, 200);
    const noKey = await get(`${V}/Vendors?$top=1`, { Authorization: basic('manager', 'manager') });
    assert.equal(noKey.status, 401);
  });

  it('issues bearer tokens for header, form and Basic credentials', async () => {
    const variants: (RequestInit & { headers?: Record<string, string> })[] = [
      { headers: { username: 'manager', password: 'manager' } },
      {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&username=manager&password=manager',
      },
      {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'Username=manager&Password=manager',
      },
      { headers: { Authorization: basic('manager', 'manager'), 'x-api-key': 'sim-api-key' } },
    ];
    for (const variant of variants) {
      const issued = await token(variant);
      assert.equal(issued.status, 200, JSON.stringify(variant));
      const data = await get(`${V}/Vendors?$top=1`, {
        'x-api-key': 'sim-api-key',
        Authorization: `Bearer ${String(issued.body['AccessToken'])}`,
      });
      assert.equal(data.status, 200);
    }
  });

  it('expires bearer tokens on the injected clock', async () => {
    const issued = await token({ headers: { username: 'manager', password: 'manager' } });
    const headers = {
      'x-api-key': 'sim-api-key',
      Authorization: `Bearer ${String(issued.body['AccessToken'])}`,
    };
    clock.advance(599_000);
    assert.equal((await get(`${V}/Vendors?$top=1`, headers)).status, 200);
    clock.advance(1_000);
    const expired = await get(`${V}/Vendors?$top=1`, headers);
    assert.equal(expired.status, 401);
    assert.equal(expired.body['ErrorMessage'], 'Token has expired.');
    const unknown = await get(`${V}/Vendors?$top=1`, {
      'x-api-key': 'sim-api-key',
      Authorization: 'Bearer abc.def.ghi',
    });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body['ErrorMessage'], 'Invalid token.');
  });

  it('invalidates every token after N data requests', async () => {
    const issued = await token({ headers: { username: 'manager', password: 'manager' } });
    const headers = {
      'x-api-key': 'sim-api-key',
      Authorization: `Bearer ${String(issued.body['AccessToken'])}`,
    };
    sim.control.expireTokensAfter(2);
    assert.equal((await get(`${V}/Vendors?$top=1`, headers)).status, 200);
    assert.equal((await get(`${V}/Vendors?$top=1`, headers)).status, 200);
    const third = await get(`${V}/Vendors?$top=1`, headers);
    assert.equal(third.status, 401);
    assert.equal(third.body['ErrorMessage'], 'Token has expired.');
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 200, 'Basic still works');
    clock.advance(1_000);
    const renewed = await token({ headers: { username: 'manager', password: 'manager' } });
    const fresh = {
      'x-api-key': 'sim-api-key',
      Authorization: `Bearer ${String(renewed.body['AccessToken'])}`,
    };
    assert.equal((await get(`${V}/Vendors?$top=1`, fresh)).status, 200);
  });

  it('issues IdP client-credentials tokens at /connect/token', async () => {
    const good = await fetch(`${sim.url}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=sim-client&client_secret=sim-secret&scope=epicor_erp',
    });
    const body = (await good.json()) as Json;
    assert.equal(good.status, 200);
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['expires_in'], 600);
    const data = await get(`${V}/Vendors?$top=1`, {
      'x-api-key': 'sim-api-key',
      Authorization: `Bearer ${String(body['access_token'])}`,
    });
    assert.equal(data.status, 200);
    const bad = await fetch(`${sim.url}/connect/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basic('sim-client', 'wrong'),
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as Json)['error'], 'invalid_client');
  });

  it('denies a BO to a user at run time with Access denied (BO.Method)', async () => {
    sim.control.setAccessDenied('manager', ['Erp.BO.CustomerSvc']);
    const denied = await get(`${C}/Customers?$top=1`);
    assert.equal(denied.status, 401);
    assert.equal(denied.body['ErrorMessage'], 'Access denied (Erp.BO.Customer.GetRows).');
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 200);
    sim.control.setAccessDenied('manager', []);
    assert.equal((await get(`${C}/Customers?$top=1`)).status, 200);
  });
});

describe('Epicor simulator over HTTP: data', () => {
  it('pages every vendor with a SysRevID keyset and sees each exactly once', async () => {
    const seen = new Set<number>();
    let last = '0';
    for (let page = 0; page < 20; page++) {
      const { body, status } = await get(
        `${V}/Vendors?$filter=SysRevID%20gt%20${last}&$orderby=SysRevID&$top=50&$select=VendorNum,SysRevID`,
      );
      assert.equal(status, 200);
      for (const row of rows(body)) seen.add(row['VendorNum'] as number);
      if (rows(body).length < 50) break;
      last = String(rows(body).at(-1)?.['SysRevID']);
    }
    assert.equal(seen.size, 230);
  });

  it('shows an update made between pages to a SysRevID poller', async () => {
    const first = await get(`${V}/Vendors?$orderby=SysRevID%20desc&$top=1`);
    const high = rows(first.body)[0]?.['SysRevID'] as number;
    const vendorNum = sim.control.list('Vendors')[4]?.['VendorNum'] as number;
    const updated = sim.control.update('Vendors', { VendorNum: vendorNum }, { Name: "Zoë's Parts 🚀" });
    const delta = await get(`${V}/Vendors?$filter=SysRevID%20gt%20${high}`);
    assert.deepEqual(
      rows(delta.body).map((r) => r['VendorNum']),
      [vendorNum],
    );
    assert.equal(rows(delta.body)[0]?.['Name'], "Zoë's Parts 🚀");
    assert.equal(BigInt(rows(delta.body)[0]?.['SysRevID'] as number), updated['SysRevID']);
    const chicago = DateTime.fromMillis(clock.now(), { zone: 'America/Chicago' }).toFormat(
      "yyyy-LL-dd'T'HH:mm:ss",
    );
    assert.equal(rows(delta.body)[0]?.['UpdatedOn'], chicago, 'clock now in America/Chicago');
  });

  it('runs hooks and scheduled mutations between page requests', async () => {
    const seen: number[] = [];
    const off = sim.control.onDataRequest((n, request) => {
      seen.push(n);
      assert.equal(request.company, 'EPIC06');
      if (seen.length === 2) sim.control.deactivate('Vendors', { VendorNum: 1 }); // before page 2 is read
    });
    const start = sim.control.dataRequestCount;
    sim.control.applyAfterRequest(start + 1, [
      { op: 'update', entity: 'Vendors', key: { VendorNum: 2 }, changes: { Name: 'Renamed' } },
    ]);
    const page1 = await get(`${V}/Vendors?$top=2&$select=VendorNum,Name,Inactive`);
    const page2 = await get(`${V}/Vendors?$top=2&$select=VendorNum,Name,Inactive`);
    off();
    assert.deepEqual(seen, [start + 1, start + 2]);
    assert.notEqual(rows(page1.body)[1]?.['Name'], 'Renamed');
    assert.equal(rows(page2.body)[1]?.['Name'], 'Renamed');
    assert.equal(rows(page2.body)[0]?.['Inactive'], true);
  });

  it('filters customers by ChangeDate with an unquoted offset datetime and spells customer fields', async () => {
    const { body, status } = await get(
      `${C}/Customers?$filter=ChangeDate%20ge%202025-06-30T00:00:00-05:00%20and%20ChangeDate%20lt%202025-07-01T00:00:00-05:00&$count=true&$top=1000`,
    );
    assert.equal(status, 200);
    const cluster = rows(body).filter((r) => r['ChangedBy'] === 'massupdate');
    assert.ok(cluster.length >= 40, `cluster ${cluster.length}`);
    assert.ok(cluster.every((r) => r['ChangeTime'] === 7200 && r['ChangeDate'] === '2025-06-30T00:00:00'));
    const one = rows(body)[0] ?? {};
    for (const column of ['Zip', 'CustURL', 'CustID', 'CustomerType', 'ChangedBy'])
      assert.ok(column in one, column);
  });

  it('expands VendCntMains, navigates to them and reads CustCnts by key', async () => {
    const withContacts = sim.control.list('VendCntMains')[0];
    const vendorNum = withContacts?.['VendorNum'] as number;
    const expanded = await get(`${V}/Vendors?$filter=VendorNum%20eq%20${vendorNum}&$expand=VendCntMains`);
    const contacts = rows(expanded.body)[0]?.['VendCntMains'] as Json[];
    assert.ok(contacts.length >= 1);
    assert.ok('EmailAddress' in (contacts[0] ?? {}));
    const nav = await get(`${V}/Vendors('EPIC06',${vendorNum})/VendCntMains?$select=ConNum`);
    assert.deepEqual(
      rows(nav.body),
      contacts.map((c) => ({ ConNum: c['ConNum'] })),
    );
    const cc = sim.control.list('CustCnts')[0] ?? {};
    const byKey = await get(
      `/api/v2/odata/EPIC06/Erp.BO.CustCntSvc/CustCnts('EPIC06',${cc['CustNum']},'${cc['ShipToNum']}',${cc['ConNum']})`,
    );
    assert.equal(byKey.status, 200);
    assert.equal(byKey.body['EMailAddress'], cc['EMailAddress']);
    const missing = await get(`${V}/Vendors('EPIC06',999999)`);
    assert.equal(missing.status, 404);
  });

  it('serves a BAQ with Table_Field columns, Calculated_ChangedOn and RowIdent', async () => {
    const { body, status } = await get(
      '/api/v2/odata/EPIC06/BaqSvc/ZVendorChanges/Data?$orderby=Calculated_ChangedOn%20desc&$top=3&$filter=Calculated_ChangedOn%20gt%202024-01-01T00:00:00Z',
    );
    assert.equal(status, 200);
    const first = rows(body)[0] ?? {};
    assert.deepEqual(Object.keys(first), [
      'Vendor_Company',
      'Vendor_VendorNum',
      'Vendor_VendorID',
      'Vendor_Name',
      'Vendor_EMailAddress',
      'Vendor_Inactive',
      'Vendor_SysRevID',
      'Calculated_ChangedOn',
      'RowIdent',
    ]);
    assert.equal(first['RowIdent'], '00000001-0000-0000-0000-000000000000');
    const missing = await get('/api/v2/odata/EPIC06/BaqSvc/Nope/Data');
    assert.equal(missing.status, 404);
  });

  it('keeps each company apart', async () => {
    const a = await get(`${V}/Vendors?$top=3&$select=Name`);
    const b = await get('/api/v2/odata/EPIC07/Erp.BO.VendorSvc/Vendors?$top=3&$select=Name,Company');
    assert.equal(b.status, 200);
    assert.notDeepEqual(
      rows(a.body),
      rows(b.body).map((r) => ({ Name: r['Name'] })),
    );
    assert.equal(rows(b.body)[0]?.['Company'], 'EPIC07');
  });
});

describe('Epicor simulator over HTTP: faults and control', () => {
  it('fails the next N data requests with an Epicor 500 or a gateway page, then recovers', async () => {
    sim.control.failNext(1, { status: 503 });
    const epicor = await get(`${V}/Vendors?$top=1`);
    assert.equal(epicor.status, 503);
    assert.equal(epicor.body['HttpStatus'], 503);
    sim.control.failNext(2, { status: 502, body: 'gateway' });
    const gateway = await get(`${V}/Vendors?$top=1`);
    assert.equal(gateway.status, 502);
    assert.equal(gateway.text, '502 Bad Gateway');
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 502);
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 200);
  });

  it('resets the socket of the next N data requests', async () => {
    sim.control.resetNext(1);
    await assert.rejects(fetch(`${sim.tenantUrl}${V}/Vendors?$top=1`, { headers: AUTH }));
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 200);
    const last = sim.control
      .requestLog()
      .filter((e) => e.kind === 'data')
      .at(-2);
    assert.equal(last?.status, 0);
  });

  it('adds latency through the injected clock', async () => {
    const before = clock.sleeps.length;
    sim.control.setLatency(1500);
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 200);
    assert.deepEqual(clock.sleeps.slice(before), [1500]);
  });

  it('logs requests without secrets and counts data requests', async () => {
    sim.control.clearRequestLog();
    const start = sim.control.dataRequestCount;
    await get(`${V}/Vendors?$top=1&api-key=sim-api-key`, { Authorization: basic('manager', 'manager') });
    await token({ headers: { username: 'manager', password: 'manager' } });
    assert.equal(sim.control.dataRequestCount, start + 1);
    const log = sim.control.requestLog();
    assert.deepEqual(
      log.map((e) => [e.kind, e.status, e.method]),
      [
        ['data', 200, 'GET'],
        ['token', 200, 'POST'],
      ],
    );
    assert.equal(log[0]?.path, `/EpicorTest${V}/Vendors`);
    assert.ok(!JSON.stringify(log).includes('sim-api-key'));
    assert.ok(!JSON.stringify(log).includes('manager'));
  });

  it('drives the same control surface over HTTP', async () => {
    const index = await control('GET', '');
    assert.ok(Array.isArray(index.body['endpoints']));
    const updated = await control('POST', '/records/Customers/update', {
      key: { CustNum: 3 },
      changes: { Name: 'Via HTTP' },
    });
    assert.equal(updated.status, 200);
    assert.equal((updated.body['record'] as Json)['Name'], 'Via HTTP');
    const inserted = await control('POST', '/records/Vendors/insert', {
      record: { VendorID: 'HTTP1', Name: 'Inserted' },
    });
    assert.equal(inserted.status, 201);
    const num = (inserted.body['record'] as Json)['VendorNum'];
    const fetched = await control('GET', `/records/Vendors/get?VendorNum=${String(num)}`);
    assert.equal((fetched.body['record'] as Json)['Name'], 'Inserted');
    assert.equal(
      (await control('POST', '/records/Vendors/deactivate', { key: { VendorNum: num } })).status,
      200,
    );
    assert.equal((await control('POST', '/records/Vendors/delete', { key: { VendorNum: num } })).status, 200);
    assert.equal((await control('GET', `/records/Vendors/get?VendorNum=${String(num)}`)).status, 404);
    assert.equal(
      (await control('POST', '/records/Vendors/update', { key: { VendorNum: 1 }, changes: { Bogus: 1 } }))
        .status,
      400,
    );
    const listed = await control('GET', '/records/VendCntMains?top=2');
    assert.equal((listed.body['value'] as Json[]).length, 2);
    await control('POST', '/faults', { fail: { count: 1, status: 500 } });
    assert.equal((await get(`${V}/Vendors?$top=1`)).status, 500);
    const stats = await control('GET', '/stats');
    assert.equal(typeof stats.body['dataRequests'], 'number');
    const requests = await control('GET', '/requests');
    assert.ok((requests.body['value'] as Json[]).length > 0);
    assert.equal((await control('DELETE', '/requests')).status, 200);
    await control('POST', '/reset', { seed: 5, vendors: 10, customers: 10 });
    assert.equal(sim.control.list('Vendors').length, 10);
    assert.equal((await control('GET', '/nope')).status, 404);
  });
});

describe('Epicor simulator: big SysRevIDs', () => {
  it('writes SysRevIDs above 2^53 as exact unquoted JSON integers and filters them exactly', async () => {
    const big = await startEpicorSimulator({ vendors: 3, customers: 1, sysRevIdStart: 2n ** 53n + 1n });
    try {
      const headers = AUTH;
      const response = await fetch(
        `${big.tenantUrl}${V}/Vendors?$select=VendorNum,SysRevID&$orderby=SysRevID`,
        { headers },
      );
      const text = await response.text();
      const revs = [...text.matchAll(/"SysRevID":(\d+)/g)].map((m) => BigInt(m[1] ?? '0'));
      assert.equal(revs.length, 3);
      assert.ok(revs.every((r) => r > 2n ** 53n));
      assert.equal(new Set(revs.map(String)).size, 3, 'neighbouring big values stay distinct');
      const second = revs[1] ?? 0n;
      const filtered = await fetch(
        `${big.tenantUrl}${V}/Vendors?$select=SysRevID&$filter=SysRevID%20gt%20${second}`,
        {
          headers,
        },
      );
      const filteredText = await filtered.text();
      assert.deepEqual(
        [...filteredText.matchAll(/"SysRevID":(\d+)/g)].map((m) => m[1]),
        [String(revs[2])],
      );
    } finally {
      await big.close();
    }
  });
});
