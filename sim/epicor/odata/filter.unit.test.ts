import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ODataQueryError } from './errors.js';
import { compileFilter, compileFilterWithBounds, type FilterContext } from './filter.js';
import type { QueryRow, Values } from './values.js';

const FIELDS: FilterContext['fields'] = new Map(
  (
    [
      ['Name', 'string'],
      ['VendorNum', 'int'],
      ['Amount', 'decimal'],
      ['SysRevID', 'int64'],
      ['Inactive', 'bool'],
      ['Approved', 'bool'],
      ['ChangeDate', 'date'],
      ['UpdatedOn', 'datetime'],
      ['SysRowID', 'guid'],
    ] as const
  ).map(([name, type]) => [name, { name, type }]),
);

function context(overrides: Partial<FilterContext> = {}): FilterContext {
  return {
    qualifiedType: 'Erp.Tablesets.VendorRow',
    fields: FIELDS,
    timeZone: 'America/Chicago',
    dateTimeLiterals: 'tenant-zone',
    stringComparison: 'ordinal',
    ...overrides,
  };
}

function row(values: Values): QueryRow {
  const wall: Record<string, number> = {};
  for (const name of ['ChangeDate', 'UpdatedOn']) {
    const v = values[name];
    wall[name] = typeof v === 'string' ? Date.parse(`${v}Z`) : Number.NaN;
  }
  return { values, wall };
}

const base: Values = {
  Name: "O'Brien",
  VendorNum: 12,
  Amount: 10.5,
  SysRevID: 9_007_199_254_740_993n,
  Inactive: false,
  Approved: true,
  ChangeDate: '2026-03-16T00:00:00',
  UpdatedOn: '2026-03-16T09:30:00',
  SysRowID: '6e2b6f7a-0000-4000-8000-00000000000a',
};

function matches(filter: string, values: Values = base, ctx = context()): boolean {
  return compileFilter(filter, ctx)(row(values));
}

