import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { type EpicorSimulator, startEpicorSimulator } from './index.js';

/**
 * Pins the simulator's shapes to the reference (/work/shared/reference/epicor-kinetic.md and its
 * epicor-samples): collection envelope, error body, the three live 401 bodies, TokenResource answer,
 * $metadata. The sample bodies are copied here so the test runs without the reference folder.
 */

const SAMPLE_401 = {
  invalidCredentials: {
    HttpStatus: 401,
    ReasonPhrase: 'REST API Exception',
    ErrorMessage: 'Invalid username or password.',
    ErrorType: 'System.UnauthorizedAccessException',
    CorrelationId: '41893675-a27f-467a-be02-7af2ed7d708c',
  },
  invalidApiKey: {
    HttpStatus: 401,
    ReasonPhrase: 'REST API Exception',
    ErrorMessage: 'Invalid API Key llave-invalida.\r\nCompany CFSJ_LAF.',
    ErrorType: 'System.UnauthorizedAccessException',
    CorrelationId: '96d27258-a13c-4b16-8a51-6ce0d28a5619',
  },
  accessDenied: {
    HttpStatus: 401,
    ReasonPhrase: 'REST API Exception',
    ErrorMessage: 'Access denied (Erp.BO.Company.GetRows).',
    ErrorType: 'System.UnauthorizedAccessException',
    CorrelationId: '1d6f1747-acae-4391-9f75-b04f61229a6d',
  },
};
const ERROR_KEYS = Object.keys(SAMPLE_401.invalidCredentials);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sim: EpicorSimulator;
let plainSim: EpicorSimulator;
const basic = `Basic ${Buffer.from('manager:manager').toString('base64')}`;

async function call(
  path: string,
  headers: Record<string, string> = { 'x-api-key': 'sim-api-key', Authorization: basic },
  target = sim,
): Promise<{ status: number; body: string; json: () => Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${target.tenantUrl}${path}`, { headers });
  const body = await response.text();
  return {
    status: response.status,
    body,
    json: () => JSON.parse(body) as Record<string, unknown>,
    headers: response.headers,
  };
}

function assertErrorShape(body: Record<string, unknown>, status: number, errorType: string): void {
  assert.deepEqual(Object.keys(body), ERROR_KEYS);
  assert.equal(body['HttpStatus'], status);
  assert.equal(body['ReasonPhrase'], 'REST API Exception');
  assert.equal(body['ErrorType'], errorType);
  assert.match(String(body['CorrelationId']), GUID);
}

before(async () => {
  sim = await startEpicorSimulator({
    vendors: 120,
    customers: 30,
    updatedOn: {},
    users: [
      { username: 'manager', password: 'manager' },
      { username: 'limited', password: 'limited', denied: ['Erp.BO.Vendor.GetRows'] },
    ],
  });
  plainSim = await startEpicorSimulator({ vendors: 5, customers: 5 });
});

after(async () => {
  await sim.close();
  await plainSim.close();
});

const V = '/api/v2/odata/EPIC06/Erp.BO.VendorSvc';

describe('Epicor conformance: collections', () => {
  it('wraps collections in @odata.context + value and never sends a nextLink', async () => {
    const response = await call(`${V}/Vendors`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['@odata.context', 'value']);
    assert.equal(body['@odata.context'], `${sim.tenantUrl}${V}/$metadata#Vendors`);
    assert.equal(
      (body['value'] as unknown[]).length,
      100,
      'at most 100 rows without $top although 120 exist',
    );
    assert.ok(!response.body.includes('nextLink'));
  });

  it('adds @odata.count between context and value with $count=true', async () => {
    const body = (await call(`${V}/Vendors?$count=true&$top=1`)).json();
    assert.deepEqual(Object.keys(body), ['@odata.context', '@odata.count', 'value']);
    assert.equal(body['@odata.count'], 120);
  });

  it('returns a single entity by key as the bare object with its columns', async () => {
    const body = (await call(`${V}/Vendors('EPIC06',1)`)).json();
    assert.equal(body['VendorNum'], 1);
    assert.equal(body['Company'], 'EPIC06');
    assert.equal(body['RowMod'], '');
    assert.ok(!('value' in body));
    for (const column of [
      'ZIP',
      'EMailAddress',
      'VendURL',
      'SysRevID',
      'SysRowID',
      'Week1Pymt_c',
      'UpdatedOn',
    ]) {
      assert.ok(column in body, column);
    }
  });

  it('carries no change-date columns on vendors unless the UpdatedOn option is on', async () => {
    const body = (await call(`${V}/Vendors('EPIC06',1)`, undefined, plainSim)).json();
    for (const column of ['ChangeDate', 'ChangeTime', 'ChangedBy', 'UpdatedOn', 'CreatedOn'])
      assert.ok(!(column in body));
  });
});

