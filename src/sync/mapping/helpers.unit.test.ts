import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainFromUrl } from './domain.js';
import { checkEmail, isValidEmail } from './email.js';
import { personName, splitFullName } from './names.js';
import { truncateText } from './text.js';
import { applyTransforms, parseTransform } from './transforms.js';
import { toBoolString, toDateString, toDateTimeString, toDecimalString, toText } from './values.js';

describe('toText', () => {
  it('writes values the way HubSpot wants them', () => {
    assert.equal(toText(null), '');
    assert.equal(toText(undefined), '');
    assert.equal(toText(true), 'true');
    assert.equal(toText(false), 'false');
    assert.equal(toText(1234.5), '1234.5');
    assert.equal(toText(1e21), '1000000000000000000000');
    assert.equal(toText(1e-7), '0.0000001');
    assert.equal(toText(-0), '0');
    assert.equal(toText(Number.NaN), '');
    assert.equal(toText(12345678901234567890n), '12345678901234567890');
    assert.equal(toText(new Date(Date.UTC(2024, 4, 1, 8))), '2024-05-01T08:00:00.000Z');
    assert.equal(toText(['a', null, 'b']), 'a;b');
    assert.equal(toText({ a: 1 }), '{"a":1}');
  });
});

describe('toDecimalString', () => {
  it('normalises numbers and refuses non-numbers', () => {
    const cases: [string, string | undefined][] = [
      ['007', '7'],
      ['+3', '3'],
      ['-0.50', '-0.5'],
      ['.5', '0.5'],
      ['1.', '1'],
      ['1.5e3', '1500'],
      ['-2E-3', '-0.002'],
      ['-0', '0'],
      ['1,234', undefined],
      ['12 kg', undefined],
      ['N/A', undefined],
      ['', undefined],
      ['.', undefined],
      ['1e99999', undefined],
    ];
    for (const [input, expected] of cases) assert.equal(toDecimalString(input), expected, input);
  });
});

describe('toBoolString / toDateString / toDateTimeString', () => {
  it('reads the usual spellings', () => {
    assert.equal(toBoolString('TRUE'), 'true');
    assert.equal(toBoolString('n'), 'false');
    assert.equal(toBoolString('maybe'), undefined);
    assert.equal(toDateString('2024-05-01T00:00:00'), '2024-05-01');
    assert.equal(toDateString('2024-02-30'), undefined);
    assert.equal(toDateString('01/05/2024'), undefined);
    assert.equal(toDateTimeString('2024-05-01T10:00:00', 'Europe/Paris'), '2024-05-01T08:00:00.000Z');
    assert.equal(toDateTimeString('2024-05-01T10:00:00Z', 'Europe/Paris'), '2024-05-01T10:00:00.000Z');
    assert.equal(toDateTimeString('yesterday', 'UTC'), undefined);
  });
});

describe('email', () => {
  it('accepts ordinary and international addresses', () => {
    for (const ok of [
      "o'brien@example.com",
      'first.last+tag@sub.example.co.uk',
      'jürgen@müller.de',
      'a@b.io',
    ]) {
      assert.ok(isValidEmail(ok), ok);
    }
  });

  it('refuses what HubSpot would reject', () => {
    for (const bad of [
      'plainaddress',
      '@example.com',
      'a@',
      'a@b',
      'a@b.c',
      'a b@example.com',
      'a@@example.com',
      'a..b@example.com',
      'a@exa_mple.com',
      'a@-example.com',
      `${'x'.repeat(65)}@example.com`,
      'name@domain.<TLD>',
      'info@acme.com 😀',
    ]) {
      assert.equal(isValidEmail(bad), false, bad);
    }
  });

  it('salvages the first address from a list or a display-name form', () => {
    assert.deepEqual(checkEmail('a@x.com; b@y.com'), {
      ok: true,
      value: 'a@x.com',
      note: 'several addresses; kept the first valid one',
    });
    assert.deepEqual(checkEmail('Ann Lee <ann@x.com>'), {
      ok: true,
      value: 'ann@x.com',
      note: 'took the address inside <…>',
    });
    assert.deepEqual(checkEmail('not an address'), { ok: false });
  });
});

describe('domainFromUrl', () => {
  it('strips scheme, www, port, path, query and case', () => {
    const cases: [string, string][] = [
      ['https://www.Example.com/contact?x=1', 'example.com'],
      ['http://shop.acme.co.uk:8080/', 'shop.acme.co.uk'],
      ['www.acme.com', 'acme.com'],
      ['acme.com.', 'acme.com'],
      ['//cdn.acme.com/x', 'cdn.acme.com'],
      ['  https://müller.de  ', 'müller.de'],
      ['www2.acme.com#top', 'acme.com'],
      ['n/a', ''],
      ['none', ''],
      ['', ''],
      ['info@acme.com', ''],
      ['https://user:pw@acme.com', ''],
      ['http://localhost:3000', ''],
    ];
    for (const [url, expected] of cases) assert.equal(domainFromUrl(url), expected, url);
  });
});

