/**
 * The child entity-set `$filter` quirk (reference §3.5) over HTTP: which filters answer empty, which
 * answer 400, and that unfiltered reads, `$expand` and navigation stay correct.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from './index.js';
import { type Json, rows, simGet } from './testing/http.js';

const V = '/api/v2/odata/EPIC06/Erp.BO.VendorSvc';

let sim: EpicorSimulator;

const get = (path: string) => simGet(sim.tenantUrl, path);
const q = (text: string): string => encodeURIComponent(text);

/** A contact whose vendor has at least one contact (the data has 0–3 per vendor). */
function someContact(): { VendorNum: number; ConNum: number; ChangeDate: string } {
  const contact = sim.control.list('VendCntMains')[0];
  assert.ok(contact);
  return {
    VendorNum: Number(contact['VendorNum']),
    ConNum: Number(contact['ConNum']),
    ChangeDate: String(contact['ChangeDate']).slice(0, 10),
  };
}

before(async () => {
  sim = await startEpicorSimulator({ vendors: 12, customers: 2, timeZone: 'UTC' });
});

afterEach(() => {
  sim.control.setChildFilterQuirk(undefined);
});

after(async () => {
  await sim.close();
});

describe('childFilterQuirk', () => {
  it('is off by default: a filtered VendCntMains read finds the row', async () => {
    const c = someContact();
    const { status, body } = await get(
      `${V}/VendCntMains?$filter=${q(`VendorNum eq ${c.VendorNum} and ConNum eq ${c.ConNum}`)}`,
    );
    assert.equal(status, 200);
    assert.equal(rows(body).length, 1);
  });

  it("mode 'empty': every filter on the child set at the service root answers an empty value", async () => {
    sim.control.setChildFilterQuirk({ entitySets: ['VendCntMains'], mode: 'empty' });
    const c = someContact();
    const filters = [
      `VendorNum eq ${c.VendorNum}`, // a column the parent has too (S2: PONum → empty)
      `ConNum eq ${c.ConNum}`, // a column only the child has
      `ChangeDate ge ${c.ChangeDate}T00:00:00Z`, // the default change column; Vendor has none
      'SysRevID gt 0', // on both types
      'UpdatedOn gt 2020-01-01T00:00:00Z', // on neither type: no 400 either, the parent binding swallows it
    ];
    for (const filter of filters) {
      const { status, body } = await get(
        `${V}/VendCntMains?$filter=${q(filter)}&$orderby=VendorNum&$top=5&$count=true`,
      );
      assert.equal(status, 200, filter);
      assert.deepEqual(rows(body), [], filter);
      assert.equal(body['@odata.count'], 0, filter);
      assert.equal(
        body['@odata.context'],
        `${sim.tenantUrl}${V}/$metadata#VendCntMains`,
        'the normal envelope',
      );
    }
    // A malformed filter is still a 400, and the rest of the query is still checked against the child.
    assert.equal((await get(`${V}/VendCntMains?$filter=${q('VendorNum eq')}`)).status, 400);
    assert.equal((await get(`${V}/VendCntMains?$filter=${q('VendorNum eq 1')}&$orderby=Nope`)).status, 400);
  });

  it("mode 'error': a column the parent lacks is a 400 naming the parent type; shared columns still come back empty", async () => {
    sim.control.setChildFilterQuirk({ entitySets: ['VendCntMains'], mode: 'error' });
    const c = someContact();
    const bad = await get(`${V}/VendCntMains?$filter=${q(`ChangeDate ge ${c.ChangeDate}T00:00:00Z`)}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body['ErrorType'], 'Microsoft.OData.ODataException');
    assert.equal(bad.body['HttpStatus'], 400);
    assert.equal(
      bad.body['ErrorMessage'],
      "Could not find a property named 'ChangeDate' on type 'Erp.Tablesets.VendorRow'.",
    );
    const key = await get(
      `${V}/VendCntMains?$filter=${q(`VendorNum eq ${c.VendorNum} and PurPoint eq '' and ConNum eq ${c.ConNum}`)}`,
    );
    assert.equal(key.status, 400, 'ConNum is not a Vendor column');
    const shared = await get(`${V}/VendCntMains?$filter=${q(`VendorNum eq ${c.VendorNum}`)}`);
    assert.equal(shared.status, 200);
    assert.deepEqual(rows(shared.body), []);
  });

  for (const mode of ['empty', 'error'] as const) {
    it(`mode '${mode}': unfiltered reads, $expand and navigation stay correct`, async () => {
      sim.control.setChildFilterQuirk({ entitySets: ['VendCntMains'], mode });
      const all = sim.control.list('VendCntMains');
      const plain = await get(`${V}/VendCntMains?$top=1000`);
      assert.equal(plain.status, 200);
      assert.equal(rows(plain.body).length, all.length);
      const blank = await get(`${V}/VendCntMains?$filter=&$top=1000`);
      assert.equal(rows(blank.body).length, all.length, 'a blank $filter is no filter');

      const expanded = await get(`${V}/Vendors?$select=Company,VendorNum&$expand=VendCntMains&$top=1000`);
      assert.equal(expanded.status, 200);
      const children = rows(expanded.body).flatMap((v) => v['VendCntMains'] as Json[]);
      assert.equal(children.length, all.length);

      const c = someContact();
      const nested = await get(
        `${V}/Vendors?$filter=${q(`VendorNum eq ${c.VendorNum}`)}&$expand=${q(`VendCntMains($filter=ConNum eq ${c.ConNum})`)}`,
      );
      assert.deepEqual(
        rows(nested.body).map((v) => (v['VendCntMains'] as Json[]).length),
        [1],
      );

      const nav = await get(
        `${V}/Vendors('EPIC06',${c.VendorNum})/VendCntMains?$filter=${q(`ConNum eq ${c.ConNum}`)}`,
      );
      assert.equal(nav.status, 200);
      assert.equal(rows(nav.body).length, 1);
    });
  }

  it('the control API switches it, and refuses a set that is not a child', async () => {
    const post = async (body: unknown) =>
      fetch(`${sim.url}/__control/child-filter-quirk`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const on = await post({ entitySets: ['VendCntMains'], mode: 'empty' });
    assert.equal(on.status, 200);
    assert.deepEqual(sim.control.childFilterQuirk(), { entitySets: ['VendCntMains'], mode: 'empty' });
    const c = someContact();
    assert.deepEqual(rows((await get(`${V}/VendCntMains?$filter=${q(`ConNum eq ${c.ConNum}`)}`)).body), []);
    assert.equal((await post({ entitySets: ['Vendors'], mode: 'empty' })).status, 400);
    const off = await fetch(`${sim.url}/__control/child-filter-quirk`, { method: 'DELETE' });
    assert.equal(off.status, 200);
    assert.equal(sim.control.childFilterQuirk(), undefined);
    assert.throws(() => sim.control.setChildFilterQuirk({ entitySets: ['CustCnts'], mode: 'error' }));
  });

  it('is a start option too', async () => {
    const other = await startEpicorSimulator({
      vendors: 3,
      customers: 1,
      childFilterQuirk: { entitySets: ['VendCntMains'], mode: 'error' },
    });
    try {
      assert.deepEqual(other.control.childFilterQuirk(), { entitySets: ['VendCntMains'], mode: 'error' });
    } finally {
      await other.close();
    }
    await assert.rejects(
      startEpicorSimulator({ childFilterQuirk: { entitySets: ['Customers'], mode: 'empty' } }),
      /not a child entity set/,
    );
  });
});
