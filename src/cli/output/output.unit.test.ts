import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, ConnectorError } from '../../core/errors.js';
import { EXIT } from '../exit-codes.js';
import { renderChecks } from './checks.js';
import { toCsv } from './csv.js';
import { CancelledError, exitCodeFor, UsageError } from './errors.js';
import { formatDuration, isoTime } from './format.js';
import { toJsonLines } from './json.js';
import { renderTable } from './table.js';
import { displayWidth, singleLine, truncateToWidth } from './text.js';
import { parseTimeArgument } from './time-filter.js';

/** A strict RFC 4180 reader, written here so the test does not trust the writer's own library. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      assert.equal(field, '', 'a quote may only open a field');
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  assert.equal(quoted, false, 'unterminated quote');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const AWKWARD = [
  'Acme, Inc.',
  'He said "hi"',
  'two\nlines',
  'crlf\r\nline',
  '👍🏽 Zürich café',
  '家族 👨‍👩‍👧',
  '',
  '  padded  ',
];

describe('text', () => {
  it('measures emoji and wide characters as two columns and combining marks as none', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('👍'), 2);
    assert.equal(displayWidth('👍🏽'), 2);
    assert.equal(displayWidth('👨‍👩‍👧'), 2);
    assert.equal(displayWidth('家族'), 4);
    assert.equal(displayWidth('e\u0301'), 1);
    assert.equal(displayWidth('🇨🇭'), 2);
  });

  it('makes control characters visible, so data cannot break lines or drive the terminal', () => {
    assert.equal(singleLine('a\nb\r\tc'), 'a\\nb\\r\\tc');
    assert.equal(singleLine('\u001b[31mred'), '\\u001b[31mred');
    assert.equal(singleLine('x\u2028y'), 'x\\u2028y');
    assert.equal(singleLine('plain ünïcode 👍'), 'plain ünïcode 👍');
  });

  it('truncates on grapheme boundaries with an ellipsis', () => {
    assert.equal(truncateToWidth('abcdef', 4), 'abc…');
    assert.equal(truncateToWidth('abc', 3), 'abc');
    assert.equal(truncateToWidth('👍🏽👍🏽👍🏽', 5), '👍🏽👍🏽…');
    assert.ok(!truncateToWidth('👨‍👩‍👧x', 2).includes('\u200d'), 'never half a ZWJ sequence');
  });
});

describe('renderTable', () => {
  it('aligns columns by display width, right-aligns numbers, shows empty as -', () => {
    const out = renderTable(
      [
        { header: 'NAME', value: (r: { name: string; n: number | null }) => r.name },
        { header: 'N', value: (r) => r.n, align: 'right' },
      ],
      [
        { name: '👍 ok', n: 5 },
        { name: 'longer name', n: 12345 },
        { name: '', n: null },
      ],
    );
    const lines = out.trimEnd().split('\n');
    assert.deepEqual(lines, [
      'NAME             N',
      '-----------  -----',
      '👍 ok            5',
      'longer name  12345',
      '-                -',
    ]);
  });

  it('keeps one line per row whatever the data holds', () => {
    const rows = AWKWARD.map((s) => ({ s }));
    const out = renderTable([{ header: 'VALUE', value: (r: { s: string }) => r.s }], rows);
    assert.equal(out.trimEnd().split('\n').length, 2 + rows.length);
    assert.match(out, /two\\nlines/);
    assert.match(out, /crlf\\r\\nline/);
    const lines = out.trimEnd().split('\n');
    const rule = lines[1] ?? '';
    assert.equal(rule.length, Math.max(5, ...AWKWARD.map((v) => displayWidth(singleLine(v)))));
    for (const line of lines) assert.ok(displayWidth(line) <= rule.length, `too wide: ${line}`);
  });

  it('cuts cells to maxWidth', () => {
    const out = renderTable([{ header: 'X', value: (r: string) => r, maxWidth: 5 }], ['abcdefghij']);
    assert.match(out, /^abcd…$/m);
  });
});

describe('toCsv', () => {
  it('round-trips commas, quotes, newlines, emoji and empty cells through an RFC 4180 reader', () => {
    const rows = AWKWARD.map((s, i) => [i, s, null]);
    const text = toCsv(['id', 'value', 'empty'], rows);
    const read = readCsv(text);
    assert.deepEqual(read[0], ['id', 'value', 'empty']);
    assert.deepEqual(
      read.slice(1),
      AWKWARD.map((s, i) => [String(i), s, '']),
    );
  });

  it('quotes only where needed and doubles quotes', () => {
    assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"']]), 'a,b\n"x,y","say ""hi"""\n');
  });

  it('defuses spreadsheet formulas', () => {
    const [, row] = readCsv(toCsv(['v'], [['=HYPERLINK("http://x")']]));
    assert.deepEqual(row, ['\'=HYPERLINK("http://x")']);
    const all = readCsv(toCsv(['v'], [['+1'], ['@SUM(A1)'], ['-2'], ['ok=1']]))
      .slice(1)
      .flat();
    assert.deepEqual(all, ["'+1", "'@SUM(A1)", "'-2", 'ok=1']);
  });

  it('writes continuation pages without a header', () => {
    assert.equal(toCsv(null, [['a', 1]]), 'a,1\n');
  });
});

describe('toJsonLines', () => {
  it('writes one parseable line per row, whatever the strings hold', () => {
    const rows = AWKWARD.map((label, id) => ({ id, label }));
    const text = toJsonLines(rows);
    const lines = text.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, rows.length);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      rows,
    );
  });
});

describe('format', () => {
  it('prints times in UTC to the second and durations for people', () => {
    assert.equal(isoTime(Date.UTC(2026, 10, 27, 22, 16, 5, 123)), '2026-11-27T22:16:05Z');
    assert.equal(isoTime(null), '-');
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(12_340), '12.3s');
    assert.equal(formatDuration(245_000), '4m 05s');
    assert.equal(formatDuration(7_380_000), '2h 03m');
  });
});

describe('parseTimeArgument', () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);
  it('reads dates, date-times and ages', () => {
    assert.equal(parseTimeArgument('2026-11-27', now, '--since'), Date.UTC(2026, 10, 27));
    assert.equal(parseTimeArgument('2026-11-27T09:30', now, '--since'), Date.UTC(2026, 10, 27, 9, 30));
    assert.equal(
      parseTimeArgument('2026-11-27T09:30:00+02:00', now, '--since'),
      Date.UTC(2026, 10, 27, 7, 30),
    );
    assert.equal(parseTimeArgument('24h', now, '--since'), now - 86_400_000);
    assert.equal(parseTimeArgument('90m', now, '--since'), now - 5_400_000);
  });
  it('refuses anything else with the flag name', () => {
    for (const bad of ['yesterday', '2026-13-01', '12', '2026/11/27']) {
      assert.throws(
        () => parseTimeArgument(bad, now, '--until'),
        (e: unknown) => e instanceof UsageError && /--until/.test(e.message),
      );
    }
  });
});

describe('exitCodeFor', () => {
  it('maps errors to the documented exit codes', () => {
    assert.equal(exitCodeFor(new ConfigError(['x: bad'])), EXIT.usage);
    assert.equal(exitCodeFor(new UsageError('bad flag')), EXIT.usage);
    assert.equal(exitCodeFor(new ConnectorError('ERR_CREDENTIALS_KEY_MISMATCH', 'wrong key')), EXIT.usage);
    assert.equal(exitCodeFor(new ConnectorError('ERR_EPICOR_API_KEY', 'bad key')), EXIT.auth);
    assert.equal(exitCodeFor(new ConnectorError('ERR_HUBSPOT_SCOPES', 'scopes')), EXIT.auth);
    assert.equal(
      exitCodeFor(new ConnectorError('ERR_HUBSPOT_HTTP', 'down', { retryable: true })),
      EXIT.failed,
    );
    assert.equal(exitCodeFor(new ConnectorError('ERR_HUBSPOT_UNIQUE_PROPERTY', 'not unique')), EXIT.usage);
    assert.equal(exitCodeFor(new CancelledError('ctrl+c')), EXIT.interrupted);
    assert.equal(exitCodeFor(new TypeError('bug')), EXIT.unexpected);
  });
});

describe('renderChecks', () => {
  it('marks each status, shows codes and fixes, and says "as above" for a repeated fix', () => {
    const out = renderChecks('Heading', [
      { name: 'a', status: 'pass', message: 'fine' },
      { name: 'bb', status: 'fail', code: 'ERR_X', message: 'broken', fix: 'do this' },
      { name: 'c', status: 'fail', message: 'also', fix: 'do this' },
      { name: 'd', status: 'warn', message: 'hmm', fix: 'maybe that' },
      { name: 'e', status: 'skip', message: 'not checked' },
    ]);
    assert.equal(
      out,
      [
        'Heading',
        '  ✓ a   fine',
        '  ✗ bb  broken [ERR_X]',
        '        fix: do this',
        '  ✗ c   also',
        '        fix: as above',
        '  ! d   hmm',
        '        fix: maybe that',
        '  - e   not checked',
        '',
      ].join('\n'),
    );
  });
});