describe('Epicor conformance: error bodies', () => {
  it('answers the three 401s with the captured shapes and messages', async () => {
    const badPassword = await call(`${V}/Vendors`, {
      'x-api-key': 'sim-api-key',
      Authorization: `Basic ${Buffer.from('manager:wrong').toString('base64')}`,
    });
    assert.equal(badPassword.status, 401);
    assertErrorShape(badPassword.json(), 401, SAMPLE_401.invalidCredentials.ErrorType);
    assert.equal(badPassword.json()['ErrorMessage'], SAMPLE_401.invalidCredentials.ErrorMessage);

    const badKey = await call(`${V}/Vendors`, { 'x-api-key': 'llave-invalida', Authorization: basic });
    assert.equal(badKey.status, 401);
    assertErrorShape(badKey.json(), 401, SAMPLE_401.invalidApiKey.ErrorType);
    assert.equal(badKey.json()['ErrorMessage'], 'Invalid API Key llave-invalida.\r\nCompany EPIC06.');

    const denied = await call(`${V}/Vendors`, {
      'x-api-key': 'sim-api-key',
      Authorization: `Basic ${Buffer.from('limited:limited').toString('base64')}`,
    });
    assert.equal(denied.status, 401);
    assertErrorShape(denied.json(), 401, SAMPLE_401.accessDenied.ErrorType);
    assert.match(String(denied.json()['ErrorMessage']), /^Access denied \(Erp\.BO\.Vendor\.GetRows\)\.$/);

    const ids = new Set([badPassword, badKey, denied].map((r) => r.json()['CorrelationId']));
    assert.equal(ids.size, 3, 'each 401 has a fresh CorrelationId');
  });

  it('challenges a request without Authorization with WWW-Authenticate: Basic', async () => {
    const response = await call(`${V}/Vendors`, { 'x-api-key': 'sim-api-key' });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="/);
    assertErrorShape(response.json(), 401, 'System.UnauthorizedAccessException');
  });

  it('answers unknown service, entity set or company with 404 ApiException; names are case-sensitive', async () => {
    for (const path of [
      '/api/v2/odata/EPIC06/Erp.BO.NopeSvc/Nopes',
      '/api/v2/odata/EPIC06/erp.bo.vendorsvc/Vendors',
      `${V}/vendors`,
      `${V}/Nopes`,
      '/api/v2/odata/NOPE/Erp.BO.VendorSvc/Vendors',
      '/api/v2/odata/epic06/Erp.BO.VendorSvc/Vendors',
    ]) {
      const response = await call(path);
      assert.equal(response.status, 404, path);
      assertErrorShape(response.json(), 404, 'Epicor.RESTApi.ErrorHandling.ApiException');
    }
  });

  it('answers bad queries with 400 ODataException and the property/type in the message', async () => {
    const response = await call(`${V}/Vendors?$filter=VendorID2%20eq%201`);
    assert.equal(response.status, 400);
    assertErrorShape(response.json(), 400, 'Microsoft.OData.ODataException');
    assert.equal(
      response.json()['ErrorMessage'],
      "Could not find a property named 'VendorID2' on type 'Erp.Tablesets.VendorRow'.",
    );
    const quoted = await call(
      `/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers?$filter=ChangeDate%20ge%20'2026-03-16'`,
    );
    assert.equal(quoted.status, 400);
    assertErrorShape(quoted.json(), 400, 'Microsoft.OData.ODataException');
  });

  it('answers a license shortage with 400 LicenseAccessException in the standard shape', async () => {
    sim.control.licenseErrorNext(1);
    const response = await call(`${V}/Vendors?$top=1`);
    assert.equal(response.status, 400);
    assertErrorShape(response.json(), 400, 'Ice.Common.LicenseAccessException');
    assert.match(String(response.json()['ErrorMessage']), /Maximum users exceeded/);
  });
});

