/**
 * The admin commands as a user runs them (the built CLI in a child process) against both simulators
 * on loopback: init, credentials set/list/rotate-key, ping, setup, then sync, status and audit.
 * Secrets are checked to be absent from every byte printed and from the database files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type EpicorSimulator, startEpicorSimulator } from '../../sim/epicor/index.js';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../sim/hubspot/index.js';
import { loadConfig } from '../config/index.js';
import { MasterKey } from '../credentials/index.js';
import { FAST_EPICOR_RETRY, FAST_HUBSPOT_RETRY } from './testing/e2e.js';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');
const MAIN = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', here));

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every byte a command printed, collected to prove no secret ever appears. */
const printed: string[] = [];

function run(
  cwd: string,
  env: Record<string, string>,
  args: readonly string[],
  stdin?: string,
): Promise<Result> {
  const argv = [...(fromSource ? ['--import', 'tsx'] : []), MAIN, ...args];
  const child = spawn(process.execPath, argv, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => {
    child.on('close', (code) => {
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

const show = (r: Result): string =>
  `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: home };
}

/** Bytes of every file under `dir` (database, WAL, key files), for the secret scan. */
async function allFileBytes(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return out;
}

describe('init and the master key file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-admin-init-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a config that loads and a 0600 key file, and refuses to overwrite without --force', async () => {
    const env = baseEnv(dir);
    const first = await run(dir, env, ['init', '--company', 'ACME01']);
    assert.equal(first.code, 0, show(first));
    assert.match(first.stdout, /Next steps/);
    assert.match(first.stdout, /credentials set epicor/);
    const config = await loadConfig(join(dir, 'ml-connector.yaml'), {});
    assert.equal(config.connections[0]?.epicor.company, 'ACME01');
    assert.equal(config.keyFile, join(dir, '.data', 'master.key'));
    const info = await stat(config.keyFile);
    assert.equal(info.mode & 0o777, 0o600);
    const keyText = await readFile(config.keyFile, 'utf8');
    assert.ok(!first.stdout.includes(keyText.trim()), 'the key is never printed');
    const text = await readFile(join(dir, 'ml-connector.yaml'), 'utf8');

    const again = await run(dir, env, ['init']);
    assert.equal(again.code, 2, show(again));
    assert.match(again.stderr, /already exists.*--force/);
    assert.equal(await readFile(join(dir, 'ml-connector.yaml'), 'utf8'), text);

    const forced = await run(dir, env, ['--json', 'init', '--force']);
    assert.equal(forced.code, 0, show(forced));
    const report = JSON.parse(forced.stdout) as { keySource: string; configOverwritten: boolean };
    assert.equal(report.keySource, 'existing');
    assert.equal(report.configOverwritten, true);
    assert.equal(await readFile(config.keyFile, 'utf8'), keyText, 'the key file is never replaced');
  });

  it('writes no key file when ML_CONNECTOR_MASTER_KEY is set, and validates before writing', async () => {
    const sub = join(dir, 'env-key');
    const env = { ...baseEnv(dir), ML_CONNECTOR_MASTER_KEY: MasterKey.generate().unsafeExport() };
    const ok = await run(dir, env, ['init', '--dir', sub]);
    assert.equal(ok.code, 0, show(ok));
    assert.match(ok.stdout, /from ML_CONNECTOR_MASTER_KEY/);
    await assert.rejects(stat(join(sub, '.data', 'master.key')));

    const bad = await run(dir, { ...env, ML_CONNECTOR_LOG_LEVEL: 'loud' }, [
      'init',
      '--dir',
      join(dir, 'never'),
    ]);
    assert.equal(bad.code, 2, show(bad));
    assert.match(bad.stderr, /log\.level: .*ML_CONNECTOR_LOG_LEVEL/);
    await assert.rejects(stat(join(dir, 'never')), 'nothing was written');
  });
});

describe('credentials, ping, setup, status and audit against the simulators', () => {
  let dir: string;
  let epicor: EpicorSimulator;
  let hubspot: HubSpotSimulator;
  let env: Record<string, string>;
  let token: string;
  const cli = (args: readonly string[], stdin?: string) => run(dir, env, args, stdin);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-admin-'));
    epicor = await startEpicorSimulator({ seed: 3, vendors: 12, customers: 12, timeZone: 'UTC' });
    hubspot = await startHubSpotSimulator({ rateLimits: { enabled: false } });
    token = hubspot.control.privateAppToken;
    env = { ...baseEnv(dir), ML_CONNECTOR_MASTER_KEY: MasterKey.generate().unsafeExport() };
    const init = await cli([
      'init',
      '--tenant-url',
      epicor.tenantUrl,
      '--company',
      'EPIC06',
      '--username',
      epicor.settings.users[0]?.username ?? 'manager',
    ]);
    assert.equal(init.code, 0, show(init));
    // What a user edits next: the HubSpot URL, and set-aside for bad emails so failures show up; and
    // retry timing in milliseconds so a simulator that is down does not hold the test up.
    const path = join(dir, 'ml-connector.yaml');
    const text = (await readFile(path, 'utf8'))
      .replace('baseUrl: https://api.hubapi.com', `baseUrl: ${hubspot.url}`)
      .replace('invalidEmail: drop', 'invalidEmail: set-aside')
      .replace('      requestTimeout: 2m\n', `      requestTimeout: 2m\n${FAST_EPICOR_RETRY}\n`)
      .replace('      requestTimeout: 30s\n', `      requestTimeout: 30s\n${FAST_HUBSPOT_RETRY}\n`);
    assert.match(
      text,
      /retry: \{ baseDelay: 1ms[^\n]*\n[\s\S]*retry: \{ baseDelay: 1ms/,
      'both retry blocks added',
    );
    await writeFile(path, text);
  });
  after(async () => {
    await Promise.allSettled([epicor?.close(), hubspot?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  const apiKey = () => epicor.settings.apiKey;
  const password = () => epicor.settings.users[0]?.password ?? 'manager';

  it('credentials set reads KEY=value lines and JSON from stdin; list shows metadata only', async () => {
    const e = await cli(
      ['credentials', 'set', 'epicor', '--stdin'],
      `API_KEY=${apiKey()}\nPASSWORD=${password()}\n`,
    );
    assert.equal(e.code, 0, show(e));
    assert.match(e.stdout, /Stored epicor credentials \(apiKey, password\) for connection main/);
    const h = await cli(['credentials', 'set', 'hubspot'], JSON.stringify({ token }));
    assert.equal(h.code, 0, show(h));

    const list = await cli(['credentials', 'list']);
    assert.equal(list.code, 0, show(list));
    assert.match(list.stdout, /^main\s+epicor\s+ok\s+apiKey,password\s+[0-9a-f]{16}\s+\d{4}-\d\d-\d\dT/m);
    assert.match(list.stdout, /^main\s+hubspot\s+ok\s+token\s+[0-9a-f]{16}/m);
    const json = await cli(['--json', 'credentials', 'list']);
    const doc = JSON.parse(json.stdout) as {
      credentials: { system: string; state: string; keyId: string }[];
    };
    assert.deepEqual(
      doc.credentials.map((c) => [c.system, c.state]),
      [
        ['epicor', 'ok'],
        ['hubspot', 'ok'],
      ],
    );
  });

  it('credentials set refuses a field the auth kind does not use, without storing anything', async () => {
    const r = await cli(
      ['credentials', 'set', 'epicor'],
      `API_KEY=x-key-1\nPASSWORD=pw\nCLIENT_SECRET=zzz-secret\n`,
    );
    assert.equal(r.code, 2, show(r));
    assert.match(
      r.stderr,
      /epicor\.clientSecret is not used by connection "main" \(epicor\.auth\.kind basic\)/,
    );
    assert.doesNotMatch(r.stderr, /zzz-secret|x-key-1/);
  });

  it('ping passes against both simulators (exit 0), with change fields and advice to run setup', async () => {
    const r = await cli(['ping']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /✓ apiKey\s+API key accepted/);
    assert.match(r.stdout, /✓ stream:vendors .*SysRevID ✓.*configured: sys-rev-id/);
    assert.match(r.stdout, /✓ scope:crm\.objects\.contacts\.write\s+granted/);
    assert.match(r.stdout, /! properties:companies\s+not created yet: epicor_source_id/);
    assert.match(r.stdout, /All checks passed/);
    const json = await cli(['--json', 'ping']);
    assert.equal(json.code, 0, show(json));
    const doc = JSON.parse(json.stdout) as { ok: boolean; connections: { epicor: { streams: unknown[] } }[] };
    assert.equal(doc.ok, true);
    assert.equal(doc.connections[0]?.epicor.streams.length, 4);
  });

  it('setup creates the properties, and a second run changes nothing', async () => {
    const first = await cli(['setup']);
    assert.equal(first.code, 0, show(first));
    assert.match(first.stdout, /properties created: .*companies\.epicor_source_id/);
    const writesBefore = hubspot.control.requestLog().filter((r) => r.method !== 'GET').length;
    const second = await cli(['--json', 'setup']);
    assert.equal(second.code, 0, show(second));
    const doc = JSON.parse(second.stdout) as {
      connections: { propertiesCreated: string[]; groupsCreated: string[]; unchanged: string[] }[];
    };
    assert.deepEqual(doc.connections[0]?.propertiesCreated, []);
    assert.deepEqual(doc.connections[0]?.groupsCreated, []);
    assert.ok((doc.connections[0]?.unchanged.length ?? 0) >= 15);
    assert.equal(
      hubspot.control.requestLog().filter((r) => r.method !== 'GET').length,
      writesBefore,
      'the second setup only reads',
    );
    const ping = await cli(['ping']);
    assert.match(ping.stdout, /✓ properties:companies\s+\d+ properties present and compatible/);
  });

  it('ping fails with exit 6 and names the API key when Epicor rejects it', async () => {
    const wrong = 'wrong-api-key-0001';
    const set = await cli(['credentials', 'set', 'epicor'], `API_KEY=${wrong}\nPASSWORD=${password()}\n`);
    assert.equal(set.code, 0, show(set));
    const r = await cli(['ping']);
    assert.equal(r.code, 6, show(r));
    assert.match(r.stdout, /✗ apiKey\s+Epicor rejected the API key .*\[ERR_EPICOR_API_KEY\]/);
    assert.match(r.stdout, /fix: check the API key in Epicor/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(wrong));
    const restore = await cli(
      ['credentials', 'set', 'epicor'],
      `API_KEY=${apiKey()}\nPASSWORD=${password()}\n`,
    );
    assert.equal(restore.code, 0, show(restore));
  });

  it('ping fails with exit 6 and names each missing HubSpot scope', async () => {
    hubspot.control.addPrivateAppToken('pat-read-only', [
      'crm.objects.companies.read',
      'crm.objects.contacts.read',
    ]);
    const fromEnv = await run(dir, { ...env, ML_CONNECTOR_HUBSPOT_TOKEN: 'pat-read-only' }, [
      'credentials',
      'set',
      'hubspot',
      '--from-env',
    ]);
    assert.equal(fromEnv.code, 0, show(fromEnv));
    const r = await cli(['ping']);
    assert.equal(r.code, 6, show(r));
    assert.match(r.stdout, /✗ scope:crm\.objects\.companies\.write\s+not granted/);
    assert.match(r.stdout, /✗ scope:crm\.schemas\.contacts\.write\s+not granted/);
    assert.match(r.stdout, /✓ scope:crm\.objects\.contacts\.read\s+granted/);
    const restore = await cli(['credentials', 'set', 'hubspot'], token);
    assert.equal(restore.code, 0, show(restore));
  });

  it('ping fails with exit 6 when HubSpot does not answer, naming the base URL to check', async () => {
    const path = join(dir, 'ml-connector.yaml');
    const good = await readFile(path, 'utf8');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await writeFile(path, good.replace(`baseUrl: ${hubspot.url}`, `baseUrl: http://127.0.0.1:${port}`));
    try {
      const r = await cli(['ping', '--timeout', '5']);
      assert.equal(r.code, 6, show(r));
      assert.match(
        r.stdout,
        /HubSpot {2}http:\/\/127\.0\.0\.1:\d+ {2}auth private-app\n\s+✗ reachability .*\[ERR_HUBSPOT_HTTP\]/,
      );
      assert.match(r.stdout, /fix: check hubspot\.baseUrl/);
      assert.match(r.stdout, /✓ apiKey\s+API key accepted/, 'Epicor is still checked');
    } finally {
      await writeFile(path, good);
    }
  });

  it('status and audit show a sync run: counts, failures with reasons, CSV and JSON lines', async () => {
    const sync = await cli(['--json', 'sync']);
    const report = JSON.parse(sync.stdout) as {
      status: string;
      runId: string;
      totals: Record<string, number>;
      failures: { sourceId: string }[];
    };
    assert.equal(report.status, 'partial', show(sync)); // the seeded data holds contacts with bad emails
    const failures = report.totals['failed'] ?? 0;
    assert.ok(failures > 0);

    const status = await cli(['status']);
    assert.equal(status.code, 0, show(status));
    const created = report.totals['created'] ?? 0;
    assert.match(
      status.stdout,
      new RegExp(
        `^\\s*${report.runId}\\s+sync\\s+partial\\s+\\S+\\s+\\S+\\s+${created}\\s+0\\s+0\\s+${failures}\\s`,
        'm',
      ),
    );
    assert.match(status.stdout, /^vendors\s+yes\s+\d+/m, 'the vendor cursor moved');
    assert.match(status.stdout, /Records still failing .*\n(?:.*\n)*.*mapping\s+.*not a valid email/);
    const statusJson = JSON.parse((await cli(['--json', 'status'])).stdout) as {
      connections: { failedRecords: { sourceId: string }[]; runs: { id: number }[] }[];
    };
    const listed = new Set(statusJson.connections[0]?.failedRecords.map((f) => f.sourceId));
    assert.equal(listed.size, Math.min(10, new Set(report.failures.map((f) => f.sourceId)).size));

    const csv = await cli(['audit', '--run', report.runId, '--format', 'csv', '--limit', '5000']);
    assert.equal(csv.code, 0, show(csv));
    const lines = csv.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      'id,at,connection,run,batch,stream,action,source_id,hubspot_id,label,error_category,error_message,content_hash',
    );
    const total = Object.values(report.totals).reduce((a, b) => a + b, 0);
    assert.equal(lines.length - 1, total, 'one audit row per record');

    const failed = await cli(['--json', 'audit', '--action', 'failed', '--run', report.runId]);
    const rows = failed.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; errorMessage: string; sourceId: string });
    assert.equal(rows.length, failures);
    assert.ok(rows.every((r) => r.action === 'failed' && /not a valid email/.test(r.errorMessage)));

    const one = rows[0]?.sourceId ?? '';
    const table = await cli(['audit', '--source-id', one]);
    assert.match(table.stdout, new RegExp(`failed\\s+${one.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const none = await cli(['audit', '--since', '2000-01-01', '--until', '2000-01-02']);
    assert.equal(none.stdout, 'No audit rows match.\n');
    const bad = await cli(['audit', '--action', 'exploded']);
    assert.equal(bad.code, 2, show(bad));
  });

  it('rotate-key re-encrypts everything: readable with the new key, a clear error with the old one', async () => {
    const oldKey = env['ML_CONNECTOR_MASTER_KEY'] ?? '';
    const newKey = MasterKey.generate().unsafeExport();
    const rotate = await run(dir, { ...env, ML_CONNECTOR_NEW_MASTER_KEY: newKey }, [
      'credentials',
      'rotate-key',
    ]);
    assert.equal(rotate.code, 0, show(rotate));
    assert.match(
      rotate.stdout,
      /Re-encrypted 2 secrets from key [0-9a-f]{16} to key [0-9a-f]{16}; 2 read back/,
    );
    const oldId = MasterKey.parse(oldKey).id;
    const newId = MasterKey.parse(newKey).id;

    env = { ...env, ML_CONNECTOR_MASTER_KEY: newKey };
    const ping = await cli(['ping']);
    assert.equal(ping.code, 0, show(ping));

    const stale = await run(dir, { ...env, ML_CONNECTOR_MASTER_KEY: oldKey }, ['ping']);
    assert.equal(stale.code, 2, show(stale));
    assert.match(
      stale.stderr,
      new RegExp(
        `ERR_CREDENTIALS_KEY_MISMATCH.*encrypted with master key ${newId}, but the loaded master key is ${oldId}`,
      ),
    );
    const list = await run(dir, { ...env, ML_CONNECTOR_MASTER_KEY: oldKey }, ['credentials', 'list']);
    assert.match(list.stdout, /^main\s+epicor\s+wrong-key/m);

    // Re-running the same rotation (old key still loaded) is harmless; rotating to the loaded key is refused.
    const again = await run(
      dir,
      { ...env, ML_CONNECTOR_MASTER_KEY: oldKey, ML_CONNECTOR_NEW_MASTER_KEY: newKey },
      ['credentials', 'rotate-key'],
    );
    assert.equal(again.code, 0, show(again));
    assert.match(again.stdout, /Re-encrypted 0 secrets.*\(2 already under the new key\)/);
    const same = await run(dir, { ...env, ML_CONNECTOR_NEW_MASTER_KEY: newKey }, [
      'credentials',
      'rotate-key',
    ]);
    assert.equal(same.code, 2, show(same));
    assert.match(same.stderr, /already loaded/);
  });

  it('never prints or stores a secret in clear', async () => {
    const secrets = [apiKey(), password(), token, 'pat-read-only', env['ML_CONNECTOR_MASTER_KEY'] ?? ''];
    const everything = printed.join('\n');
    for (const secret of secrets) {
      assert.ok(secret.length >= 7, `test secret ${secret} is long enough to be meaningful`);
      assert.ok(!everything.includes(secret), `printed output contains ${secret}`);
    }
    for (const bytes of await allFileBytes(join(dir, '.data'))) {
      for (const secret of [apiKey(), token, 'pat-read-only']) {
        assert.ok(!bytes.includes(secret), `a data file contains ${secret}`);
      }
    }
  });
});

describe('rotate-key with a key file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ml-admin-rotate-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the key file (0600), keeps the old one as a backup, and the old key no longer reads', async () => {
    const env = baseEnv(dir);
    assert.equal((await run(dir, env, ['init'])).code, 0);
    const set = await run(dir, env, ['credentials', 'set', 'hubspot'], 'pat-file-rotation-token');
    assert.equal(set.code, 0, show(set));
    const keyFile = join(dir, '.data', 'master.key');
    const oldText = await readFile(keyFile, 'utf8');
    const oldId = MasterKey.parse(oldText).id;

    const rotate = await run(dir, env, ['credentials', 'rotate-key']);
    assert.equal(rotate.code, 0, show(rotate));
    const backup = join(dir, '.data', `master.key.old-${oldId}`);
    assert.match(rotate.stdout, new RegExp(`kept as ${backup.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(await readFile(backup, 'utf8'), oldText);
    assert.notEqual(await readFile(keyFile, 'utf8'), oldText);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal((await stat(backup)).mode & 0o777, 0o600);

    const list = await run(dir, env, ['credentials', 'list']);
    assert.match(list.stdout, /^main\s+hubspot\s+ok\s+token/m);
    const stale = await run(dir, { ...env, ML_CONNECTOR_KEY_FILE: backup }, ['credentials', 'list']);
    assert.match(stale.stdout, /^main\s+hubspot\s+wrong-key/m);
    assert.ok(!printed.join('').includes('pat-file-rotation-token'));
  });
});
