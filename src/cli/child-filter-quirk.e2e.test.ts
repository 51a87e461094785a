/**
 * The child entity-set `$filter` quirk (reference §3.5, UNCONFIRMED for VendCntMains) played by the
 * Epicor simulator, against the real CLI and clients over loopback:
 * - `ping` warns and recommends `vendor-expand` in both quirk modes, and says nothing without the quirk;
 * - a sync with the default vendor-contact source (`Erp.BO.VendorSvc/VendCntMains`, keyset-paged by
 *   ChangeDate) fails that stream with ERR_EPICOR_CHILD_FILTER (exit 5) before writing a contact, the
 *   message naming the quirk and the fix, in both modes; vendors, customers and customer contacts sync;
 * - with `streams.vendorContacts.change: { strategy: vendor-expand }` in the config file, ping is quiet
 *   and a sync brings every vendor contact to HubSpot, associated;
 * - without the quirk (a world of its own) the probe costs one request on the first sync and none on a
 *   later, no-change sync.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { ChildFilterQuirkMode } from '../../sim/epicor/index.js';
import type { PingCheck } from './checks/types.js';
import { E2EWorld } from './testing/e2e.js';

const QUIRK_WARNING = /child entity-set quirk/;
const LOUD_EMPTY =
  /^Erp\.BO\.VendorSvc\/VendCntMains returned nothing when filtered by its own key although the row exists \(the child entity-set quirk\): vendor contacts would be silently missed\. Set streams\.vendorContacts\.change: \{ strategy: vendor-expand \} \(see docs\/configuration\.md\)/;

interface PingJson {
  readonly connections: readonly { readonly epicor: { readonly checks: readonly PingCheck[] } }[];
}

describe('child entity-set $filter quirk on VendCntMains (CLI ↔ Epicor simulator ↔ HubSpot simulator)', () => {
  let world: E2EWorld;
  before(async () => {
    world = await E2EWorld.start({ vendors: 30, customers: 4, top: 10 });
  });
  after(async () => {
    await world?.close();
  });

  const setQuirk = (mode: ChildFilterQuirkMode | undefined): void =>
    world.epicor.control.setChildFilterQuirk(
      mode === undefined ? undefined : { entitySets: ['VendCntMains'], mode },
    );

  async function pingVendorContactWarnings(): Promise<PingCheck[]> {
    const result = await world.cli('--json', 'ping');
    const json = JSON.parse(result.stdout) as PingJson;
    const checks = json.connections[0]?.epicor.checks ?? [];
    assert.ok(checks.length > 0, result.stderr);
    return checks.filter((c) => c.name === 'stream:vendorContacts' && c.status === 'warn');
  }

  /** Switches the vendor-contact stream in the config file to reading contacts expanded from vendors. */
  async function useVendorExpand(): Promise<void> {
    const text = await readFile(world.configPath, 'utf8');
    const line = /^( *vendorContacts: \{ )/m;
    assert.match(text, line);
    await writeFile(world.configPath, text.replace(line, '$1change: { strategy: vendor-expand }, '));
  }

  const missingVendorContacts = (): string[] =>
    world.differences().filter((d) => /^contact \S+:vendor-contact:\S+ missing in HubSpot$/.test(d));

  it('ping without the quirk: no child-filter warning (the probe finds the contact)', async () => {
    setQuirk(undefined);
    const warnings = await pingVendorContactWarnings();
    assert.deepEqual(
      warnings.filter((w) => QUIRK_WARNING.test(w.message)),
      [],
      JSON.stringify(warnings),
    );
    assert.ok(
      warnings.every((w) => !/timeZone/.test(w.message)),
      'and no time-zone warning either',
    );
  });

  for (const mode of ['empty', 'error'] as const) {
    it(`ping with the quirk in mode '${mode}': warns and recommends vendorExpand, and nothing else`, async () => {
      setQuirk(mode);
      const warnings = await pingVendorContactWarnings();
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      const [warning] = warnings;
      assert.match(warning?.message ?? '', QUIRK_WARNING);
      assert.match(warning?.message ?? '', /strategy: vendor-expand/);
      if (mode === 'error') assert.match(warning?.message ?? '', /rejected/);
      else assert.match(warning?.message ?? '', /returned nothing/);
    });
  }

  let total = 0;
  const FAILED = 5; // docs/cli.md: a failed run exits 5 (3 only when a system refused the credentials)

  it("default source, mode 'empty': the run fails loudly with the fix, and every other stream still syncs", async () => {
    setQuirk('empty');
    const { contacts } = world.expected();
    total = [...contacts.values()].filter((c) => c.kind === 'vendorContact').length;
    assert.ok(total > 20, `the data set has vendor contacts (${total})`);

    const first = await world.cliJson('sync');
    assert.equal(first.result.code, FAILED, first.result.stderr);
    assert.equal(first.json.status, 'failed');
    assert.equal(first.json.exitCode, FAILED);
    assert.equal(first.json.errorCode, 'ERR_EPICOR_CHILD_FILTER');
    assert.match(first.json.error?.message ?? '', LOUD_EMPTY);
    assert.equal(
      first.json.streams['vendorContact']?.['created'] ?? 0,
      0,
      'stopped before page 1 was written',
    );
    assert.equal(missingVendorContacts().length, total);
    const others = world.differences().filter((d) => !missingVendorContacts().includes(d));
    assert.deepEqual(others, [], 'vendors, customers and customer contacts are complete');

    // A contact added since; the next run (human output) fails again, just as loudly.
    world.epicor.control.insert('VendCntMains', {
      VendorNum: Number(world.epicor.control.list('Vendors')[0]?.['VendorNum']),
      Name: 'Late Addition',
      FirstName: 'Late',
      LastName: 'Addition',
      EmailAddress: 'late.addition@example.com',
    });
    const second = await world.cli('sync');
    assert.equal(second.code, FAILED, second.stderr);
    assert.match(second.stdout, /sync of connection "main" failed/);
    assert.match(
      second.stdout,
      /error\[ERR_EPICOR_CHILD_FILTER\]: Erp\.BO\.VendorSvc\/VendCntMains returned nothing/,
    );
    assert.match(
      second.stdout,
      /streams\.vendorContacts\.change: \{ strategy: vendor-expand \} \(see docs\/configuration\.md\)/,
    );
    assert.match(second.stdout, /there is nothing to replay\. Change the config as the error says/);
    assert.doesNotMatch(second.stdout, /replay --failed/);
    assert.equal(missingVendorContacts().length, total + 1);
  });

  it("default source, mode 'error': the vendor-contact stream fails, naming Epicor's 400 and the fix", async () => {
    setQuirk('error');
    const { result, json } = await world.cliJson('sync');
    assert.equal(result.code, FAILED, result.stderr);
    assert.equal(json.status, 'failed');
    assert.equal(json.errorCode, 'ERR_EPICOR_CHILD_FILTER');
    const message = json.error?.message ?? '';
    assert.match(message, /rejected a filter on its own key/);
    assert.match(message, /Could not find a property named 'ConNum' on type 'Erp\.Tablesets\.VendorRow'/);
    assert.match(message, /strategy: vendor-expand/);
    assert.equal(missingVendorContacts().length, total + 1);
  });

  it('vendor-expand in the config file: ping is quiet, and every vendor contact reaches HubSpot, associated', async () => {
    setQuirk('empty');
    await useVendorExpand();
    assert.deepEqual(await pingVendorContactWarnings(), [], 'no warning once the advice is followed');

    const run = await world.cliJson('sync');
    assert.equal(run.result.code, 0, run.result.stderr);
    assert.equal(run.json.status, 'succeeded');
    assert.equal(run.json.streams['vendorContact']?.['created'], total + 1);
    assert.deepEqual(world.differences(), [], 'HubSpot equals Epicor, associations included');

    // And it keeps working: a change to a contact is picked up by the next expanded (full) read.
    const contact = world.epicor.control.list('VendCntMains')[3];
    assert.ok(contact);
    world.epicor.control.update(
      'VendCntMains',
      { VendorNum: Number(contact['VendorNum']), PurPoint: '', ConNum: Number(contact['ConNum']) },
      { PhoneNum: '+1 555 0100' },
    );
    setQuirk('error');
    const again = await world.cliJson('sync');
    assert.equal(again.result.code, 0, again.result.stderr);
    assert.equal(again.json.streams['vendorContact']?.['updated'], 1);
    assert.deepEqual(world.differences(), []);
  });
});

