import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { EpicorClient } from './client.js';
import { parseEpicorSettings } from './settings.js';

const base = {
  tenantUrl: 'https://erp.example.com/ERP11PROD',
  company: 'EPIC06',
  apiKey: 'api-key-secret-1',
  auth: { mode: 'basic', username: 'manager', password: 'pw-secret-1' },
};

describe('Epicor settings', () => {
  it('applies documented defaults', () => {
    const s = parseEpicorSettings(base);
    assert.equal(s.requestTimeoutMs, 120_000);
    assert.equal(s.pageSize, 100);
    assert.equal(s.paging, 'keyset');
    assert.equal(s.lastPage, 'short');
    assert.equal(s.timeZone, 'UTC');
    assert.equal(s.allowInsecureHttp, false);
    assert.deepEqual(s.retry, {
      maxAttempts: 5,
      baseMs: 1_000,
      maxMs: 30_000,
      factor: 2,
      maxRetryAfterMs: 120_000,
      license: { maxAttempts: 6, baseMs: 30_000, maxMs: 480_000 },
    });
    assert.ok(Object.isFrozen(s));
    const token = parseEpicorSettings({
      ...base,
      auth: { mode: 'tokenResource', username: 'u', password: 'p' },
    });
    assert.deepEqual(token.auth, {
      mode: 'tokenResource',
      username: 'u',
      password: 'p',
      requestStyle: 'headers',
      tokenPath: 'TokenResource.svc/',
      sendApiKey: true,
    });
    const oauth = parseEpicorSettings({
      ...base,
      auth: {
        mode: 'oauth2',
        tokenUrl: 'https://login.epicor.com/connect/token',
        clientId: 'c',
        clientSecret: 's',
      },
    });
    assert.equal(oauth.auth.mode === 'oauth2' && oauth.auth.scope, 'epicor_erp');
  });

  it('reports every problem at once without echoing secrets', () => {
    try {
      parseEpicorSettings({
        ...base,
        tenantUrl: 'https://erp.example.com/ERP11PROD/api/v2/odata/EPIC06',
        company: '',
        timeZone: 'Mars/Olympus',
        auth: { mode: 'basic', username: 'manager' },
      });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const paths = error.issues.map((i) => i.split(':')[0]);
      assert.deepEqual(paths.sort(), ['auth.password', 'company', 'tenantUrl', 'timeZone'].sort());
      assert.ok(!error.message.includes('api-key-secret-1'));
    }
  });

  it('refuses plain http to a remote host unless allowInsecureHttp is set', () => {
    const remote = parseEpicorSettings({ ...base, tenantUrl: 'http://erp.example.com/ERP' });
    assert.throws(
      () => new EpicorClient(remote),
      (e: Error & { code?: string }) => e.code === 'ERR_CONFIG' && /allowInsecureHttp/.test(e.message),
    );
    const allowed = parseEpicorSettings({
      ...base,
      tenantUrl: 'http://erp.example.com/ERP',
      allowInsecureHttp: true,
    });
    assert.equal(new EpicorClient(allowed).tenantUrl, 'http://erp.example.com/ERP');
    const loopback = parseEpicorSettings({ ...base, tenantUrl: 'http://localhost:8080/ERP/' });
    assert.equal(new EpicorClient(loopback).tenantUrl, 'http://localhost:8080/ERP');
  });

  it('builds v2 URLs with an encoded Company and canonical service casing', () => {
    const client = new EpicorClient(
      parseEpicorSettings({
        ...base,
        company: 'ACME CO',
        streams: { customer: { source: { type: 'entitySet', service: 'erp.bo.customersvc' } } },
      }),
    );
    assert.equal(
      client.urlFor(client.stream('customer').path, { $top: 1 }),
      'https://erp.example.com/ERP11PROD/api/v2/odata/ACME%20CO/Erp.BO.customersvc/Customers?$top=1',
    );
    assert.equal(client.stream('vendor').path, 'Erp.BO.VendorSvc/Vendors');
    assert.equal(client.stream('vendorContact').path, 'Erp.BO.VendorSvc/VendCntMains');
    assert.equal(client.stream('customerContact').path, 'Erp.BO.CustCntSvc/CustCnts');
  });
});