describe('names', () => {
  it('splits full names', () => {
    const cases: [string, string, string][] = [
      ['Ann Lee', 'Ann', 'Lee'],
      ["Seán O'Brien", 'Seán', "O'Brien"],
      ['Mary Ann  van Dyke', 'Mary Ann', 'van Dyke'],
      ['Ludwig van der Rohe', 'Ludwig', 'van der Rohe'],
      ['van Dyke', 'van', 'Dyke'],
      ['Lee, Ann', 'Ann', 'Lee'],
      ['Smith, Jr.', '', 'Smith Jr.'],
      ['Martin Luther King Jr.', 'Martin Luther', 'King Jr.'],
      ['Cher', 'Cher', ''],
      ['  ', '', ''],
      ['李 小龙', '李', '小龙'],
    ];
    for (const [full, first, last] of cases) {
      assert.deepEqual(splitFullName(full), { firstName: first, lastName: last }, full);
    }
  });

  it('prefers FirstName/LastName when either is filled', () => {
    assert.deepEqual(personName({ FirstName: 'Ann', LastName: '', Name: 'Someone Else' }), {
      firstName: 'Ann',
      lastName: '',
    });
    assert.deepEqual(personName({ FirstName: ' ', LastName: null, Name: 'Ann Lee' }), {
      firstName: 'Ann',
      lastName: 'Lee',
    });
  });
});

describe('truncateText', () => {
  it('never splits an emoji or a combining accent', () => {
    assert.equal(truncateText('ab😀', 3), 'ab');
    assert.equal(truncateText('ab😀c', 4), 'ab😀');
    assert.equal(truncateText('cafe\u0301!', 4), 'caf');
    assert.equal(truncateText('👍🏽x', 3), '');
    assert.equal(truncateText('short', 10), 'short');
    assert.equal(truncateText('abc', 0), '');
  });

  it('cuts long text quickly and exactly', () => {
    // Compared as booleans: a failing diff of 65k characters is unreadable.
    const long = `${'é'.repeat(70_000)}😀`;
    assert.ok(truncateText(long, 65_536) === long.slice(0, 65_536));
    const emojiAtCut = `${'a'.repeat(65_535)}😀tail`;
    assert.ok(truncateText(emojiAtCut, 65_536) === 'a'.repeat(65_535));
    // A cut inside a long run of flags: regional indicators pair up from the start of the run.
    const flags = `x${'🇨🇭'.repeat(100)}`;
    assert.equal(truncateText(flags, 399), `x${'🇨🇭'.repeat(99)}`);
    assert.equal(truncateText(flags, 397), `x${'🇨🇭'.repeat(99)}`);
    assert.equal(truncateText(flags, 396), `x${'🇨🇭'.repeat(98)}`);
  });
});

describe('transforms', () => {
  it('parses every spelling and reports bad ones', () => {
    assert.deepEqual(parseTransform('truncate:40'), { op: 'truncate', length: 40 });
    assert.deepEqual(parseTransform('constant:A:B'), { op: 'constant', value: 'A:B' });
    assert.deepEqual(parseTransform('default:'), { op: 'default', value: '' });
    assert.deepEqual(parseTransform('domain'), { op: 'domain' });
    assert.match(String(parseTransform('truncate:0')), /positive whole number/);
    assert.match(String(parseTransform('truncate')), /positive whole number/);
    assert.match(String(parseTransform('constant')), /needs a value/);
    assert.match(String(parseTransform('trim:1')), /no argument/);
    assert.match(String(parseTransform('reverse')), /unknown transform "reverse"/);
  });

  it('applies them in order', () => {
    assert.equal(
      applyTransforms('  Ünïcode Name  ', [
        { op: 'trim' },
        { op: 'uppercase' },
        { op: 'truncate', length: 3 },
      ]),
      'ÜNÏ',
    );
    assert.equal(applyTransforms('', [{ op: 'default', value: 'n/a' }]), 'n/a');
    assert.equal(applyTransforms('x', [{ op: 'default', value: 'n/a' }]), 'x');
    assert.equal(applyTransforms('anything', [{ op: 'constant', value: 'K' }]), 'K');
    const map = { op: 'map', values: { CUS: 'customer', PRO: 'lead' } } as const;
    assert.equal(applyTransforms('PRO', [map]), 'lead');
    assert.equal(applyTransforms('SUS', [map]), 'SUS');
    assert.equal(applyTransforms('constructor', [map]), 'constructor');
    assert.equal(
      applyTransforms('HTTPS://WWW.ACME.COM', [{ op: 'domain' }, { op: 'lowercase' }]),
      'acme.com',
    );
  });
});
