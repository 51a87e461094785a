import assert from 'node:assert/strict';
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { ConnectionExistsError, ConnectionNotFoundError, editConfigFile, editConfigText } from './edit.js';
import { defaultConfigText } from './template.js';

const FILE = `# ml-connector config (hand-written)
dataDir: ./.data   # state lives here

connections:
  # The main company, synced every quarter hour.
  - id: main
    name: Main company       # shown on the dashboard
    epicor:
      tenantUrl: https://erp.example.com/ERP11PROD
      company: EPIC06
      auth: { kind: basic, username: svc }   # password in the store
    schedule:
      every: 15m             # keep in step with the ERP batch jobs

  # Second company.
  - id: second
    epicor:
      tenantUrl: https://erp.example.com/ERP11PROD
      company: EPIC07
      auth: { kind: basic, username: svc }
    schedule: { cron: "0 * * * *", timezone: Europe/Zurich }

# Logging, at the end.
log:
  level: info   # fatal | error | warn | info | debug | trace | silent
`;

const THIRD = {
  id: 'third',
  name: 'Third',
  epicor: {
    tenantUrl: 'https://erp.example.com/ERP11PROD',
    company: 'EPIC08',
    auth: { kind: 'token-resource', username: 'svc3' },
  },
  hubspot: { tier: 'enterprise' },
  schedule: { every: '30m' },
};

const opts = { env: {}, cwd: '/work/cwd' };

function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail('expected a ConfigError');
}

/** The lines of `text` that are not inside the connection `id`'s item (rough: by the `- id:` lines). */
const commentLines = (text: string): string[] => text.split('\n').filter((l) => l.includes('#'));

