import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  childFilterProbeApplies,
  classifyProbe,
  isChildFilterQuirk,
  keyFilterOf,
  quirkErrorMessage,
  quirkWarning,
} from './child-filter-probe.js';
import { EpicorHttpError, EpicorLicenseError, EpicorNetworkError } from './errors.js';
import { parseEpicorSettings } from './settings.js';
import { resolveStream } from './streams.js';

const settings = (streams: Record<string, unknown> = {}) =>
  parseEpicorSettings({
    tenantUrl: 'https://erp.example.com/ERP11PROD',
    company: 'EPIC06',
    apiKey: 'k',
    auth: { mode: 'basic', username: 'u', password: 'p' },
    streams,
  });

const contacts = resolveStream(settings(), 'vendorContact');
const ROW = { Company: 'EPIC06', VendorNum: 17, PurPoint: '', ConNum: 3, Name: 'A' };
const FILTER = "VendorNum eq 17 and PurPoint eq '' and ConNum eq 3";

const http400 = new EpicorHttpError(
  'Epicor answered 400',
  {
    status: 400,
    errorMessage: "Could not find a property named 'ConNum' on type 'Erp.Tablesets.VendorRow'.",
  },
  false,
);

describe('child-filter probe', () => {
  it('applies to vendor contacts read from an entity set only', () => {
    assert.equal(childFilterProbeApplies(contacts), true);
    assert.equal(
      childFilterProbeApplies(
        resolveStream(settings({ vendorContact: { source: { type: 'vendorExpand' } } }), 'vendorContact'),
      ),
      false,
    );
    assert.equal(
      childFilterProbeApplies(
        resolveStream(
          settings({
            vendorContact: {
              source: { type: 'baq', baqId: 'VC', keyFields: [{ name: 'VendCnt_ConNum', type: 'int' }] },
              change: { strategy: 'full' },
            },
          }),
          'vendorContact',
        ),
      ),
      false,
    );
    assert.equal(childFilterProbeApplies(resolveStream(settings(), 'customerContact')), false);
    assert.equal(childFilterProbeApplies(resolveStream(settings(), 'vendor')), false);
  });

  it('writes the whole key as keyset paging does', () => {
    assert.equal(keyFilterOf(ROW, contacts), FILTER);
    assert.equal(keyFilterOf({ ...ROW, PurPoint: "O'B" }, contacts), FILTER.replace("''", "'O''B'"));
    assert.throws(() => keyFilterOf({ Name: 'no key' }, contacts));
  });

  it('classifies: the row back → ok; nothing back → empty (quirk)', () => {
    assert.deepEqual(classifyProbe(contacts, FILTER, [ROW]), {
      kind: 'ok',
      path: 'Erp.BO.VendorSvc/VendCntMains',
      filter: FILTER,
    });
    const empty = classifyProbe(contacts, FILTER, []);
    assert.equal(empty.kind, 'empty');
    assert.ok(isChildFilterQuirk(empty));
    assert.equal(empty.columns, 'VendorNum, PurPoint, ConNum');
  });

  it('classifies a 400 as rejected (quirk), and a license 400, 5xx or network error as inconclusive', () => {
    const rejected = classifyProbe(contacts, FILTER, http400);
    assert.equal(rejected.kind, 'rejected');
    assert.ok(isChildFilterQuirk(rejected));
    const others = [
      new EpicorLicenseError('no license', { status: 400 }),
      new EpicorHttpError('down', { status: 503 }, true),
      new EpicorHttpError('missing', { status: 404 }, false),
      new EpicorNetworkError('reset', {}, new Error('ECONNRESET')),
    ];
    for (const error of others) {
      const outcome = classifyProbe(contacts, FILTER, error);
      assert.equal(outcome.kind, 'inconclusive', error.code);
      assert.equal(isChildFilterQuirk(outcome), false);
    }
  });

  it("ping's warning and the sync's error say what was found and what to do", () => {
    const empty = classifyProbe(contacts, FILTER, []);
    const rejected = classifyProbe(contacts, FILTER, http400);
    assert.ok(isChildFilterQuirk(empty) && isChildFilterQuirk(rejected));
    assert.equal(
      quirkWarning(empty),
      'Erp.BO.VendorSvc/VendCntMains returned nothing when filtered by its key (VendorNum, PurPoint, ConNum) although the row exists (child entity-set quirk); set streams.vendorContacts.change to { strategy: vendor-expand }',
    );
    assert.match(
      quirkWarning(rejected),
      /rejected a filter on its key .*ERR_EPICOR_HTTP: Could not find a property named 'ConNum'/,
    );
    assert.ok(
      quirkErrorMessage(empty).startsWith(
        'Erp.BO.VendorSvc/VendCntMains returned nothing when filtered by its own key although the row exists (the child entity-set quirk): vendor contacts would be silently missed. Set streams.vendorContacts.change: { strategy: vendor-expand } (see docs/configuration.md).',
      ),
      quirkErrorMessage(empty),
    );
    assert.match(quirkErrorMessage(empty), /epicor\.childFilterCheck: false/);
    assert.match(
      quirkErrorMessage(rejected),
      /rejected a filter on its own key \(ERR_EPICOR_HTTP: Could not find/,
    );
    assert.match(quirkErrorMessage(rejected), /strategy: vendor-expand/);
  });
});