function rejects(filter: string, pattern: RegExp, ctx = context()): void {
  assert.throws(
    () => compileFilter(filter, ctx),
    (error: unknown) => {
      assert.ok(error instanceof ODataQueryError, `expected ODataQueryError, got ${String(error)}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('$filter evaluator', () => {
  it('compares every operator on numbers', () => {
    assert.equal(matches('VendorNum eq 12'), true);
    assert.equal(matches('VendorNum ne 12'), false);
    assert.equal(matches('VendorNum gt 11'), true);
    assert.equal(matches('VendorNum gt 12'), false);
    assert.equal(matches('VendorNum ge 12'), true);
    assert.equal(matches('VendorNum lt 12'), false);
    assert.equal(matches('VendorNum le 12'), true);
    assert.equal(matches('Amount gt 10.25'), true);
    assert.equal(matches('Amount lt 10'), false);
    assert.equal(matches('11 lt VendorNum'), true, 'literal on the left');
  });

  it('gives and precedence over or, and honours parentheses and not', () => {
    // false or (true and false) = false; (false or true) and false = false; false or true and true = true
    assert.equal(matches("Name eq 'x' or VendorNum eq 12 and Inactive"), false);
    assert.equal(matches("Name eq 'x' or VendorNum eq 12 and Approved"), true);
    assert.equal(matches("(Name eq 'x' or VendorNum eq 12) and Inactive"), false);
    assert.equal(matches("Name eq 'x' and VendorNum eq 12 or Approved"), true);
    assert.equal(matches("Name eq 'x' and (VendorNum eq 12 or Approved)"), false);
    assert.equal(matches('not Inactive'), true);
    assert.equal(matches('not (VendorNum eq 12 and Approved)'), false);
    assert.equal(matches('not Inactive and not Approved'), false, 'not binds tighter than and');
    assert.equal(matches('not Approved or Approved'), true, 'not binds tighter than or');
    assert.equal(matches('not Inactive and VendorNum eq 12 or Inactive'), true);
    assert.equal(matches('not not Approved'), true);
    assert.equal(matches('not Approved and Approved or not Inactive and Approved'), true);
    assert.equal(matches('Approved'), true, 'a bare boolean property is a predicate');
  });

  it("unescapes '' inside string literals", () => {
    assert.equal(matches("Name eq 'O''Brien'"), true);
    assert.equal(matches("Name eq 'OBrien'"), false);
    assert.equal(matches("Name eq 'O''''Brien'", { ...base, Name: "O''Brien" }), true);
    assert.equal(matches("Name eq 'Café 🚀'", { ...base, Name: 'Café 🚀' }), true);
    assert.equal(matches("Name gt 'N'"), true);
  });

  it('compares booleans with true/false literals', () => {
    assert.equal(matches('Inactive eq false'), true);
    assert.equal(matches('Inactive eq true'), false);
    assert.equal(matches('Approved ne false'), true);
  });

  it('compares bigint SysRevIDs beyond 2^53 exactly', () => {
    assert.equal(matches('SysRevID gt 9007199254740992'), true);
    assert.equal(matches('SysRevID gt 9007199254740993'), false);
    assert.equal(matches('SysRevID eq 9007199254740993'), true);
    assert.equal(matches('SysRevID ge 9007199254740994'), false);
    assert.equal(matches('SysRevID lt 9223372036854775807'), true);
    assert.equal(matches('SysRevID gt 5', { ...base, SysRevID: 6n }), true);
  });

  it('reads unquoted datetimes with Z or an offset as instants, in the tenant zone', () => {
    // UpdatedOn 2026-03-16T09:30 America/Chicago (CDT, UTC-5) = 14:30Z.
    assert.equal(matches('UpdatedOn gt 2026-03-16T14:29:59Z'), true);
    assert.equal(matches('UpdatedOn gt 2026-03-16T14:30:00Z'), false);
    assert.equal(matches('UpdatedOn eq 2026-03-16T14:30:00Z'), true);
    assert.equal(matches('UpdatedOn eq 2026-03-16T09:30:00-05:00'), true);
    assert.equal(matches('UpdatedOn eq 2026-03-16T20:00:00+05:30'), true);
    assert.equal(matches('UpdatedOn ge 2026-03-16T14:30:00.001Z'), false);
    assert.equal(matches('UpdatedOn lt 2026-03-16T14:30:00.0000001Z'), false, '7 fractional digits parse');
    // ChangeDate 2026-03-16 (midnight Chicago = 05:00Z).
    assert.equal(
      matches('ChangeDate ge 2026-03-16T00:00:00Z'),
      true,
      'midnight UTC is 19:00 the day before in Chicago',
    );
    assert.equal(matches('ChangeDate ge 2026-03-16T05:00:00Z'), true, '05:00Z is midnight in Chicago');
    assert.equal(matches('ChangeDate ge 2026-03-16T05:00:01Z'), false);
    assert.equal(matches('ChangeDate eq 2026-03-16'), true, 'a date literal compares by calendar day');
  });

  it('can compare a literal by its own wall clock (ignore-offset)', () => {
    const ctx = context({ dateTimeLiterals: 'ignore-offset' });
    assert.equal(matches('UpdatedOn eq 2026-03-16T09:30:00Z', base, ctx), true);
    assert.equal(matches('UpdatedOn eq 2026-03-16T09:30:00+09:00', base, ctx), true);
    assert.equal(matches('ChangeDate ge 2026-03-16T03:00:00Z', base, ctx), false);
    assert.equal(
      matches('ChangeDate ge 2026-03-16T03:00:00Z'),
      true,
      'tenant-zone reads 03:00Z as 22:00 the day before',
    );
  });

  it('handles null date columns and null literals', () => {
    const nullDate = { ...base, UpdatedOn: null };
    assert.equal(matches('UpdatedOn gt 2000-01-01T00:00:00Z', nullDate), false);
    assert.equal(matches('UpdatedOn lt 2100-01-01T00:00:00Z', nullDate), false);
    assert.equal(matches('UpdatedOn eq null', nullDate), true);
    assert.equal(matches('UpdatedOn ne null', nullDate), false);
    assert.equal(matches('UpdatedOn ne null'), true);
  });

  it('rejects a quoted date against a date or datetime column with 400', () => {
    rejects("ChangeDate ge '2026-03-16'", /incompatible types.*'Edm.DateTimeOffset' and 'Edm.String'/);
    rejects("UpdatedOn gt '2026-03-16T00:00:00Z'", /incompatible types/);
  });

  it('rejects other type mismatches', () => {
    rejects("VendorNum eq '12'", /incompatible types.*'Edm.Int32' and 'Edm.String'/);
    rejects('Name eq 12', /incompatible types/);
    rejects("Inactive eq 'false'", /incompatible types/);
    rejects('SysRevID eq true', /incompatible types/);
  });

  it('names the property and the row type when a property is unknown (names are case-sensitive)', () => {
    rejects('Foo eq 1', /^Could not find a property named 'Foo' on type 'Erp.Tablesets.VendorRow'\.$/);
    rejects('vendornum eq 1', /property named 'vendornum'/);
    rejects('Inactive eq True', /property named 'True'/);
  });

  it('rejects bad syntax with the position', () => {
    rejects("Name eq 'x", /^Syntax error at position \d+ in /);
    rejects("Name eq 'x' foo", /Syntax error at position 11/);
    rejects('Name eq', /Syntax error/);
    rejects('VendorNum eq 12)', /Syntax error/);
    rejects('(VendorNum eq 12', /Syntax error/);
    rejects('ChangeDate ge 2026-02-30T00:00:00Z', /not a valid date/);
    rejects("ChangeDate ge datetime'2024-01-01T00:00:00'", /Syntax error/);
  });

  it('rejects expressions that are not boolean', () => {
    rejects('VendorNum', /boolean/);
    rejects('Name', /boolean/);
  });

  it('supports contains/startswith/endswith and tolower', () => {
    assert.equal(matches("contains(Name,'Bri')"), true);
    assert.equal(matches("startswith(Name,'O''')"), true);
    assert.equal(matches("endswith(Name,'x')"), false);
    assert.equal(matches("tolower(Name) eq 'o''brien'"), true);
    rejects("substringof('x',Name)", /Unknown function/);
  });

  it('compares strings ordinally or case-insensitively', () => {
    assert.equal(matches("Name eq 'o''brien'"), false);
    const ci = context({ stringComparison: 'case-insensitive' });
    assert.equal(matches("Name eq 'o''brien'", base, ci), true);
    assert.equal(matches("contains(Name,'BRI')", base, ci), true);
  });

  it('reports lower bounds of top-level conjuncts for index seeks', () => {
    const { lowerBounds } = compileFilterWithBounds(
      "ChangeDate ge 2026-01-01T00:00:00Z and (VendorNum gt 5 and Name ne 'x') and 10 lt Amount",
      context(),
    );
    assert.deepEqual(
      lowerBounds.map((b) => b.column),
      ['ChangeDate', 'VendorNum', 'Amount'],
    );
    const none = compileFilterWithBounds('VendorNum gt 5 or Amount gt 1', context());
    assert.equal(none.lowerBounds.length, 0, 'a disjunction over different columns gives no bound');
    const keyset = compileFilterWithBounds(
      "(VendorNum gt 12) or (VendorNum eq 12 and Amount gt 3) or (VendorNum eq 12 and Amount eq 3 and Name gt 'x')",
      context(),
    );
    assert.deepEqual(
      keyset.lowerBounds.map((b) => b.column),
      ['VendorNum'],
    );
    const bound = keyset.lowerBounds[0]?.test;
    assert.equal(bound?.(row({ ...base, VendorNum: 12 })), true, 'the tuple bound is VendorNum ge 12');
    assert.equal(bound?.(row({ ...base, VendorNum: 11 })), false);
    const notBound = compileFilterWithBounds('not (VendorNum gt 5)', context());
    assert.equal(notBound.lowerBounds.length, 0);
  });
});
