/**
 * Connection management without a restart: the running service (both simulators, real HTTP server) gets a
 * connection added through the API and one through the CLI (a separate process that asks the service to
 * reload), sees them scheduled, has a schedule changed and connections removed — all by editing the config
 * file, whose comments survive.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ServiceHarness, startServiceHarness } from './testing/service-harness.js';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');
const MAIN = fileURLToPath(new URL(fromSource ? '../cli/main.ts' : '../cli/main.js', here));

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('connections: added, changed and removed through the API and the CLI without a restart', () => {
  let h: ServiceHarness;
  before(async () => {
    h = await startServiceHarness({ records: 5 });
  });
  after(async () => {
    await h.close();
  });

  const cli = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [...(fromSource ? ['--import', 'tsx'] : []), MAIN, '--config', h.configPath, ...args],
        {
          env: { PATH: process.env['PATH'] ?? '', HOME: h.dir, ML_CONNECTOR_API_TOKEN: h.token },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const scheduled = () =>
    h.service.scheduler
      .list()
      .map((c) => c.id)
      .sort();

  const settings = (id: string, company: string, every: string) => ({
    id,
    name: `Connection ${id}`,
    epicor: {
      tenantUrl: h.sims.epicor.tenantUrl,
      company,
      auth: { kind: 'basic', username: 'demo' },
    },
    hubspot: { baseUrl: h.sims.hubspot.url, tier: 'starter' },
    schedule: { every },
  });

  it('refuses connection changes without the API token, and changes nothing', async () => {
    const before = await readFile(h.configPath, 'utf8');
    for (const [method, path] of [
      ['POST', '/api/connections'],
      ['PUT', '/api/connections/demo'],
      ['DELETE', '/api/connections/demo'],
    ] as const) {
      const response = await fetch(h.url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'DELETE' ? {} : { body: JSON.stringify(settings('sneaky', 'EPIC09', '1h')) }),
      });
      assert.equal(response.status, 401, `${method} ${path}`);
    }
    assert.equal(await readFile(h.configPath, 'utf8'), before);
    assert.deepEqual(scheduled(), ['demo']);
  });

  it('adds a connection through the API: scheduled at once, comments kept, credentials asked for', async () => {
    const before = await readFile(h.configPath, 'utf8');
    const response = await h.api('/api/connections', {
      method: 'POST',
      body: settings('api-added', 'EPIC07', '2h'),
    });
    assert.equal(response.status, 201);
    const body = (await response.json()) as {
      connectionId: string;
      change: string;
      reload: { added: string[] };
      credentials: { missing: string[]; next: string[] };
    };
    assert.equal(body.connectionId, 'api-added');
    assert.deepEqual(body.reload.added, ['api-added']);
    assert.ok(body.credentials.missing.includes('hubspot.token'));
    assert.deepEqual(body.credentials.next, [
      'ml-connector credentials set epicor --connection api-added',
      'ml-connector credentials set hubspot --connection api-added',
    ]);
    assert.deepEqual(scheduled(), ['api-added', 'demo']);
    assert.equal(h.service.scheduler.status('api-added')?.schedule, 'every 2h');

    const after = await readFile(h.configPath, 'utf8');
    assert.ok(after.startsWith(before), 'the file is only appended to: comments and layout kept');
    assert.match(after, /^# ml-connector demo/);

    const list = (await (await h.api('/api/connections')).json()) as {
      connections: { id: string; schedule: string; epicor: { company: string }; credentials: object }[];
    };
    const added = list.connections.find((c) => c.id === 'api-added');
    assert.equal(added?.schedule, 'every 2h');
    assert.equal(added?.epicor.company, 'EPIC07');
    assert.deepEqual(added?.credentials, { epicor: false, hubspot: false });
    assert.deepEqual(list.connections.find((c) => c.id === 'demo')?.credentials, {
      epicor: true,
      hubspot: true,
    });
  });

  it('answers 409 for an existing id and 422 with every problem for invalid settings (file untouched)', async () => {
    const before = await readFile(h.configPath, 'utf8');
    const exists = await h.api('/api/connections', { method: 'POST', body: settings('demo', 'X', '1h') });
    assert.equal(exists.status, 409);
    const invalid = await h.api('/api/connections', {
      method: 'POST',
      body: {
        id: 'broken',
        epicor: { tenantUrl: 'not a url', auth: { kind: 'basic', username: 'u', password: 'hunter2' } },
        schedule: { every: 'often' },
      },
    });
    assert.equal(invalid.status, 422);
    const text = await invalid.text();
    const { error } = JSON.parse(text) as { error: { code: string; issues: string[] } };
    assert.equal(error.code, 'ERR_CONFIG');
    const issues = error.issues.join('\n');
    assert.match(issues, /connections\[2\]\.epicor\.company: Required/);
    assert.match(issues, /connections\[2\]\.epicor\.tenantUrl:/);
    assert.match(issues, /connections\[2\]\.epicor\.auth\.password: secrets must not be in the config file/);
    assert.match(issues, /connections\[2\]\.schedule\.every:/);
    assert.ok(!text.includes('hunter2'), 'the secret is never echoed');
    assert.equal(await readFile(h.configPath, 'utf8'), before);
    assert.deepEqual(scheduled(), ['api-added', 'demo']);
  });

  it('adds a connection through the CLI: the running service reloads and schedules it', async () => {
    const result = await cli(
      'connections',
      'add',
      'cli-added',
      '--tenant-url',
      h.sims.epicor.tenantUrl,
      '--company',
      'EPIC08',
      '--epicor-auth',
      'basic',
      '--username',
      'demo',
      '--hubspot-url',
      h.sims.hubspot.url,
      '--tier',
      'enterprise',
      '--every',
      '3h',
      '--url',
      h.url,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /The running service reloaded its config \(added: cli-added/);
    assert.match(result.stdout, /ml-connector credentials set hubspot --connection cli-added/);
    assert.deepEqual(scheduled(), ['api-added', 'cli-added', 'demo']);
    assert.equal(h.service.scheduler.status('cli-added')?.schedule, 'every 3h');

    const list = await cli('--json', 'connections', 'list');
    assert.equal(list.code, 0, list.stderr);
    const rows = (JSON.parse(list.stdout) as { connections: { id: string; schedule: string }[] }).connections;
    assert.deepEqual(
      rows.map((r) => `${r.id} ${r.schedule}`),
      ['demo every 1h', 'api-added every 2h', 'cli-added every 3h'],
    );
  });

  it("changes a connection's schedule through the API and the CLI", async () => {
    const put = await h.api('/api/connections/api-added', {
      method: 'PUT',
      body: { ...settings('api-added', 'EPIC07', '2h'), schedule: { cron: '0 6 * * *' } },
    });
    assert.equal(put.status, 200);
    assert.deepEqual(((await put.json()) as { reload: { updated: string[] } }).reload.updated, ['api-added']);
    assert.match(h.service.scheduler.status('api-added')?.schedule ?? '', /0 6 \* \* \*/);

    const set = await cli('connections', 'set', 'cli-added', '--every', '45m', '--url', h.url);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(h.service.scheduler.status('cli-added')?.schedule, 'every 45m');

    const missing = await h.api('/api/connections/nope', {
      method: 'PUT',
      body: settings('nope', 'X', '1h'),
    });
    assert.equal(missing.status, 404);
  });

  it('removes connections through the API and the CLI (with --purge, the store rows go too)', async () => {
    const removed = await h.api('/api/connections/api-added', { method: 'DELETE' });
    assert.equal(removed.status, 200);
    assert.deepEqual(((await removed.json()) as { reload: { removed: string[] } }).reload.removed, [
      'api-added',
    ]);
    assert.deepEqual(scheduled(), ['cli-added', 'demo']);
    assert.equal((await h.api('/api/connections/api-added', { method: 'DELETE' })).status, 404);
    assert.ok(await h.ctx.store.connections.getByName('api-added'), 'history is kept without --purge');

    assert.ok(await h.ctx.store.connections.getByName('cli-added'));
    const refused = await cli('connections', 'remove', 'cli-added', '--purge', '--url', h.url);
    assert.equal(refused.code, 2, 'no terminal to confirm on and no --yes');
    assert.deepEqual(scheduled(), ['cli-added', 'demo'], 'nothing changed');

    const gone = await cli('connections', 'remove', 'cli-added', '--purge', '--yes', '--url', h.url);
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(scheduled(), ['demo']);
    assert.equal(await h.ctx.store.connections.getByName('cli-added'), undefined);
    assert.ok(await h.ctx.store.connections.getByName('demo'));
    assert.doesNotMatch(await readFile(h.configPath, 'utf8'), /cli-added|api-added/);
  });
});
