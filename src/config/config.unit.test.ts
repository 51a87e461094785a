import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { createMapper } from '../sync/mapping/index.js';
import { loadConfig, parseConfig } from './load.js';
import { isSecretKey, requiredSecrets } from './secrets.js';
import { defaultConfigText, demoConfig } from './template.js';

const MINIMAL = `
connections:
  - id: main
    epicor:
      tenantUrl: https://erp.example.com/ERP11PROD
      company: EPIC06
      auth: { kind: basic, username: svc }
`;

function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_CONFIG');
    return error.issues;
  }
  assert.fail('expected a ConfigError');
}

const parse = (text: string, env: Record<string, string> = {}) =>
  parseConfig(text, { env, cwd: '/work/cwd' });

describe('parseConfig: defaults', () => {
  it('fills every documented default from a minimal file', () => {
    const config = parse(MINIMAL);
    assert.equal(config.dataDir, '/work/cwd/.data');
    assert.deepEqual(config.store, { kind: 'sqlite', path: '/work/cwd/.data/ml-connector.db' });
    assert.equal(config.keyFile, '/work/cwd/.data/master.key');
    assert.equal(config.log.level, 'info');
    const [c] = config.connections;
    assert.ok(c);
    assert.equal(c.name, 'main');
    assert.deepEqual(c.epicor, {
      tenantUrl: 'https://erp.example.com/ERP11PROD',
      company: 'EPIC06',
      auth: { kind: 'basic', username: 'svc' },
      timeZone: 'UTC',
      requestTimeout: 120_000,
      retry: {},
      allowInsecureHttp: false,
      childFilterCheck: true,
    });
    assert.equal(c.hubspot.baseUrl, 'https://api.hubapi.com');
    assert.deepEqual(c.hubspot.auth, { kind: 'private-app' });
    assert.equal(c.hubspot.tier, 'professional');
    assert.deepEqual(c.streams.vendors, {
      enabled: true,
      change: { strategy: 'sys-rev-id', field: 'SysRevID' },
      top: 100,
      paging: 'keyset',
      lookbackMinutes: 0,
      select: 'auto',
    });
    assert.deepEqual(c.streams.vendorContacts.change, { strategy: 'change-date', field: 'ChangeDate' });
    assert.deepEqual(c.streams.customers.change, {
      strategy: 'change-date-time',
      dateField: 'ChangeDate',
      timeField: 'ChangeTime',
    });
    assert.deepEqual(c.mapping, {});
    assert.deepEqual(c.schedule, { kind: 'interval', everyMs: 900_000, text: '15m' });
    assert.deepEqual(c.alerts, {
      format: 'slack',
      dedupeWindow: '1h',
      consecutiveFailures: 3,
      onRunFailure: true,
    });
  });

  it('deep-freezes the result', () => {
    const config = parse(MINIMAL);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.connections[0]?.epicor.auth));
    assert.throws(() => {
      (config.log as { level: string }).level = 'debug';
    }, TypeError);
  });

  it('treats an empty YAML value as "not given"', () => {
    const c = parse(`${MINIMAL}    hubspot:\n    mapping:\nstore:\n`);
    assert.equal(c.connections[0]?.hubspot.tier, 'professional');
    assert.equal(c.store.kind, 'sqlite');
  });
});

