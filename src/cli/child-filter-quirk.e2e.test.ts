/**
 * The child entity-set `$filter` quirk (reference §3.5, UNCONFIRMED for VendCntMains) played by the
 * Epicor simulator, against the real CLI and clients over loopback:
 * - `ping` warns and recommends `vendor-expand` in both quirk modes, and says nothing without the quirk;
 * - a sync with the default vendor-contact source (`Erp.BO.VendorSvc/VendCntMains`, keyset-paged by
 *   ChangeDate) reads only the unfiltered first page and then succeeds with the rest silently missing
 *   (mode `empty`), or fails with a 400 (mode `error`);
 * - with `streams.vendorContacts.change: { strategy: vendor-expand }` in the config file, ping is quiet
 *   and a sync brings every vendor contact to HubSpot, associated.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { ChildFilterQuirkMode } from '../../sim/epicor/index.js';
import type { PingCheck } from './checks/types.js';
import { E2EWorld } from './testing/e2e.js';

const QUIRK_WARNING = /child entity-set quirk/;

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

  it("default source, mode 'empty': the sync succeeds, but only the unfiltered first page of contacts arrives", async () => {
    setQuirk('empty');
    const { contacts } = world.expected();
    total = [...contacts.values()].filter((c) => c.kind === 'vendorContact').length;
    assert.ok(total > 20, `the data set has vendor contacts (${total})`);

    const first = await world.cliJson('sync');
    assert.equal(first.result.code, 0, first.result.stderr);
    assert.equal(first.json.status, 'succeeded', 'nothing tells the user anything is wrong');
    assert.equal(first.json.streams['vendorContact']?.['created'], 10, 'page 1 ($top=10) had no $filter');
    assert.equal(missingVendorContacts().length, total - 10);
    const others = world.differences().filter((d) => !missingVendorContacts().includes(d));
    assert.deepEqual(others, [], 'vendors, customers and customer contacts are complete');

    // The next run starts from the saved cursor: its very first page is filtered, so it reads nothing,
    // not even a contact added since. It still succeeds.
    world.epicor.control.insert('VendCntMains', {
      VendorNum: Number(world.epicor.control.list('Vendors')[0]?.['VendorNum']),
      Name: 'Late Addition',
      FirstName: 'Late',
      LastName: 'Addition',
      EmailAddress: 'late.addition@example.com',
    });
    const second = await world.cliJson('sync');
    assert.equal(second.result.code, 0, second.result.stderr);
    assert.equal(second.json.status, 'succeeded');
    const read = Object.values(second.json.streams['vendorContact'] ?? {}).reduce((n, v) => n + v, 0);
    assert.equal(read, 0, JSON.stringify(second.json.streams['vendorContact']));
    assert.equal(missingVendorContacts().length, total + 1 - 10);
  });

  it("default source, mode 'error': the vendor-contact stream fails with Epicor's 400", async () => {
    setQuirk('error');
    const { result, json } = await world.cliJson('sync');
    assert.notEqual(result.code, 0);
    assert.notEqual(json.status, 'succeeded');
    const text = `${result.stdout}\n${result.stderr}`;
    assert.match(text, /Could not find a property named 'ChangeDate' on type 'Erp\.Tablesets\.VendorRow'/);
  });

  it('vendor-expand in the config file: ping is quiet, and every vendor contact reaches HubSpot, associated', async () => {
    setQuirk('empty');
    await useVendorExpand();
    assert.deepEqual(await pingVendorContactWarnings(), [], 'no warning once the advice is followed');

    const run = await world.cliJson('sync');
    assert.equal(run.result.code, 0, run.result.stderr);
    assert.equal(run.json.status, 'succeeded');
    assert.equal(run.json.streams['vendorContact']?.['created'], total + 1 - 10);
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
