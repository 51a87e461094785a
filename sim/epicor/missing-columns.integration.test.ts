/**
 * The `missingColumns` option: a tenant lacking some columns (an older release, a UD column not yet
 * regenerated). The columns leave `$metadata`, rows, BAQs and the control API, and naming one in a query
 * gets the 400 a real tenant gives for an unknown property.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EpicorSimulator, startEpicorSimulator } from './index.js';
import { resolveOptions } from './options.js';
import { rows, simGet } from './testing/http.js';

const V = '/api/v2/odata/EPIC06/Erp.BO.VendorSvc';

let sim: EpicorSimulator;

const get = (path: string) => simGet(sim.tenantUrl, path);

/** Property names of one EntityType in a CSDL document (a plain scan: the XML is the simulator's own). */
function typeProperties(xml: string, type: string): string[] {
  const start = xml.indexOf(`<EntityType Name="${type}">`);
  assert.ok(start >= 0, `${type} in $metadata`);
  const body = xml.slice(start, xml.indexOf('</EntityType>', start));
  return [...body.matchAll(/<Property Name="([^"]+)"/g)].map((m) => m[1] ?? '');
}

before(async () => {
  sim = await startEpicorSimulator({
    vendors: 12,
    customers: 6,
    missingColumns: { Vendors: ['ZIP', 'Week1Pymt_c', 'EMailAddress'], Customers: ['CustURL'] },
  });
});

after(async () => {
  await sim.close();
});

describe('Epicor simulator: a tenant lacking columns (missingColumns)', () => {
  it('leaves the columns out of $metadata, and only from the named entity types', async () => {
    const vendorSvc = await get(`${V}/$metadata`);
    assert.equal(vendorSvc.status, 200);
    const vendor = typeProperties(vendorSvc.text, 'VendorRow');
    for (const gone of ['ZIP', 'Week1Pymt_c', 'EMailAddress']) assert.ok(!vendor.includes(gone), gone);
    for (const kept of ['City', 'VendURL', 'Week2Pymt_c', 'SysRevID']) assert.ok(vendor.includes(kept), kept);
    // VendCntMain has its own EmailAddress; it is not touched.
    assert.ok(typeProperties(vendorSvc.text, 'VendCntMainRow').includes('EmailAddress'));
    const customerSvc = await get('/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/$metadata');
    const customer = typeProperties(customerSvc.text, 'CustomerRow');
    assert.ok(!customer.includes('CustURL'));
    assert.ok(customer.includes('Zip'));
  });

  it('serves rows without the columns, also under $expand', async () => {
    const { status, body } = await get(`${V}/Vendors?$top=2&$expand=VendCntMains`);
    assert.equal(status, 200);
    const first = rows(body)[0] ?? {};
    assert.ok('City' in first);
    assert.ok(!('ZIP' in first) && !('EMailAddress' in first) && !('Week1Pymt_c' in first));
    assert.ok(Array.isArray(first['VendCntMains']));
  });

  it('answers $select, $filter and $orderby of a missing column with the unknown-property 400', async () => {
    for (const query of ['$select=Name,ZIP', "$filter=ZIP eq '1'", '$orderby=ZIP']) {
      const { status, body } = await get(`${V}/Vendors?${encodeURI(query)}`);
      assert.equal(status, 400, query);
      assert.equal(body['HttpStatus'], 400);
      assert.equal(body['ReasonPhrase'], 'REST API Exception');
      assert.equal(body['ErrorType'], 'Microsoft.OData.ODataException');
      assert.equal(
        body['ErrorMessage'],
        "Could not find a property named 'ZIP' on type 'Erp.Tablesets.VendorRow'.",
      );
      assert.match(String(body['CorrelationId']), /^[0-9a-f-]{36}$/);
    }
    const ud = await get(`${V}/Vendors?$select=VendorNum,Week1Pymt_c`);
    assert.equal(ud.status, 400);
    assert.match(String(ud.body['ErrorMessage']), /'Week1Pymt_c'/);
    const fine = await get(`${V}/Vendors?$select=VendorNum,Name,City,Week2Pymt_c&$top=1`);
    assert.equal(fine.status, 200);
    assert.deepEqual(Object.keys(rows(fine.body)[0] ?? {}), ['VendorNum', 'Name', 'City', 'Week2Pymt_c']);
  });

  it('drops the columns from BAQ results built on the entity', async () => {
    const { status, body } = await get('/api/v2/odata/EPIC06/BaqSvc/ZVendorChanges/Data?$top=1');
    assert.equal(status, 200);
    const first = rows(body)[0] ?? {};
    assert.ok('Vendor_Name' in first);
    assert.ok(!('Vendor_EMailAddress' in first));
    const refused = await get('/api/v2/odata/EPIC06/BaqSvc/ZVendorChanges/Data?$select=Vendor_EMailAddress');
    assert.equal(refused.status, 400);
  });

  it('keeps the columns out of the control API too', () => {
    const vendor = sim.control.list('Vendors')[0];
    assert.ok(vendor);
    assert.ok(!('ZIP' in vendor));
    assert.throws(
      () => sim.control.update('Vendors', { VendorNum: vendor['VendorNum'] }, { ZIP: '60601' }),
      /no column ZIP/,
    );
  });

  it('refuses an unknown entity set, an unknown column and a key column', () => {
    assert.throws(
      () => resolveOptions({ missingColumns: { Nope: ['X'] } as never }),
      /unknown entity set "Nope"/,
    );
    assert.throws(
      () => resolveOptions({ missingColumns: { Vendors: ['Zip'] } }),
      /Vendors has no column "Zip"/,
    );
    assert.throws(
      () => resolveOptions({ missingColumns: { Vendors: ['VendorNum'] } }),
      /is a key of Vendors/,
    );
    assert.deepEqual(resolveOptions({}).missingColumns, {});
  });
});
