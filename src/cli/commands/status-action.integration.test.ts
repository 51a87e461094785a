/**
 * `status` over a real SQLite store: the per-stream breakdown of each recent run (table and JSON), read
 * from the audit trail, so a run whose customers failed while its vendors landed says so.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openAppContext } from '../../app/index.js';
import { silentLogger } from '../../core/logger.js';
import { Redactor } from '../../core/redact.js';
import type { AuditInput } from '../../store/index.js';
import type { Output } from '../output/io.js';
import { statusAction } from './status-action.js';

const zero = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };

describe('status: counts per stream of each recent run', () => {
  let dir: string;
  let configPath: string;
  let runs: { first: number; second: number; empty: number };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlc-status-'));
    configPath = join(dir, 'ml-connector.yaml');
    await writeFile(
      configPath,
      `dataDir: ${JSON.stringify(join(dir, 'data'))}
connections:
  - id: main
    epicor: { tenantUrl: "http://127.0.0.1:9/E", company: EPIC06, auth: { kind: basic, username: u } }
    hubspot: { baseUrl: "http://127.0.0.1:9" }
`,
    );
    const ctx = await openAppContext({ configPath, env: {}, logger: silentLogger, requireKey: false });
    try {
      const { store } = ctx;
      const connection = await store.connections.create({ name: 'main', settings: {} });
      const record = (stream: string, action: AuditInput['action'], n: number): AuditInput[] =>
        Array.from({ length: n }, (_, i) => ({ stream, sourceId: `${stream}-${action}-${i}`, action }));
      const runWith = async (entries: AuditInput[], status: 'succeeded' | 'partial'): Promise<number> => {
        const run = await store.runs.start({ connectionId: connection.id, kind: 'sync' });
        await store.audit.append(
          { runId: run.id, batchId: null, connectionId: connection.id, at: 1 },
          entries,
        );
        const counts = { ...zero };
        for (const e of entries) counts[e.action] += 1;
        await store.runs.addCounts(run.id, counts);
        await store.runs.finish(run.id, { status });
        return run.id;
      };
      // Customers failed while vendors landed.
      const first = await runWith(
        [
          ...record('customer', 'failed', 3),
          ...record('vendor', 'created', 4),
          ...record('vendor', 'updated', 1),
          ...record('vendorContact', 'skipped', 2),
        ],
        'partial',
      );
      const second = await runWith(
        [...record('vendor', 'unchanged', 5), ...record('customer', 'updated', 3)],
        'succeeded',
      );
      const empty = await runWith([], 'succeeded');
      runs = { first, second, empty };
    } finally {
      await ctx.close();
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (json: boolean, runsShown = 5): Promise<string> => {
    let text = '';
    const output: Output = {
      out: (t) => {
        text += t;
      },
      err: () => {},
    };
    const code = await statusAction(
      { runs: runsShown, failures: 10 },
      { globals: { configPath, json, logLevel: undefined }, redactor: new Redactor() },
      output,
    );
    assert.equal(code, 0);
    return text;
  };

  it('lists each run with its streams in config order (JSON)', async () => {
    const body = JSON.parse(await status(true)) as {
      connections: {
        runs: { id: number; counts: object; streams: { stream: string; counts: object }[] }[];
      }[];
    };
    const listed = body.connections[0]?.runs ?? [];
    assert.deepEqual(
      listed.map((r) => [r.id, r.streams]),
      [
        [runs.empty, []],
        [
          runs.second,
          [
            { stream: 'vendors', counts: { ...zero, unchanged: 5 } },
            { stream: 'customers', counts: { ...zero, updated: 3 } },
          ],
        ],
        [
          runs.first,
          [
            { stream: 'vendors', counts: { ...zero, created: 4, updated: 1 } },
            { stream: 'customers', counts: { ...zero, failed: 3 } },
            { stream: 'vendorContacts', counts: { ...zero, skipped: 2 } },
          ],
        ],
      ],
    );
    assert.deepEqual(listed[2]?.counts, { ...zero, created: 4, updated: 1, failed: 3, skipped: 2 });
  });

  it('prints a per-stream table under the runs, only for the runs shown', async () => {
    const text = await status(false);
    const section = text.split('Last runs by stream\n')[1]?.split('\nPending replays')[0] ?? '';
    const rows = section
      .trim()
      .split('\n')
      .filter((line) => !/^[-\s]+$/.test(line))
      .map((line) => line.trim().split(/\s+/));
    assert.deepEqual(rows, [
      ['RUN', 'STREAM', 'CREATED', 'UPDATED', 'UNCHANGED', 'FAILED', 'SKIPPED'],
      [String(runs.second), 'vendors', '0', '0', '5', '0', '0'],
      [String(runs.second), 'customers', '0', '3', '0', '0', '0'],
      [String(runs.first), 'vendors', '4', '1', '0', '0', '0'],
      [String(runs.first), 'customers', '0', '0', '0', '3', '0'],
      [String(runs.first), 'vendorContacts', '0', '0', '0', '0', '2'],
    ]);

    const latestOnly = await status(false, 2);
    assert.match(latestOnly, new RegExp(`^\\s*${runs.second}\\s+customers\\s`, 'm'));
    assert.doesNotMatch(latestOnly, new RegExp(`^\\s*${runs.first}\\s+vendors\\s`, 'm'));
    const none = await status(false, 1);
    assert.doesNotMatch(none, /Last runs by stream/, 'the one run shown has no records');
  });
});