describe('child entity-set probe without the quirk (CLI ↔ Epicor simulator ↔ HubSpot simulator)', () => {
  let world: E2EWorld;
  before(async () => {
    world = await E2EWorld.start({ vendors: 30, customers: 4, top: 10, seed: 3 });
  });
  after(async () => {
    await world?.close();
  });

  /** Requests the probe makes: `$top=1` on the child set (sync pages ask for `$top=10`). */
  const probeRequests = (): number =>
    world.epicor.control
      .requestLog()
      .filter((r) => r.path.endsWith('/VendCntMains') && new URLSearchParams(r.query).get('$top') === '1')
      .length;

  async function sync(): Promise<{ epicor: number; probes: number }> {
    world.epicor.control.clearRequestLog();
    const { result, json } = await world.cliJson('sync');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(json.status, 'succeeded');
    return { epicor: json.requests.epicor, probes: probeRequests() };
  }

  it('costs its request once: the first sync reads one contact back, a no-change sync asks nothing more', async () => {
    const first = await sync();
    assert.equal(first.probes, 1, 'page 1 is the sample; the filtered read-back is the one extra request');
    assert.deepEqual(world.differences(), []);

    const second = await sync();
    assert.equal(second.probes, 0, 'the resumed scan re-reads the cursor day: filtering is proven');

    // The same no-change sync with the check off costs exactly as many Epicor requests.
    const text = await readFile(world.configPath, 'utf8');
    const zone = /^( *)timeZone: UTC\n/m;
    assert.match(text, zone);
    await writeFile(world.configPath, text.replace(zone, '$1timeZone: UTC\n$1childFilterCheck: false\n'));
    const unchecked = await sync();
    assert.equal(unchecked.probes, 0);
    assert.equal(second.epicor, unchecked.epicor);
    assert.deepEqual(world.differences(), []);
  });
});