describe('parseConfig: templates', () => {
  it('the commented default config parses to the documented defaults', () => {
    const text = defaultConfigText();
    assert.match(text, /^# ml-connector configuration/);
    const fromTemplate = parse(text).connections[0];
    const fromMinimal = parse(MINIMAL.replace('username: svc', 'username: integration')).connections[0];
    assert.ok(fromTemplate && fromMinimal);
    assert.deepEqual(fromTemplate.epicor, fromMinimal.epicor);
    assert.deepEqual(fromTemplate.hubspot, fromMinimal.hubspot);
    assert.deepEqual(fromTemplate.streams, fromMinimal.streams);
    assert.deepEqual(fromTemplate.schedule, fromMinimal.schedule);
    assert.deepEqual(fromTemplate.alerts, fromMinimal.alerts);
    // The template spells out every rule at its default.
    assert.deepEqual(fromTemplate.mapping.rules, {
      invalidEmail: 'drop',
      tooLong: 'truncate',
      invalidOption: 'set-aside',
      invalidNumber: 'drop',
      invalidDate: 'drop',
    });
  });

  it('the demo config points at the simulators over loopback http', () => {
    const text = demoConfig({
      epicorUrl: 'http://127.0.0.1:8081',
      hubspotUrl: 'http://127.0.0.1:8082',
      dataDir: '/tmp/demo "quoted" dir',
    });
    const config = parse(text);
    assert.equal(config.dataDir, '/tmp/demo "quoted" dir');
    const c = config.connections[0];
    assert.equal(c?.epicor.tenantUrl, 'http://127.0.0.1:8081');
    assert.equal(c?.hubspot.baseUrl, 'http://127.0.0.1:8082');
    assert.deepEqual(c?.schedule, { kind: 'interval', everyMs: 60_000, text: '1m' });
  });
});

describe('parseConfig: errors', () => {
  const BAD = `
typo: 1
connections:
  - id: Bad_Id
    epicor:
      tenantUrl: http://erp.example.com/ERP/api/v2/odata
      auth: { kind: basic, password: hunter2-SECRET }
      apiKey: SECRET-api-key
      timeZone: Mars/Olympus
    hubspot: { tier: gold, privateAppToken: pat-SECRET }
    streams:
      vendors: { change: { strategy: updated-on }, top: 0 }
    mapping:
      vendors:
        fields:
          - to: Name
            transform: [reverse, 'truncate:x']
          - to: epicor_source_id
            from: VendorID
          - to: epicor_tier
            type: enumeration
      customers:
        classification: { property: lifecyclestage }
    schedule: { cron: "61 * * * *" }
  - id: main
    epicor: { tenantUrl: https://a.example.com/X, company: C, auth: { kind: oauth2, tokenUrl: https://login.example.com/t } }
  - id: main
    epicor: { tenantUrl: https://a.example.com/X, company: C, auth: { kind: basic, username: u } }
`;

  it('reports every problem at once, each with its path', () => {
    const issues = issuesOf(() => parse(BAD, { ML_CONNECTOR_LOG_LEVEL: 'loud' }));
    const expected = [
      'connections[0].epicor.auth.password: secrets must not be in the config file',
      'connections[0].epicor.apiKey: secrets must not be in the config file',
      'connections[0].hubspot.privateAppToken: secrets must not be in the config file',
      'log.level: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (from ML_CONNECTOR_LOG_LEVEL)',
      'typo: unknown key',
      'connections[0].id: a slug',
      'connections[0].epicor.company: Required',
      'connections[0].epicor.auth.username: Required',
      'connections[0].epicor.timeZone: not an IANA time zone',
      'connections[0].hubspot.tier: Invalid option',
      'connections[0].streams.vendors.change.field: Required',
      'connections[0].streams.vendors.top: Too small',
      'connections[0].mapping.vendors.fields[0].to: a HubSpot internal property name',
      'connections[0].mapping.vendors.fields[0].transform[0]: unknown transform "reverse"',
      'connections[0].mapping.vendors.fields[0].transform[1]: "truncate" needs a positive whole number',
      'connections[0].mapping.vendors.fields[1].to: epicor_source_id is the upsert key',
      'connections[0].mapping.vendors.fields[2].from: Required',
      'connections[0].mapping.vendors.fields[2].options: an enumeration property the connector creates needs its options',
      'connections[0].mapping.customers.classification.value: Required',
      'connections[0].schedule.cron: "61 * * * *" is not a valid cron expression',
      'connections[1].epicor.auth.clientId: Required',
      'connections[2].id: "main" is used by another connection',
    ];
    for (const prefix of expected) {
      assert.ok(
        issues.some((i) => i.startsWith(prefix)),
        `missing issue starting "${prefix}" in:\n${issues.join('\n')}`,
      );
    }
  });

  it('never repeats a secret value', () => {
    try {
      parse(BAD);
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.doesNotMatch(error.message, /SECRET/);
      assert.doesNotMatch(error.issues.join('\n'), /SECRET/);
    }
  });

  it('checks URLs: no credentials, https except to loopback, no /api/v2 in the tenant URL', () => {
    const c = (epicor: string, hubspot = '') =>
      `connections:\n  - id: x\n    epicor: { company: C, auth: { kind: basic, username: u }, ${epicor} }\n${hubspot}`;
    assert.deepEqual(
      issuesOf(() => parse(c('tenantUrl: "http://erp.example.com/ERP"'))),
      [
        'connections[0].epicor.tenantUrl: plain http is only allowed to loopback hosts; use https or set allowInsecureHttp: true',
      ],
    );
    parse(c('tenantUrl: "http://erp.example.com/ERP", allowInsecureHttp: true'));
    parse(c('tenantUrl: "http://localhost:8081"'));
    assert.match(
      issuesOf(() => parse(c('tenantUrl: "https://u:p-SECRET@erp.example.com/ERP"')))[0] ?? '',
      /^connections\[0\]\.epicor\.tenantUrl: must not contain a user name or password/,
    );
    assert.match(
      issuesOf(() => parse(c('tenantUrl: "https://erp.example.com/ERP/api/v2/odata/EPIC06"')))[0] ?? '',
      /drop "\/api\/v2/,
    );
    assert.match(
      issuesOf(() =>
        parse(c('tenantUrl: "https://e.example.com/X"', '    hubspot: { baseUrl: "http://hs.example.com" }')),
      )[0] ?? '',
      /^connections\[0\]\.hubspot\.baseUrl: plain http/,
    );
  });

  it('reports YAML syntax errors with their line and without quoting the source', () => {
    const issues = issuesOf(() => parse('connections:\n  - id: a\n  - id: b\n password: "hunter2-SECRET'));
    assert.ok(issues.length > 0);
    assert.match(issues[0] ?? '', /^YAML line \d+, column \d+: /);
    assert.doesNotMatch(issues.join('\n'), /SECRET/);
    assert.match(
      issuesOf(() => parse('a: 1\na: 2\n'))[0] ?? '',
      /^YAML line 2, column 1: Map keys must be unique/,
    );
  });

  it('refuses a root that is not a mapping and an empty connection list', () => {
    assert.deepEqual(
      issuesOf(() => parse('- 1\n- 2\n')),
      ['(root): expected a mapping of keys (dataDir, store, connections, …)'],
    );
    assert.deepEqual(
      issuesOf(() => parse('')),
      ['connections: Required'],
    );
    assert.deepEqual(
      issuesOf(() => parse('connections: []')),
      ['connections: add at least one connection'],
    );
  });

  it('refuses a password in a file postgres URL and both store kinds at once', () => {
    assert.deepEqual(
      issuesOf(() => parse(`${MINIMAL}store: { postgresUrl: "postgres://ml:pw-SECRET@db/ml" }\n`)),
      ['store.postgresUrl: must not contain a password; set PGPASSWORD or ML_CONNECTOR_DATABASE_URL instead'],
    );
    assert.deepEqual(
      issuesOf(() => parse(`${MINIMAL}store: { postgresUrl: "postgres://db/ml", sqlitePath: a.db }\n`)),
      ['store: give sqlitePath or postgresUrl, not both'],
    );
  });

  it('passes the SQLite cache size through and refuses one out of range', () => {
    const store = parse(`${MINIMAL}store: { sqliteCacheMb: 32 }\n`).store;
    assert.equal(store.kind === 'sqlite' ? store.cacheMb : undefined, 32);
    const fallback = parse(MINIMAL).store;
    assert.equal(fallback.kind === 'sqlite' ? fallback.cacheMb : 'postgres', undefined);
    assert.equal(issuesOf(() => parse(`${MINIMAL}store: { sqliteCacheMb: 0 }\n`)).length, 1);
    assert.match(
      issuesOf(() => parse(`${MINIMAL}store: { sqliteCacheMb: 0 }\n`))[0] ?? '',
      /^store\.sqliteCacheMb: /,
    );
  });
});

describe('parseConfig: environment', () => {
  it('lets the documented variables override the file', () => {
    const text = `${MINIMAL}dataDir: /from/file\nkeyFile: /from/file/key\nlog: { level: warn }\nstore: { sqlitePath: /from/file/db.sqlite }\n`;
    const config = parse(text, {
      ML_CONNECTOR_DATA_DIR: 'rel/data',
      ML_CONNECTOR_DATABASE_URL: 'postgres://ml:pw@db.example.com:5432/ml',
      ML_CONNECTOR_KEY_FILE: '/secure/master.key',
      ML_CONNECTOR_LOG_LEVEL: 'debug',
    });
    assert.equal(config.dataDir, '/work/cwd/rel/data');
    assert.deepEqual(config.store, { kind: 'postgres', url: 'postgres://ml:pw@db.example.com:5432/ml' });
    assert.equal(config.keyFile, '/secure/master.key');
    assert.equal(config.log.level, 'debug');
  });

  it('reads sqlite:PATH relative to the working directory and ignores empty variables', () => {
    const config = parse(MINIMAL, {
      ML_CONNECTOR_DATABASE_URL: 'sqlite:state/x.db',
      ML_CONNECTOR_DATA_DIR: ' ',
    });
    assert.deepEqual(config.store, { kind: 'sqlite', path: '/work/cwd/state/x.db' });
    assert.equal(config.dataDir, '/work/cwd/.data');
    assert.deepEqual(
      issuesOf(() => parse(MINIMAL, { ML_CONNECTOR_DATABASE_URL: 'mysql://x' })),
      ['ML_CONNECTOR_DATABASE_URL: expected postgres://…, postgresql://… or sqlite:PATH'],
    );
  });
});

describe('loadConfig', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads relative file paths from the file’s folder', async () => {
    const path = join(dir, 'ml-connector.yaml');
    await writeFile(path, `${MINIMAL}dataDir: ./state\n`);
    const config = await loadConfig(path, {});
    assert.equal(config.dataDir, join(dir, 'state'));
    assert.equal(config.keyFile, join(dir, 'state', 'master.key'));
  });

  it('says how to create a missing file', async () => {
    await assert.rejects(loadConfig(join(dir, 'missing.yaml'), {}), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.issues[0] ?? '',
        /missing\.yaml: cannot read the config file: ENOENT \(create one with `ml-connector init`\)/,
      );
      return true;
    });
  });
});