describe('editConfigText', () => {
  it('adds a connection at the end of the list, leaving every other byte as it was', () => {
    const result = editConfigText(FILE, { op: 'add', connection: THIRD }, opts);
    assert.equal(result.connectionId, 'third');
    assert.ok(result.changed);
    assert.deepEqual(
      result.config.connections.map((c) => c.id),
      ['main', 'second', 'third'],
    );
    const third = result.config.connections[2];
    assert.equal(third?.hubspot.tier, 'enterprise');
    assert.equal(third?.schedule.kind, 'interval');
    // Everything before the insertion point and after it is unchanged.
    const at = FILE.indexOf('# Logging');
    assert.ok(result.text.startsWith(FILE.slice(0, FILE.indexOf('\n# Logging'))));
    assert.ok(result.text.endsWith(FILE.slice(at)));
    assert.match(result.text, /\n {2}- id: third\n {4}name: Third\n {4}epicor:\n/);
    for (const line of commentLines(FILE)) assert.ok(result.text.includes(line), `kept: ${line}`);
  });

  it('refuses an id that exists (409-style error), with nothing changed', () => {
    assert.throws(
      () => editConfigText(FILE, { op: 'add', connection: { ...THIRD, id: 'second' } }, opts),
      (error) => error instanceof ConnectionExistsError && error.code === 'ERR_CONNECTION_EXISTS',
    );
  });

  it('reports every problem of an invalid connection with its path, before anything is written', () => {
    const issues = issuesOf(() =>
      editConfigText(
        FILE,
        {
          op: 'add',
          connection: {
            id: 'Bad Id',
            epicor: { tenantUrl: 'ftp://x', auth: { kind: 'basic' } },
            schedule: { every: 'sometimes' },
            colour: 'blue',
          },
        },
        opts,
      ),
    );
    const text = issues.join('\n');
    assert.match(text, /connections\[2\]\.id:/);
    assert.match(text, /connections\[2\]\.epicor\.company: Required/);
    assert.match(text, /connections\[2\]\.epicor\.auth\.username: Required/);
    assert.match(text, /connections\[2\]\.epicor\.tenantUrl:/);
    assert.match(text, /connections\[2\]\.schedule/);
    assert.match(text, /connections\[2\]\.colour: unknown key/);
  });

  it('reports unparseable URLs as problems (the URL checks used to throw a TypeError)', () => {
    const issues = issuesOf(() =>
      editConfigText(
        FILE,
        {
          op: 'add',
          connection: {
            ...THIRD,
            epicor: {
              ...THIRD.epicor,
              tenantUrl: 'not a url',
              auth: { kind: 'oauth2', tokenUrl: 'bad url', clientId: 'c' },
            },
            hubspot: { baseUrl: 'nope nope' },
          },
        },
        opts,
      ),
    );
    assert.deepEqual(issues, [
      'connections[2].epicor.tenantUrl: an http:// or https:// URL',
      'connections[2].epicor.auth.tokenUrl: an http:// or https:// URL',
      'connections[2].hubspot.baseUrl: an http:// or https:// URL',
    ]);
  });

  it('refuses secrets anywhere in the connection, never repeating the value', () => {
    const issues = issuesOf(() =>
      editConfigText(
        FILE,
        {
          op: 'add',
          connection: {
            ...THIRD,
            epicor: { ...THIRD.epicor, auth: { kind: 'basic', username: 'u', password: 'hunter2-secret' } },
            hubspot: { accessToken: 'pat-na1-secret' },
          },
        },
        opts,
      ),
    );
    const text = issues.join('\n');
    assert.match(text, /connections\[2\]\.epicor\.auth\.password: secrets must not be in the config file/);
    assert.match(text, /connections\[2\]\.hubspot\.accessToken: secrets must not be in the config file/);
    assert.ok(!text.includes('hunter2') && !text.includes('pat-na1'));
  });

  it('patches one setting in place: comments of the connection stay, the rest of the file is untouched', () => {
    const result = editConfigText(
      FILE,
      { op: 'patch', id: 'main', patch: { schedule: { every: '5m' } } },
      opts,
    );
    assert.equal(result.config.connections[0]?.schedule.kind, 'interval');
    assert.equal(
      result.config.connections[0]?.schedule.kind === 'interval' &&
        result.config.connections[0].schedule.everyMs,
      300_000,
    );
    assert.equal(result.text, FILE.replace('every: 15m', 'every: 5m'), 'only the value changed');
    // The second connection and the tail are byte-identical.
    const from = FILE.indexOf('  # Second company.');
    assert.ok(result.text.endsWith(FILE.slice(from)));
    assert.ok(result.text.startsWith(FILE.slice(0, FILE.indexOf('  - id: main'))));
  });

  it('patch: null removes a key; a different auth kind replaces the auth block; every → cron', () => {
    const result = editConfigText(
      FILE,
      {
        op: 'patch',
        id: 'main',
        patch: {
          name: null,
          epicor: { auth: { kind: 'oauth2', tokenUrl: 'https://login.example.com/token', clientId: 'c1' } },
          schedule: { every: null, cron: '*/5 * * * *' },
        },
      },
      opts,
    );
    const main = result.config.connections[0];
    assert.equal(main?.name, 'main');
    assert.equal(main?.epicor.auth.kind, 'oauth2');
    assert.equal(main?.schedule.kind, 'cron');
  });

  it('replaces a connection: keys not given are removed, kept keys keep their comments', () => {
    const result = editConfigText(
      FILE,
      {
        op: 'replace',
        id: 'main',
        connection: {
          name: 'Main (renamed)',
          epicor: {
            tenantUrl: 'https://erp.example.com/ERP11PROD',
            company: 'EPIC06',
            auth: { kind: 'basic', username: 'svc2' },
          },
        },
      },
      opts,
    );
    const main = result.config.connections[0];
    assert.equal(main?.name, 'Main (renamed)');
    assert.equal(main?.epicor.auth.kind === 'basic' && main.epicor.auth.username, 'svc2');
    assert.equal(main?.schedule.kind === 'interval' && main.schedule.text, '15m', 'the default again');
    assert.match(result.text, /name: Main \(renamed\) # shown on the dashboard/);
    assert.doesNotMatch(result.text.slice(0, result.text.indexOf('# Second')), /schedule:/);
  });

  it('refuses to change the id, and unknown ids are ConnectionNotFoundError', () => {
    const issues = issuesOf(() =>
      editConfigText(FILE, { op: 'patch', id: 'main', patch: { id: 'other' } }, opts),
    );
    assert.match(issues.join(), /connections\[0\]\.id: the id cannot be changed/);
    for (const edit of [
      { op: 'patch', id: 'nope', patch: {} },
      { op: 'replace', id: 'nope', connection: {} },
      { op: 'remove', id: 'nope' },
    ] as const) {
      assert.throws(
        () => editConfigText(FILE, edit, opts),
        (error) => error instanceof ConnectionNotFoundError && /known: main, second/.test(error.message),
      );
    }
  });

  it('removes a connection and only its lines', () => {
    const result = editConfigText(FILE, { op: 'remove', id: 'main' }, opts);
    assert.deepEqual(
      result.config.connections.map((c) => c.id),
      ['second'],
    );
    const start = FILE.indexOf('  # The main company');
    const end = FILE.indexOf('  # Second company.');
    assert.equal(result.text, FILE.slice(0, start) + FILE.slice(end));
    // The last one cannot go: the schema wants at least one connection.
    const issues = issuesOf(() => editConfigText(result.text, { op: 'remove', id: 'second' }, opts));
    assert.match(issues.join(), /connections: add at least one connection/);
  });

  it('edits the commented default template and JSON files', () => {
    const template = defaultConfigText();
    const added = editConfigText(template, { op: 'add', connection: THIRD }, opts);
    assert.ok(added.text.startsWith(template.slice(0, template.lastIndexOf('\n', template.length - 2))));
    for (const line of commentLines(template)) assert.ok(added.text.includes(line), `kept: ${line}`);
    const removed = editConfigText(added.text, { op: 'remove', id: 'third' }, opts);
    assert.equal(removed.text, template);

    const json = JSON.stringify({ connections: [{ ...THIRD, id: 'one' }] }, null, 2);
    const edited = editConfigText(json, { op: 'add', connection: THIRD }, opts);
    assert.deepEqual(
      (JSON.parse(edited.text) as { connections: { id: string }[] }).connections.map((c) => c.id),
      ['one', 'third'],
    );
  });

  it('a patch that changes nothing reports changed: false', () => {
    const result = editConfigText(FILE, { op: 'patch', id: 'main', patch: { name: 'Main company' } }, opts);
    assert.equal(result.changed, false);
    assert.equal(result.text, FILE);
  });
});

describe('editConfigFile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlc-edit-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes atomically, keeps the mode, leaves no temp file; an invalid edit writes nothing', async () => {
    const path = join(dir, 'ml-connector.yaml');
    await writeFile(path, FILE);
    await chmod(path, 0o640);
    const before = await stat(path);
    const result = await editConfigFile(path, { op: 'add', connection: THIRD }, { env: {}, cwd: dir });
    assert.equal(result.connectionId, 'third');
    const after = await stat(path);
    assert.equal(after.mode & 0o777, 0o640);
    assert.notEqual(after.ino, before.ino, 'replaced by rename, not rewritten in place');
    assert.equal(await readFile(path, 'utf8'), result.text);
    assert.deepEqual(await readdir(dir), ['ml-connector.yaml']);

    const text = await readFile(path, 'utf8');
    await assert.rejects(
      editConfigFile(path, { op: 'patch', id: 'main', patch: { schedule: { every: 'never' } } }, { env: {} }),
      ConfigError,
    );
    assert.equal(await readFile(path, 'utf8'), text, 'nothing written on a validation error');
    assert.equal((await stat(path)).ino, after.ino);
  });

  it('serialises concurrent edits of one file (none is lost) and writes through a symlink', async () => {
    const real = join(dir, 'real.yaml');
    const link = join(dir, 'link.yaml');
    await writeFile(real, FILE);
    await symlink(real, link);
    await Promise.all(
      ['a1', 'a2', 'a3', 'a4'].map((id) =>
        editConfigFile(link, { op: 'add', connection: { ...THIRD, id } }, { env: {} }),
      ),
    );
    const text = await readFile(real, 'utf8');
    for (const id of ['a1', 'a2', 'a3', 'a4']) assert.match(text, new RegExp(`- id: ${id}\\n`));
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link is still a link');
  });

  it('a read-only folder is ERR_CONFIG_WRITE and the file is left as it was', async (t) => {
    if (process.getuid?.() === 0) {
      t.skip('root ignores permissions');
      return;
    }
    const ro = await mkdtemp(join(tmpdir(), 'mlc-edit-ro-'));
    const path = join(ro, 'c.yaml');
    await writeFile(path, FILE);
    await chmod(ro, 0o500);
    try {
      await assert.rejects(
        editConfigFile(path, { op: 'remove', id: 'second' }, { env: {} }),
        (error: Error & { code?: string }) => error.code === 'ERR_CONFIG_WRITE',
      );
      assert.equal(await readFile(path, 'utf8'), FILE);
    } finally {
      await chmod(ro, 0o700);
      await rm(ro, { recursive: true, force: true });
    }
  });
});
