import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseExposition, sampleValue } from './metrics/exposition.js';
import { METRIC_NAMES } from './metrics/metrics.js';
import { type ServiceHarness, startServiceHarness } from './testing/service-harness.js';

const ACTIONS = ['created', 'updated', 'unchanged', 'failed', 'skipped', 'archived'] as const;

/** Audit rows per action for the connection, read page by page from the store. */
async function auditCounts(h: ServiceHarness): Promise<Record<string, number>> {
  const row = await h.ctx.store.connections.getByName('demo');
  assert.ok(row);
  const counts: Record<string, number> = Object.fromEntries(ACTIONS.map((a) => [a, 0]));
  let cursor: string | undefined;
  do {
    const page = await h.ctx.store.audit.query({
      connectionId: row.id,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const entry of page.rows) counts[entry.action] = (counts[entry.action] ?? 0) + 1;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return counts;
}

async function metricCounts(
  h: ServiceHarness,
): Promise<{ families: ReturnType<typeof parseExposition>; byOutcome: Record<string, number> }> {
  const response = await h.api('/metrics');
  assert.equal(response.status, 200);
  const families = parseExposition(await response.text());
  const byOutcome: Record<string, number> = Object.fromEntries(ACTIONS.map((a) => [a, 0]));
  for (const sample of families.get(METRIC_NAMES.recordsSynced)?.samples ?? []) {
    assert.equal(sample.labels['connection'], 'demo');
    const outcome = sample.labels['outcome'] ?? '';
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + sample.value;
  }
  return { families, byOutcome };
}

describe('service (scheduler + engine + HTTP API) against both simulators', () => {
  let h: ServiceHarness;
  let hook: Server;
  const alerts: unknown[] = [];
  let alerted: () => void = () => {};
  const firstAlert = new Promise<void>((resolve) => {
    alerted = resolve;
  });
  before(async () => {
    // A webhook receiver on loopback for the connection's alerts.
    hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        alerts.push(JSON.parse(body));
        alerted();
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as AddressInfo).port;
    h = await startServiceHarness({
      records: 30,
      editConfig: (text) =>
        `${text}    alerts:\n      webhookUrl: "http://127.0.0.1:${port}/hook"\n      format: generic\n`,
    });
  });
  after(async () => {
    await h.close();
    await new Promise((resolve) => hook.close(resolve));
  });

  const finished = () => h.service.scheduler.once('run:finished', (event) => event.connectionId === 'demo');

  it('is ready, and "sync now" runs a real sync whose metrics match the audit trail', async () => {
    assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
    const done = finished();
    const response = await h.api('/api/connections/demo/sync', { method: 'POST' });
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { connectionId: 'demo', outcome: 'started' });
    const { summary } = await done;
    assert.equal(summary.status, 'succeeded');
    assert.ok((summary.counts?.['created'] ?? 0) > 60);

    const audit = await auditCounts(h);
    const { families, byOutcome } = await metricCounts(h);
    assert.deepEqual(byOutcome, audit, 'records_synced_total by outcome equals the audit rows by action');
    assert.equal(
      audit['created'],
      h.sims.hubspot.control.count('companies') + h.sims.hubspot.control.count('contacts'),
    );
    assert.ok((sampleValue(families, METRIC_NAMES.apiRequests, { system: 'epicor' }) ?? 0) > 0);
    assert.ok((sampleValue(families, METRIC_NAMES.apiRequests, { system: 'hubspot' }) ?? 0) > 0);
    assert.equal(sampleValue(families, METRIC_NAMES.runs, { connection: 'demo', status: 'succeeded' }), 1);
    assert.equal(
      sampleValue(families, `${METRIC_NAMES.runDuration}_count`, { connection: 'demo', status: 'succeeded' }),
      1,
    );
    const budget = sampleValue(families, METRIC_NAMES.rateLimitBudget, { system: 'hubspot' });
    assert.ok(budget !== undefined && budget > 0 && budget <= 1);
    const lag = families.get(METRIC_NAMES.cursorLag)?.samples ?? [];
    assert.ok(
      lag.some((s) => s.labels['stream'] === 'customer'),
      'date-time cursors report a lag',
    );

    const view = (await (await h.api('/api/connections/demo')).json()) as {
      connection: { lastRun: { status: string }; streams: { stream: string }[]; state: string };
    };
    assert.equal(view.connection.lastRun.status, 'succeeded');
    assert.equal(view.connection.state, 'idle');
    assert.ok(view.connection.streams.length >= 2);
    const runs = (await (await h.api('/api/runs?connection=demo')).json()) as { runs: { status: string }[] };
    assert.equal(runs.runs[0]?.status, 'succeeded');
  });

  it('replays a failed batch through the API; it then shows as replayed and the metrics still match', async () => {
    const control = h.sims.hubspot.control;
    const vendors = h.sims.epicor.control.list('Vendors');
    const vendor = vendors[0];
    assert.ok(vendor);
    h.sims.epicor.control.update(
      'Vendors',
      { VendorNum: vendor['VendorNum'] },
      { Name: 'Renamed <b>"Vendor"</b> 🚀' },
    );
    // Every attempt of the next company upsert fails: the page's batch fails, the cursor stays.
    control.setFaults({
      failNext: { status: 503, count: 7, pathPrefix: '/crm/v3/objects/companies/batch/upsert' },
    });
    let done = finished();
    assert.equal((await h.api('/api/connections/demo/sync', { method: 'POST' })).status, 202);
    const failedRun = await done;
    assert.equal(failedRun.summary.status, 'failed');
    control.clearFaults();
    await firstAlert;
    const alert = alerts[0] as { kind: string; connectionId: string; link: string; text: string };
    assert.equal(alert.connectionId, 'demo');
    assert.equal(alert.kind, 'run-failed');
    assert.equal(alert.link, `${h.url}/connections/demo`, 'the alert links to the dashboard page');
    assert.ok(!JSON.stringify(alerts).includes(h.token));

    const failures = (await (await h.api('/api/failures?connection=demo')).json()) as {
      failures: {
        batch: { id: string; status: string };
        records: { sourceId: string; errorCategory: string }[];
      }[];
    };
    assert.equal(failures.failures.length, 1);
    const batch = failures.failures[0]?.batch;
    assert.ok(batch);
    assert.equal(batch.status, 'failed');
    assert.ok(
      failures.failures[0]?.records.some((r) =>
        r.sourceId.endsWith(`:vendor:${String(vendor['VendorNum'])}`),
      ),
    );

    assert.equal(
      (await h.api('/api/connections/demo/replay', { method: 'POST', body: { batchId: '999999' } })).status,
      404,
    );
    done = finished();
    const replay = await h.api('/api/connections/demo/replay', {
      method: 'POST',
      body: { batchId: batch.id },
    });
    assert.equal(replay.status, 202);
    const replayed = await done;
    assert.equal(replayed.summary.status, 'succeeded');
    const after = (await (await h.api('/api/failures?connection=demo')).json()) as { failures: unknown[] };
    assert.deepEqual(after.failures, []);
    const original = await h.ctx.store.batches.get(Number(batch.id));
    assert.ok(original?.replayedBy !== null && original?.replayedBy !== undefined);
    const company = control.findByProperty('companies', 'name', 'Renamed <b>"Vendor"</b> 🚀');
    assert.ok(company, 'the replay delivered the changed vendor');

    const audit = await auditCounts(h);
    const { byOutcome } = await metricCounts(h);
    assert.deepEqual(byOutcome, audit);
    const search = (await (await h.api(`/api/audit?label=${encodeURIComponent('renamed <b>')}`)).json()) as {
      rows: { action: string }[];
    };
    assert.ok(search.rows.some((r) => r.action === 'updated'));
  });

  it('pauses and resumes through the API and through the store (the CLI path)', async () => {
    const paused = await h.api('/api/connections/demo/pause', { method: 'POST' });
    assert.equal(paused.status, 200);
    assert.equal(h.service.scheduler.status('demo')?.paused, true);
    const refused = await h.api('/api/connections/demo/sync', { method: 'POST' });
    assert.equal(refused.status, 409);
    assert.deepEqual(await refused.json(), { connectionId: 'demo', outcome: 'paused' });
    const row = await h.ctx.store.connections.getByName('demo');
    assert.equal(row?.paused, true, 'the flag is kept in the store');

    // `ml-connector resume demo` in another process writes the store; the service polls it.
    const resumed = h.service.scheduler.once('connection:changed', (e) => e.change === 'resumed');
    assert.ok(row);
    await h.ctx.store.connections.setPaused(row.id, false);
    await resumed;
    assert.equal(h.service.scheduler.status('demo')?.paused, false);
  });

  it('re-reads the config: connections are added, changed and removed without a restart', async () => {
    const original = await readFile(h.configPath, 'utf8');
    const second = original
      .slice(original.indexOf('  - id: demo'))
      .replace('id: demo', 'id: second')
      .replace(/every: .*/, 'every: "2h"');
    await writeFile(h.configPath, `${original}${second}`);
    let report = (await (await h.api('/api/reload', { method: 'POST' })).json()) as {
      reload: { added: string[]; removed: string[]; unchanged: string[] };
    };
    assert.deepEqual(report.reload.added, ['second']);
    assert.deepEqual(report.reload.unchanged, ['demo']);
    assert.deepEqual(
      h.service.scheduler
        .list()
        .map((c) => c.id)
        .sort(),
      ['demo', 'second'],
    );
    assert.equal(h.service.scheduler.status('second')?.schedule, 'every 2h');

    await writeFile(h.configPath, original.replace(/every: .*/, 'every: "3h"'));
    report = (await (await h.api('/api/reload', { method: 'POST' })).json()) as typeof report;
    assert.deepEqual(report.reload.removed, ['second']);
    assert.deepEqual(
      h.service.scheduler.list().map((c) => c.id),
      ['demo'],
    );
    assert.equal(h.service.scheduler.status('demo')?.schedule, 'every 3h');

    await writeFile(h.configPath, 'connections: []\n');
    const invalid = await h.api('/api/reload', { method: 'POST' });
    assert.equal(invalid.status, 422);
    assert.equal(((await invalid.json()) as { error: { code: string } }).error.code, 'ERR_CONFIG');
    assert.deepEqual(
      h.service.scheduler.list().map((c) => c.id),
      ['demo'],
      'a bad file leaves the running config alone',
    );
  });
});
