import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { parseEpicorSettings } from '../epicor/settings.js';
import { parseHubSpotConfig } from '../hubspot/config.js';
import { assertSecrets, enabledKinds, epicorSettingsInput, hubSpotConfigInput } from './bridge.js';
import { parseConfig } from './load.js';

const TEXT = `
connections:
  - id: main
    epicor:
      tenantUrl: https://erp.example.com/ERP11PROD
      company: EPIC06
      auth: { kind: token-resource, username: svc, requestStyle: form-password-grant }
      timeZone: America/Chicago
      requestTimeout: 45s
    hubspot:
      tier: enterprise
      limits: { tenSecondLimit: 150, batchSize: 50 }
    streams:
      customerContacts: { enabled: false }
      vendors:
        top: 250
        change:
          strategy: baq
          baqId: ML-Vendors
          keyFields: [{ name: Vendor_VendorNum, type: int }]
          changeField: Calculated_SysRev
          changeFieldType: sys-rev-id
`;

const SECRETS = { 'epicor.apiKey': 'k-SECRET', 'epicor.password': 'p-SECRET', 'hubspot.token': 't-SECRET' };

describe('config bridge', () => {
  const connection = parseConfig(TEXT, { env: {} }).connections[0];
  assert.ok(connection);

  it('builds Epicor client settings the client accepts', () => {
    const settings = parseEpicorSettings(epicorSettingsInput(connection, SECRETS));
    assert.equal(settings.company, 'EPIC06');
    assert.equal(settings.apiKey, 'k-SECRET');
    assert.deepEqual(
      {
        mode: settings.auth.mode,
        requestStyle: 'requestStyle' in settings.auth ? settings.auth.requestStyle : '',
      },
      { mode: 'tokenResource', requestStyle: 'form-password-grant' },
    );
    assert.equal(settings.timeZone, 'America/Chicago');
    assert.equal(settings.requestTimeoutMs, 45_000);
    assert.equal(settings.paging, 'keyset');
    assert.deepEqual(settings.streams.vendor?.change, { strategy: 'sysRevId', field: 'Calculated_SysRev' });
    assert.equal(settings.streams.vendor?.source?.type, 'baq');
    assert.equal(settings.streams.vendor?.pageSize, 250);
    assert.deepEqual(settings.streams.customer?.change, {
      strategy: 'changeDateTime',
      dateField: 'ChangeDate',
      timeField: 'ChangeTime',
    });
    assert.deepEqual(settings.streams.vendorContact?.change, { strategy: 'changeDate', field: 'ChangeDate' });
  });

  it('builds HubSpot client settings the client accepts', () => {
    const config = parseHubSpotConfig(hubSpotConfigInput(connection, SECRETS));
    assert.deepEqual(config.auth, { kind: 'private-app', token: 't-SECRET' });
    assert.equal(config.tier, 'enterprise');
    assert.equal(config.rateLimit.limit, 150);
    assert.equal(config.batchSize, 50);
    assert.equal(config.baseUrl, 'https://api.hubapi.com');
  });

  it('lists enabled streams', () => {
    assert.deepEqual(enabledKinds(connection), ['vendor', 'customer', 'vendorContact']);
  });

  it('names the missing secrets without showing any value', () => {
    assert.throws(
      () => assertSecrets(connection, { 'epicor.apiKey': 'k-SECRET' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.issues, [
          'connection "main": secret epicor.password is not in the credential store',
          'connection "main": secret hubspot.token is not in the credential store',
        ]);
        assert.doesNotMatch(error.message, /SECRET/);
        return true;
      },
    );
  });
});
