/**
 * ping's `$select` column check against the Epicor simulator playing a tenant that lacks columns. The
 * settings go through the real config path (YAML → `epicorSettingsInput` → `select: auto` from the
 * mapping), and the first test shows the failure is real: the same settings make a sync read fail with 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from '../../../sim/epicor/index.js';
import { enabledKinds, epicorSettingsInput, parseConfig } from '../../config/index.js';
import { ManualClock } from '../../core/manual-clock.js';
import {
  type ConnectionReport,
  checkConnection,
  createEpicorClient,
  type EpicorClient,
  EpicorError,
  parseEpicorSettings,
} from '../../epicor/index.js';
import { epicorChecks } from './epicor.js';
import { SELECT_COLUMNS_CODE } from './select-columns.js';
import { failed, type PingCheck } from './types.js';

let sim: EpicorSimulator;

before(async () => {
  sim = await startEpicorSimulator({
    vendors: 6,
    customers: 6,
    timeZone: 'UTC',
    missingColumns: { Vendors: ['ZIP', 'Week1Pymt_c'] },
  });
});

after(async () => {
  await sim.close();
});

/** A connection whose `streams:` / `mapping:` blocks are given as YAML lines (indented under the key). */
function connectionFor(streams: string, mapping = '') {
  const text = `
connections:
  - id: main
    epicor:
      tenantUrl: ${JSON.stringify(sim.tenantUrl)}
      company: EPIC06
      auth: { kind: basic, username: manager }
      timeZone: UTC
      allowInsecureHttp: true
    hubspot:
      tier: professional
${streams === '' ? '' : `    streams:\n${streams}\n`}${mapping === '' ? '' : `    mapping:\n${mapping}\n`}`;
  const connection = parseConfig(text, { env: {} }).connections[0];
  assert.ok(connection);
  return connection;
}

const SECRETS = { 'epicor.apiKey': 'sim-api-key', 'epicor.password': 'manager', 'hubspot.token': 't' };

async function ping(
  streams: string,
  mapping = '',
): Promise<{ report: ConnectionReport; checks: PingCheck[]; client: EpicorClient }> {
  const connection = connectionFor(streams, mapping);
  const client = createEpicorClient(parseEpicorSettings(epicorSettingsInput(connection, SECRETS)), {
    clock: new ManualClock(),
  });
  const report = await checkConnection(client, { kinds: enabledKinds(connection) });
  const checks = epicorChecks(report, 'main', { mapping: connection.mapping });
  return { report, checks, client };
}

const line = (checks: readonly PingCheck[], name: string): PingCheck => {
  const found = checks.find((c) => c.name === name);
  assert.ok(found, `${name} in ${JSON.stringify(checks.map((c) => c.name))}`);
  return found;
};

describe('ping: $select columns the tenant lacks', () => {
  it('fails select:vendors naming ZIP, the property read from it and the three fixes', async () => {
    const { report, checks, client } = await ping('');
    const select = line(checks, 'select:vendors');
    assert.equal(select.status, 'fail', JSON.stringify(select));
    assert.equal(select.code, SELECT_COLUMNS_CODE);
    assert.match(select.message, /Erp\.BO\.VendorSvc\/Vendors has no ZIP \(per \$metadata\)/);
    assert.match(select.message, /HTTP 400/);
    assert.match(select.fix ?? '', /ZIP is read for zip \(default mapping\)/);
    assert.match(select.fix ?? '', /mapping\.vendors\.drop: \[zip\]/);
    assert.match(select.fix ?? '', /streams\.vendors\.select: all/);
    assert.match(select.fix ?? '', /`from`/);
    // Only this check fails: the stream itself was read, and the other streams' columns all exist.
    assert.equal(line(checks, 'stream:vendors').status, 'pass');
    assert.deepEqual(
      checks.filter((c) => c.status === 'fail').map((c) => c.name),
      ['select:vendors'],
    );
    assert.equal(failed(checks), 1);
    assert.equal(report.ok, false);
    assert.equal(report.entities.find((e) => e.kind === 'vendor')?.ok, false);
    assert.deepEqual(report.entities.find((e) => e.kind === 'vendor')?.select?.missing, ['ZIP']);
    for (const key of ['customers', 'customerContacts']) {
      assert.equal(line(checks, `select:${key}`).status, 'pass', key);
      assert.match(line(checks, `select:${key}`).message, /all \d+ \$select columns exist/);
    }
    // vendorContacts read every column under auto (no $select): nothing to check, a pass.
    assert.match(line(checks, 'select:vendorContacts').message, /no \$select/);
    // The check is not hypothetical: a sync read with the same settings is refused.
    await assert.rejects(
      async () => {
        for await (const _ of client.scan('vendor')) {
          // the first page already fails
        }
      },
      (error: unknown) =>
        error instanceof EpicorError &&
        error.status === 400 &&
        /Could not find a property named 'ZIP'/.test(error.message),
    );
  });

  it('passes with select: all for that stream, and with the field dropped', async () => {
    const all = await ping('      vendors: { select: all }');
    assert.equal(line(all.checks, 'select:vendors').status, 'pass');
    assert.match(line(all.checks, 'select:vendors').message, /no \$select: every column/);
    assert.equal(failed(all.checks), 0, JSON.stringify(all.checks.filter((c) => c.status === 'fail')));
    assert.equal(all.report.ok, true);

    const dropped = await ping('', '      vendors: { drop: [zip] }');
    assert.equal(line(dropped.checks, 'select:vendors').status, 'pass');
    assert.equal(failed(dropped.checks), 0);
  });

  it('checks user-mapped UD columns and explicit select lists, with a case hint', async () => {
    const { checks } = await ping(
      '      customers: { select: [Name, ZIP] }',
      [
        '      vendors:',
        '        drop: [zip]',
        '        fields:',
        '          - { to: epicor_week1_payment, from: Week1Pymt_c, type: number }',
        '          - { to: epicor_week2_payment, from: Week2Pymt_c, type: number }',
      ].join('\n'),
    );
    const vendors = line(checks, 'select:vendors');
    assert.equal(vendors.status, 'fail');
    assert.match(vendors.message, /has no Week1Pymt_c \(/);
    assert.doesNotMatch(vendors.message, /Week2Pymt_c/);
    assert.match(
      vendors.fix ?? '',
      /Week1Pymt_c is read for epicor_week1_payment \(mapping\.vendors\.fields\)/,
    );
    assert.match(vendors.fix ?? '', /drop: \[epicor_week1_payment\]/);
    const customers = line(checks, 'select:customers');
    assert.equal(customers.status, 'fail');
    assert.match(customers.message, /has no ZIP .*\(ZIP: the entity has Zip\)/);
    assert.match(customers.fix ?? '', /streams\.customers\.select list/);
  });

  it('says the check was skipped (a warning, not a pass) when $metadata cannot be read', async () => {
    const stop = sim.control.onDataRequest((_n, request) => {
      if (request.path.includes('Erp.BO.VendorSvc/$metadata')) sim.control.failNext(1);
    });
    try {
      const { checks, report } = await ping('');
      const select = line(checks, 'select:vendors');
      assert.equal(select.status, 'warn');
      assert.match(select.message, /not checked: could not read Erp\.BO\.VendorSvc\/\$metadata/);
      assert.match(select.fix ?? '', /select: all/);
      assert.equal(report.entities.find((e) => e.kind === 'vendor')?.select?.status, 'skipped');
      assert.equal(line(checks, 'select:customers').status, 'pass');
    } finally {
      stop();
    }
  });
});
