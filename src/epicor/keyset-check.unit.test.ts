import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keysetProblem, keysetProblemMessage } from './keyset-check.js';

const at = (value: string, key: string) => ({ value, key });

describe('keysetProblem', () => {
  const cursor = at('2026-03-16T09:05:00', '0000000012');

  it('accepts a page that starts after the cursor, including the same change value with a later key', () => {
    assert.equal(
      keysetProblem(cursor, at('2026-03-16T09:05:00', '0000000013'), at('2026-03-17T00:00:00', '1')),
      undefined,
    );
    assert.equal(keysetProblem(cursor, null, null), undefined);
  });

  it('reports a page that sorts before the cursor, and one stuck on it', () => {
    assert.deepEqual(keysetProblem(cursor, at('2026-03-15T23:00:00', '0000000001'), cursor), {
      kind: 'backwards',
      at: at('2026-03-15T23:00:00', '0000000001'),
    });
    assert.deepEqual(keysetProblem(cursor, at('2026-03-16T09:05:00', '0000000013'), cursor), {
      kind: 'stuck',
      at: cursor,
    });
  });

  it('compares keys at an equal change value only when asked (integer keys)', () => {
    const earlierKey = at('2026-03-16T09:05:00', '0000000003');
    assert.equal(keysetProblem(cursor, earlierKey, at('2026-03-17T00:00:00', '1')), undefined);
    assert.deepEqual(
      keysetProblem(cursor, earlierKey, at('2026-03-17T00:00:00', '1'), { compareKeys: true }),
      { kind: 'backwards', at: earlierKey },
    );
  });

  it('blames the time zone only for date-based change columns', () => {
    const context = { path: 'Erp.BO.VendorSvc/Vendors', after: cursor, timeZone: 'UTC' };
    const sysRev = keysetProblemMessage(
      { kind: 'stuck', at: cursor },
      { ...context, change: { strategy: 'sysRevId', field: 'SysRevID' } },
    );
    assert.doesNotMatch(sysRev, /timeZone/);
    assert.match(sysRev, /paging to skip/);
    const dated = keysetProblemMessage(
      { kind: 'backwards', at: at('2026-03-15T23:00:00', '1') },
      { ...context, change: { strategy: 'changeDate', field: 'ChangeDate' } },
    );
    assert.match(dated, /came back out of order/);
    assert.match(dated, /connections\[\]\.epicor\.timeZone .*\(configured: UTC\)/);
  });
});