describe('mapping block', () => {
  const withMapping = (mapping: string) =>
    parse(`${MINIMAL}    mapping:\n${mapping.replace(/^/gm, '      ')}\n`).connections[0]?.mapping ?? {};

  it('parses every transform spelling and feeds the mapper', () => {
    const mapping = withMapping(`
rules: { invalidEmail: set-aside }
nameMaxLength: 100
vendors:
  drop: [phone]
  fields:
    - to: epicor_week1_payment
      from: Week1Pymt_c
      type: number
    - to: description
      from: [Address3, GroupCode]
      combine: join
      separator: " / "
      transform: [trim, { truncate: 30 }, uppercase]
    - to: type
      transform: { constant: PARTNER }
    - to: epicor_tier
      from: Tier_c
      options: [A, B]
      transform: { map: { "1": A, "2": B } }
customers:
  classification: { property: lifecyclestage, value: customer }
`);
    assert.deepEqual(mapping.vendors?.fields?.[1], {
      to: 'description',
      from: ['Address3', 'GroupCode'],
      combine: 'join',
      separator: ' / ',
      transforms: [{ op: 'trim' }, { op: 'truncate', length: 30 }, { op: 'uppercase' }],
    });
    assert.deepEqual(mapping.vendors?.fields?.[3], {
      to: 'epicor_tier',
      from: ['Tier_c'],
      transforms: [{ op: 'map', values: { '1': 'A', '2': 'B' } }],
      type: 'enumeration',
      options: ['A', 'B'],
    });
    const mapper = createMapper({ company: 'EPIC06', mapping });
    const result = mapper.map({
      kind: 'vendor',
      key: '7',
      position: { value: '1', key: '7' },
      fields: {
        Name: 'Ünïcode 🚚',
        PhoneNum: '1',
        Week1Pymt_c: 12.5,
        Address3: 'floor 2',
        GroupCode: 'g1',
        Tier_c: 2,
      },
    });
    assert.ok(result.ok);
    assert.equal(result.record.properties['epicor_week1_payment'], '12.5');
    assert.equal(result.record.properties['description'], 'FLOOR 2 / G1');
    assert.equal(result.record.properties['type'], 'PARTNER');
    assert.equal(result.record.properties['epicor_tier'], 'B');
    assert.equal('phone' in result.record.properties, false);
    const customer = mapper.map({
      kind: 'customer',
      key: '1',
      position: { value: '1', key: '1' },
      fields: {},
    });
    assert.ok(customer.ok);
    assert.equal(customer.record.properties['lifecyclestage'], 'customer');
  });

  it('refuses unknown derived fields, bad field names and a target mapped twice', () => {
    const issues = issuesOf(() =>
      withMapping(`
vendors:
  fields:
    - { to: a, from: "@Nope" }
    - { to: b, from: "Bad Field" }
    - { to: c, from: X }
    - { to: c, from: Y }
    - { to: d, from: X, transform: [{ truncate: 3, constant: x }] }
`),
    );
    const p = 'connections[0].mapping.vendors';
    assert.ok(
      issues.some((i) => i.startsWith(`${p}.fields[0].from[0]: derived fields are @SourceId`)),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => i.startsWith(`${p}.fields[1].from[0]: an Epicor field name`)),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => i.startsWith(`${p}.fields[3].to: "c" is mapped twice`)),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => i.startsWith(`${p}.fields[4].transform[0]: give exactly one transform`)),
      issues.join('\n'),
    );
  });
});

