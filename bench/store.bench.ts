/**
 * Store throughput on a SQLite file: commitBatch of 100-record pages (audit + id map + cursor +
 * counts in one transaction), id-map lookups, and audit paging. BENCH_SCALE=tiny for CI.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';

const tiny = process.env.BENCH_SCALE === 'tiny';
const batches = tiny ? 20 : 2000;
const perBatch = 100;

const dir = await mkdtemp(join(tmpdir(), 'ml-connector-bench-store-'));
try {
  const store = await openStore({ sqlitePath: join(dir, 'bench.db') });
  const connection = await store.connections.create({ name: 'bench', settings: {} });
  const run = await store.runs.start({ connectionId: connection.id, kind: 'sync' });
  let version = 0;
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const batch = await store.batches.create({
      runId: run.id,
      connectionId: connection.id,
      stream: 'vendor',
      query: { servicePath: 'Erp.BO.VendorSvc/Vendors', top: perBatch, skip: b * perBatch },
    });
    const ids = Array.from({ length: perBatch }, (_, i) => `EPIC06:vendor:${b * perBatch + i}`);
    const result = await store.commitBatch({
      connectionId: connection.id,
      runId: run.id,
      batchId: batch.id,
      status: 'succeeded',
      audit: ids.map((sourceId, i) => ({
        stream: 'vendor',
        sourceId,
        hubspotId: String(b * perBatch + i),
        action: 'created' as const,
        label: `Vendor ${sourceId}`,
        contentHash: 'h',
      })),
      idMap: ids.map((sourceId, i) => ({
        sourceId,
        kind: 'vendor',
        objectType: 'companies' as const,
        hubspotId: String(b * perBatch + i),
        contentHash: 'h',
        lastRunId: run.id,
      })),
      cursor: { stream: 'vendor', position: { value: String(b), key: String(b) }, expectedVersion: version },
    });
    if (!result.ok) throw new Error('unexpected cursor conflict');
    version += 1;
  }
  const commitMs = performance.now() - started;
  const records = batches * perBatch;

  const lookupStart = performance.now();
  for (let b = 0; b < batches; b++) {
    await store.idMap.getMany(
      connection.id,
      Array.from({ length: perBatch }, (_, i) => `EPIC06:vendor:${b * perBatch + i}`),
    );
  }
  const lookupMs = performance.now() - lookupStart;

  const pageStart = performance.now();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.audit.query({
      limit: 500,
      labelContains: 'vendor:1',
      ...(cursor ? { cursor } : {}),
    });
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor !== undefined);
  const pageMs = performance.now() - pageStart;
  await store.close();

  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
  console.log(
    `commitBatch: ${records} records in ${batches} batches, ${commitMs.toFixed(0)} ms (${rate(records, commitMs)} records/s)`,
  );
  console.log(
    `idMap.getMany: ${records} lookups, ${lookupMs.toFixed(0)} ms (${rate(records, lookupMs)} lookups/s)`,
  );
  console.log(`audit label search: ${pages} pages in ${pageMs.toFixed(0)} ms`);
  console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
