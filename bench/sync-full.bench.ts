/**
 * Full sync of vendors and customers from the Epicor simulator to the HubSpot simulator, through the
 * real composition root (config → store on SQLite → vault → Epicor source → engine → HubSpot
 * destination). Both simulators run in a child process, so RSS and CPU here are the connector's.
 * Contacts are disabled: this measures the company throughput path (1 upsert request per 100 records).
 *
 * 1. Limits off, 10k then 100k records: records/s, CPU µs per record, peak RSS after each (flat?).
 *    Memory is measured under the product's default `memory.heapGrowthPercent`, which the composition
 *    root applies; `SYNC_BENCH_HEAP_GROWTH=0` measures under V8's own heap policy for comparison.
 *    Then a no-change cycle: requests per system (HubSpot target 0).
 * 2. Professional tier (190 per 10 s) in the simulator, 100k records: wall time vs the rate-limit floor
 *    (upsert requests ÷ 190 × 10 s; target ≤ 1.10×) and 429s received (target 0).
 *
 * BENCH_SCALE=tiny: 100 then 1,000 records; the rate-limited run uses 1,000 records in batches of 20
 * against 40 per 10 s on a clock running 5× faster (both processes), so it takes a few seconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConnection, ensureConnectionRow } from '../src/app/connection.js';
import { openAppContext } from '../src/app/context.js';
import { parseConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { MasterKey } from '../src/credentials/index.js';
import type { RunResult } from '../src/sync/index.js';
import { scaledClock } from './hubspot-scaled-clock.js';
import { type SimInfo, startSimsChild } from './sync-sims.js';

const tiny = process.env['BENCH_SCALE'] === 'tiny';
const SMALL = tiny ? 100 : 10_000;
const LARGE = tiny ? 1_000 : 100_000;
const LIMIT = tiny ? 40 : 190;
const BATCH = tiny ? 20 : 100;
const SPEED = tiny ? 5 : 1;
const epoch = Date.now();
/** `SYNC_BENCH_PARTS=throughput` or `=limited` runs one half (for profiling); default both. */
const parts = process.env['SYNC_BENCH_PARTS'] ?? 'all';
/** `SYNC_BENCH_HEAP_GROWTH=0` measures under V8's own heap policy instead of the product default. */
const heapGrowth = process.env['SYNC_BENCH_HEAP_GROWTH'];

interface SimStats {
  requests: number;
  upserts: number;
  upsertInputs: number;
  status429: number;
  maxIn10s: number;
  epicorRequests: number;
}

const { ask } = startSimsChild();

function configText(
  sim: SimInfo,
  dataDir: string,
  limits: { tenSecondLimit: number; batchSize: number },
): string {
  const off = '{ enabled: false }';
  return `dataDir: ${JSON.stringify(dataDir)}
log: { level: warn }
${heapGrowth === undefined ? '' : `memory: { heapGrowthPercent: ${Number(heapGrowth)} }\n`}connections:
  - id: bench
    epicor:
      tenantUrl: ${JSON.stringify(sim.tenantUrl)}
      company: ${JSON.stringify(sim.company)}
      auth: { kind: basic, username: ${JSON.stringify(sim.username)} }
      timeZone: UTC
    hubspot:
      baseUrl: ${JSON.stringify(sim.hubspotUrl)}
      tier: professional
      limits: { tenSecondLimit: ${limits.tenSecondLimit}, batchSize: ${limits.batchSize} }
    streams:
      vendorContacts: ${off}
      customerContacts: ${off}
`;
}

interface Measured {
  result: RunResult;
  wallMs: number;
  cpuUs: number;
  rssMb: number;
  /** Heap still in use after a full GC at the end of the run (retained, not just not yet collected). */
  heapAfterGcMb: number;
  requests: { epicor: number; hubspot: number };
  noChange?: { epicor: number; hubspot: number; simHubspot: number };
}