describe('Epicor conformance: TokenResource.svc', () => {
  it('returns {AccessToken, ExpiresIn, TokenType} with an HS256 JWT whose exp/iat are strings', async () => {
    const response = await fetch(`${sim.tenantUrl}/TokenResource.svc/`, {
      method: 'POST',
      headers: { username: 'manager', password: 'manager', Accept: 'application/json' },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['AccessToken', 'ExpiresIn', 'TokenType']);
    assert.equal(body['ExpiresIn'], 3600);
    assert.equal(body['TokenType'], 'Bearer');
    const [header, payload, signature] = String(body['AccessToken']).split('.');
    assert.ok(signature);
    assert.deepEqual(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()), {
      alg: 'HS256',
      typ: 'JWT',
    });
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    assert.equal(typeof claims['exp'], 'string');
    assert.equal(typeof claims['iat'], 'string');
    assert.equal(Number(claims['exp']) - Number(claims['iat']), 3600);
    assert.equal(claims['iss'], 'epicor');
    assert.equal(claims['aud'], 'epicor');
    assert.equal(claims['username'], 'manager');
  });

  it('answers XML <Token><AccessToken>… when JSON is not asked for', async () => {
    const response = await fetch(`${sim.tenantUrl}/TokenResource.svc/`, {
      method: 'POST',
      headers: { username: 'manager', password: 'manager' },
    });
    const xml = await response.text();
    const parsed = new XMLParser().parse(xml) as { Token?: Record<string, unknown> };
    assert.ok(parsed.Token);
    assert.match(String(parsed.Token['AccessToken']), /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(parsed.Token['ExpiresIn'], 3600);
    assert.equal(parsed.Token['TokenType'], 'Bearer');
  });

  it('rejects bad credentials with the invalid-credentials 401', async () => {
    const response = await fetch(`${sim.tenantUrl}/TokenResource.svc/`, {
      method: 'POST',
      headers: { username: 'manager', password: 'nope', Accept: 'application/json' },
    });
    assert.equal(response.status, 401);
    const body = (await response.json()) as Record<string, unknown>;
    assertErrorShape(body, 401, 'System.UnauthorizedAccessException');
    assert.equal(body['ErrorMessage'], 'Invalid username or password.');
  });
});

describe('Epicor conformance: $metadata', () => {
  type Xml = Record<string, unknown>;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) =>
      ['EntityType', 'Property', 'PropertyRef', 'NavigationProperty', 'EntitySet', 'Schema'].includes(name),
  });

  async function entityTypes(service: string, target = sim): Promise<Map<string, Xml>> {
    const response = await call(`/api/v2/odata/EPIC06/${service}/$metadata`, undefined, target);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /xml/);
    const doc = parser.parse(response.body) as Xml;
    const edmx = doc['edmx:Edmx'] as Xml;
    assert.equal(edmx['Version'], '4.0');
    const schemas = (edmx['edmx:DataServices'] as Xml)['Schema'] as Xml[];
    const types = new Map<string, Xml>();
    for (const schema of schemas) {
      for (const type of (schema['EntityType'] as Xml[] | undefined) ?? []) {
        types.set(`${String(schema['Namespace'])}.${String(type['Name'])}`, type);
      }
    }
    return types;
  }

  function properties(type: Xml | undefined): Map<string, string> {
    assert.ok(type);
    return new Map((type['Property'] as Xml[]).map((p) => [String(p['Name']), String(p['Type'])]));
  }

  function keys(type: Xml | undefined): string[] {
    assert.ok(type);
    return ((type['Key'] as Xml)['PropertyRef'] as Xml[]).map((p) => String(p['Name']));
  }

  it('describes VendorRow and VendCntMainRow with Epicor spellings, keys and Edm types', async () => {
    const types = await entityTypes('Erp.BO.VendorSvc');
    const vendor = types.get('Erp.Tablesets.VendorRow');
    assert.deepEqual(keys(vendor), ['Company', 'VendorNum']);
    const v = properties(vendor);
    assert.equal(v.get('ZIP'), 'Edm.String');
    assert.equal(v.get('EMailAddress'), 'Edm.String');
    assert.equal(v.get('VendURL'), 'Edm.String');
    assert.equal(v.get('VendorNum'), 'Edm.Int32');
    assert.equal(v.get('SysRevID'), 'Edm.Int64');
    assert.equal(v.get('SysRowID'), 'Edm.Guid');
    assert.equal(v.get('Inactive'), 'Edm.Boolean');
    assert.equal(v.get('UpdatedOn'), 'Edm.DateTimeOffset');
    assert.ok(!v.has('Zip') && !v.has('ChangeDate'));
    assert.deepEqual(
      ((vendor?.['NavigationProperty'] as Xml[]) ?? []).map((n) => n['Name']),
      ['VendCntMains'],
    );
    const contact = types.get('Erp.Tablesets.VendCntMainRow');
    assert.deepEqual(keys(contact), ['Company', 'VendorNum', 'PurPoint', 'ConNum']);
    const c = properties(contact);
    assert.ok(c.has('EmailAddress') && !c.has('EMailAddress'), 'vendor contacts spell EmailAddress');
    assert.equal(c.get('ChangeDate'), 'Edm.DateTimeOffset');
    assert.ok(!c.has('ChangeTime'));
  });

  it('describes CustomerRow and CustCntRow', async () => {
    const customer = (await entityTypes('Erp.BO.CustomerSvc')).get('Erp.Tablesets.CustomerRow');
    assert.deepEqual(keys(customer), ['Company', 'CustNum']);
    const p = properties(customer);
    for (const name of ['Zip', 'CustURL', 'CustID', 'CustomerType', 'ChangedBy', 'EMailAddress']) {
      assert.equal(p.get(name), 'Edm.String', name);
    }
    assert.equal(p.get('ChangeDate'), 'Edm.DateTimeOffset');
    assert.equal(p.get('ChangeTime'), 'Edm.Int32');
    assert.ok(!p.has('ZIP'));
    const contact = (await entityTypes('Erp.BO.CustCntSvc')).get('Erp.Tablesets.CustCntRow');
    assert.deepEqual(keys(contact), ['Company', 'CustNum', 'ShipToNum', 'ConNum']);
    assert.ok(properties(contact).has('EMailAddress'));
  });

  it('lists exactly the columns a row carries (and UpdatedOn only when configured)', async () => {
    const metadata = properties((await entityTypes('Erp.BO.CustomerSvc')).get('Erp.Tablesets.CustomerRow'));
    const row = (
      (await call('/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers?$top=1')).json()['value'] as Xml[]
    )[0];
    assert.deepEqual(Object.keys(row ?? {}), [...metadata.keys()]);
    const plain = properties(
      (await entityTypes('Erp.BO.VendorSvc', plainSim)).get('Erp.Tablesets.VendorRow'),
    );
    assert.ok(!plain.has('UpdatedOn'));
  });

  it('serves the service document listing the entity sets', async () => {
    const body = (await call(`${V}/`)).json();
    assert.equal(body['@odata.context'], `${sim.tenantUrl}${V}/$metadata`);
    assert.deepEqual(
      (body['value'] as Xml[]).map((s) => s['name']),
      ['Vendors', 'VendCntMains'],
    );
  });
});