describe('schedule block', () => {
  it('accepts cron with a time zone and refuses an unknown zone', () => {
    const cron = parse(`${MINIMAL}    schedule: { cron: "*/15 7-19 * * 1-5", timezone: Europe/Zurich }\n`);
    assert.deepEqual(cron.connections[0]?.schedule, {
      kind: 'cron',
      expression: '*/15 7-19 * * 1-5',
      timezone: 'Europe/Zurich',
    });
    const issues = issuesOf(() =>
      parse(`${MINIMAL}    schedule: { cron: "0 * * * *", timezone: Mars/Base }\n`),
    );
    assert.match(issues[0] ?? '', /^connections\[0\]\.schedule\.timezone: unknown time zone/);
  });
});

describe('secrets', () => {
  it('recognises secret-looking keys but not the settings next to them', () => {
    for (const key of [
      'password',
      'Password',
      'api_key',
      'apiKey',
      'clientSecret',
      'refresh-token',
      'token',
      'pwd',
      'privateKey',
    ]) {
      assert.ok(isSecretKey(key), key);
    }
    for (const key of ['tokenUrl', 'tokenPath', 'keyFile', 'username', 'clientId', 'tenantUrl']) {
      assert.equal(isSecretKey(key), false, key);
    }
  });

  it('lists the secrets a connection needs in the store', () => {
    const c = parse(MINIMAL).connections[0];
    assert.ok(c);
    assert.deepEqual(requiredSecrets(c), ['epicor.apiKey', 'epicor.password', 'hubspot.token']);
    const oauth = parse(`
connections:
  - id: o
    epicor: { tenantUrl: https://e.example.com/X, company: C, auth: { kind: oauth2, tokenUrl: https://login.example.com/t, clientId: id } }
    hubspot: { auth: { kind: oauth, clientId: hs } }
`).connections[0];
    assert.ok(oauth);
    assert.deepEqual(requiredSecrets(oauth), [
      'epicor.apiKey',
      'epicor.clientSecret',
      'hubspot.clientSecret',
      'hubspot.refreshToken',
    ]);
  });
});