async function fullSync(
  records: number,
  tenSecondly: number | null,
  options: { batch: number; speed: number; noChangeCycle?: boolean },
): Promise<Measured & { sim: SimStats }> {
  const sim = await ask<SimInfo>({
    cmd: 'start',
    vendors: records / 2,
    customers: records / 2,
    tenSecondly,
    epoch,
    speed: options.speed,
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'ml-bench-sync-'));
  const env = { ML_CONNECTOR_MASTER_KEY: MasterKey.generate().unsafeExport() };
  const config = parseConfig(
    configText(sim, dataDir, { tenSecondLimit: tenSecondly ?? 1_000_000, batchSize: options.batch }),
    { env: {} },
  );
  const ctx = await openAppContext({
    config,
    env,
    clock: scaledClock(epoch, options.speed),
    logger: silentLogger,
  });
  try {
    const row = await ensureConnectionRow(ctx, ctx.connectionConfig('bench'));
    await ctx.vault.put(row.id, 'epicor', { apiKey: sim.apiKey, password: sim.password });
    await ctx.vault.put(row.id, 'hubspot', { token: sim.token });
    const runtime = await buildConnection(ctx, 'bench');
    await runtime.ensureSchema(); // setup, outside the timing
    await ask({ cmd: 'clear' });
    const before = runtime.requests();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await runtime.engine.sync({ streams: runtime.kinds });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const after = runtime.requests();
    const stats = await ask<SimStats>({ cmd: 'stats' });
    const measured: Measured & { sim: SimStats } = {
      result,
      wallMs,
      cpuUs: used.user + used.system,
      rssMb: process.resourceUsage().maxRSS / 1024,
      heapAfterGcMb: heapAfterGc(),
      requests: { epicor: after.epicor - before.epicor, hubspot: after.hubspot - before.hubspot },
      sim: stats,
    };
    if (options.noChangeCycle === true) {
      await ask({ cmd: 'clear' });
      const again = await runtime.engine.sync({ streams: runtime.kinds });
      const last = runtime.requests();
      const simAfter = await ask<SimStats>({ cmd: 'stats' });
      if (again.status !== 'succeeded') throw new Error(`no-change cycle ended ${again.status}`);
      measured.noChange = {
        epicor: last.epicor - after.epicor,
        hubspot: last.hubspot - after.hubspot,
        simHubspot: simAfter.requests,
      };
    }
    return measured;
  } finally {
    await ctx.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Correctness, not speed, fails the benchmark: every record landed, no 429, a quiet no-change cycle. */
function check(m: Measured, records: number): void {
  const landed = m.result.totals.created + m.result.totals.updated;
  if (m.result.status !== 'succeeded' || landed !== records) {
    throw new Error(`sync ${m.result.status}: ${landed}/${records} landed ${JSON.stringify(m.result.error)}`);
  }
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
let failed = false;
try {
  console.log(
    `sync-full: vendors + customers (contacts disabled), Epicor pages of 100, SQLite store${tiny ? ' [tiny]' : ''}`,
  );

  // 1. Throughput with the simulator's limits off.
  if (parts !== 'limited') await throughput();
  // 2. Rate-limited (Professional, or the tiny scaled-down limit).
  if (parts !== 'throughput') await rateLimited();
  console.log(`  peak RSS (connector, whole benchmark) ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  const { maxRssKb } = await ask<{ maxRssKb: number }>({ cmd: 'stop' }).catch(() => ({ maxRssKb: 0 }));
  console.log(`  simulators' peak RSS (child) ${fmt(maxRssKb / 1024)} MB`);
}
if (failed) process.exitCode = 1;

async function throughput(): Promise<void> {
  const small = await fullSync(SMALL, null, { batch: 100, speed: 1 });
  check(small, SMALL);
  const large = await fullSync(LARGE, null, { batch: 100, speed: 1, noChangeCycle: true });
  check(large, LARGE);
  for (const [n, m] of [
    [SMALL, small],
    [LARGE, large],
  ] as const) {
    console.log(
      `  limits off, ${fmt(n)} records: ${fmt(m.wallMs / 1000, 2)} s, ${fmt(n / (m.wallMs / 1000))} records/s, ` +
        `CPU ${fmt(m.cpuUs / n, 1)} µs/record, peak RSS ${fmt(m.rssMb)} MB, heap after GC ${fmt(m.heapAfterGcMb)} MB ` +
        `(requests: Epicor ${m.requests.epicor}, HubSpot ${m.requests.hubspot}; upserts ${m.sim.upserts})`,
    );
  }
  const nc = large.noChange;
  if (nc !== undefined) {
    console.log(
      `  no-change cycle after ${fmt(LARGE)}: Epicor ${nc.epicor} requests, HubSpot ${nc.hubspot} (simulator saw ${nc.simHubspot}; target 0)`,
    );
    if (nc.hubspot !== 0 || nc.simHubspot !== 0) failed = true;
  }
  if (large.rssMb > 200) console.log(`  ! peak RSS ${fmt(large.rssMb)} MB is over the 200 MB target`);
  // maxRSS is the process's high-water mark, so the large run's figure is never below the small one's.
  if (large.rssMb > small.rssMb * 1.1) {
    console.log(
      `  ! peak RSS grew ${fmt(small.rssMb)} → ${fmt(large.rssMb)} MB: not flat (target: within 10 %)`,
    );
  }
}

async function rateLimited(): Promise<void> {
  const limited = await fullSync(LARGE, LIMIT, { batch: BATCH, speed: SPEED });
  check(limited, LARGE);
  const floorMs = (limited.sim.upserts / LIMIT) * 10_000;
  const simWallMs = limited.wallMs * SPEED;
  const ratio = simWallMs / floorMs;
  console.log(
    `  rate-limited ${LIMIT}/10 s${SPEED === 1 ? '' : ` (clock ×${SPEED})`}, ${fmt(LARGE)} records in batches of ${BATCH}: ` +
      `${fmt(simWallMs / 1000, 1)} s vs floor ${fmt(floorMs / 1000, 1)} s (${limited.sim.upserts} upserts ÷ ${LIMIT} × 10 s) ` +
      `= ${ratio.toFixed(3)}× (target ≤ 1.10), 429s ${limited.sim.status429} (target 0), ` +
      `max ${limited.sim.maxIn10s} requests in any 10 s, HubSpot requests ${limited.requests.hubspot}`,
  );
  if (limited.sim.status429 > 0) failed = true;
  if (tiny)
    console.log('    (tiny: a 5× clock also stretches real latencies 5×, so the ratio says little here)');
  else if (ratio > 1.1) console.log(`  ! ${ratio.toFixed(3)}× the floor is over the 1.10 target`);
}
