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

  it('passes epicor.childFilterCheck through (default true)', () => {
    assert.equal(parseEpicorSettings(epicorSettingsInput(connection, SECRETS)).childFilterCheck, true);
    const off = parseConfig(
      TEXT.replace('requestTimeout: 45s', 'requestTimeout: 45s\n      childFilterCheck: false'),
      {
        env: {},
      },
    ).connections[0];
    assert.ok(off);
    assert.equal(parseEpicorSettings(epicorSettingsInput(off, SECRETS)).childFilterCheck, false);
  });

  it('selects the columns the mapping reads by default, every column for BAQ streams and vendor contacts', () => {
    const settings = parseEpicorSettings(epicorSettingsInput(connection, SECRETS));
    const customer = settings.streams.customer?.select ?? [];
    for (const name of ['Name', 'Zip', 'CustURL', 'CustID']) assert.ok(customer.includes(name), name);
    assert.ok(customer.every((name) => !name.startsWith('@')));
    assert.ok(settings.streams.customerContact?.select?.includes('FirstName'));
    assert.equal(settings.streams.vendor?.select, undefined, 'BAQ stream');
    assert.equal(settings.streams.vendorContact?.select, undefined, 'vendor contacts');
  });

  it('adds user-mapped columns to auto, and honours select: all and an explicit list', () => {
    const text = TEXT.replace('      customerContacts: { enabled: false }\n', '').replace(
      '    streams:\n',
      `    mapping:
      customers: { fields: [{ to: epicor_currency, from: CurrencyCode }] }
    streams:
      customers: { select: all }
      customerContacts: { select: [EMailAddress, Name] }
`,
    );
    const other = parseConfig(text, { env: {} }).connections[0];
    assert.ok(other);
    const settings = parseEpicorSettings(epicorSettingsInput(other, SECRETS));
    assert.equal(settings.streams.customer?.select, undefined);
    assert.deepEqual(settings.streams.customerContact?.select, ['EMailAddress', 'Name']);
    const auto = parseEpicorSettings(
      epicorSettingsInput(
        parseConfig(text.replace('customers: { select: all }', 'customers: {}'), { env: {} })
          .connections[0] ?? other,
        SECRETS,
      ),
    );
    assert.ok(auto.streams.customer?.select?.includes('CurrencyCode'));
  });

  it('reads vendor contacts expanded from vendors with vendor-expand, and refuses it on other streams', () => {
    const expand = (stream: string): string =>
      TEXT.replace(
        'customerContacts: { enabled: false }',
        `${stream}: { change: { strategy: vendor-expand } }`,
      );
    const other = parseConfig(expand('vendorContacts'), { env: {} }).connections[0];
    assert.ok(other);
    const settings = parseEpicorSettings(epicorSettingsInput(other, SECRETS));
    assert.deepEqual(settings.streams.vendorContact?.source, {
      type: 'vendorExpand',
      navigation: 'VendCntMains',
    });
    assert.deepEqual(settings.streams.vendorContact?.change, { strategy: 'full' });
    assert.throws(
      () => parseConfig(expand('customerContacts'), { env: {} }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.issues.some((i) =>
          i.includes(
            'streams.customerContacts.change.strategy: vendor-expand only applies to vendorContacts',
          ),
        ),
    );
  });

  it('rejects an unknown select keyword and an empty list', () => {
    for (const bad of ['some', '[]']) {
      assert.throws(
        () =>
          parseConfig(
            TEXT.replace('customerContacts: { enabled: false }', `customerContacts: { select: ${bad} }`),
            { env: {} },
          ),
        ConfigError,
      );
    }
  });

  it('builds HubSpot client settings the client accepts', () => {
    const config = parseHubSpotConfig(hubSpotConfigInput(connection, SECRETS));
    assert.deepEqual(config.auth, { kind: 'private-app', token: 't-SECRET' });
    assert.equal(config.tier, 'enterprise');
    assert.equal(config.rateLimit.limit, 150);
    assert.equal(config.batchSize, 50);
    assert.equal(config.baseUrl, 'https://api.hubapi.com');
  });

  it("keeps the clients' production retry timing when the config says nothing", () => {
    const epicor = parseEpicorSettings(epicorSettingsInput(connection, SECRETS)).retry;
    assert.deepEqual(
      [epicor.maxAttempts, epicor.baseMs, epicor.maxMs, epicor.maxRetryAfterMs],
      [5, 1_000, 30_000, 120_000],
    );
    assert.deepEqual(epicor.license, { maxAttempts: 6, baseMs: 30_000, maxMs: 480_000 });
    const hubspot = parseHubSpotConfig(hubSpotConfigInput(connection, SECRETS)).retry;
    assert.deepEqual(hubspot, {
      maxRetries: 6,
      maxRateLimitRetries: 10,
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      lockedMinDelayMs: 2_000,
      secondlyDelayMs: 1_000,
      maxRetryAfterMs: 15 * 60_000,
      rateLimitPaddingMs: 100,
    });
  });

  it('passes the configured retry timing to both clients', () => {
    const text = TEXT.replace(
      '      requestTimeout: 45s\n',
      '      requestTimeout: 45s\n      retry: { attempts: 3, baseDelay: 5ms, maxDelay: 20ms, license: { baseDelay: 10ms } }\n',
    ).replace(
      '      tier: enterprise\n',
      '      tier: enterprise\n      retry: { retries: 2, baseDelay: 1ms, maxDelay: 5ms, lockedDelay: 5ms, secondlyDelay: 7 }\n',
    );
    const tuned = parseConfig(text, { env: {} }).connections[0];
    assert.ok(tuned);
    const epicor = parseEpicorSettings(epicorSettingsInput(tuned, SECRETS)).retry;
    assert.deepEqual(
      [epicor.maxAttempts, epicor.baseMs, epicor.maxMs, epicor.maxRetryAfterMs],
      [3, 5, 20, 120_000],
    );
    assert.deepEqual(epicor.license, { maxAttempts: 6, baseMs: 10, maxMs: 480_000 });
    const hubspot = parseHubSpotConfig(hubSpotConfigInput(tuned, SECRETS)).retry;
    assert.deepEqual(
      [hubspot.maxRetries, hubspot.maxRateLimitRetries, hubspot.backoffBaseMs, hubspot.backoffMaxMs],
      [2, 10, 1, 5],
    );
    assert.deepEqual([hubspot.lockedMinDelayMs, hubspot.secondlyDelayMs], [5, 7]);
  });

  it('refuses unknown retry keys and bad durations, with their paths', () => {
    const bad = TEXT.replace(
      '      requestTimeout: 45s\n',
      '      requestTimeout: 45s\n      retry: { attempts: 0, baseDelay: soon, delay: 1s }\n',
    );
    assert.throws(
      () => parseConfig(bad, { env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const text = error.issues.join('\n');
        assert.match(text, /epicor\.retry\.attempts/);
        assert.match(text, /epicor\.retry\.baseDelay/);
        assert.match(text, /epicor\.retry.*delay/);
        return true;
      },
    );
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
