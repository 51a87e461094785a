/**
 * Soak: the long-running service over many sync cycles — does memory stay flat? A distributor runs
 * `ml-connector run` for months with a cycle every few minutes; this drives hundreds of cycles in a row.
 *
 * Both simulators run in a child process (bench/sync-sims-child.ts), so heap and RSS here are the
 * service's. In this process: the real `startService` (scheduler over the store's leases, one engine per
 * run, metrics, the HTTP server on 127.0.0.1 port 0), one connection with contacts enabled, scheduled
 * `every: 5m`, SQLite store, the product's default logger (pino, level warn) and heap policy.
 *
 * Time: a `SkipClock` — real time plus an offset the benchmark moves forward. Every sleep is a real timer
 * (lease renewal, the paused-flag poll, HTTP timeouts run as in production) but when a cycle is ready the
 * clock jumps to the connection's next slot, waking the scheduler's wait at once, so five minutes of
 * schedule cost nothing. (ManualClock's auto mode would end every sleep at once, and the service's
 * paused-flag poll would then spin without ever yielding to I/O.)
 *
 * Each cycle: change k records in Epicor (vendors, customers, vendor and customer contacts, through the
 * simulator's control API), jump to the slot, wait for `run:finished`, check the run succeeded and wrote
 * exactly k records, then poll `/metrics`, `/api/connections/soak` and `/api/runs` like a dashboard.
 * Heap after a full GC is sampled through the run; the figures compare cycle WARMUP with the end, and the
 * slope is a least-squares fit over every sample from WARMUP on.
 *
 * Correctness (a run not succeeding, wrong counts, a failed poll) sets a non-zero exit code; growth only
 * prints a `!` line, and only over at least 100 cycles after warm-up (fewer measure V8 still compiling
 * optimized code). SOAK_CYCLES overrides the cycle count; SOAK_TRACE=1 prints each cycle's run time (a
 * run over 5 s always prints); SOAK_HEAP_SNAPSHOTS=<dir> writes V8 heap snapshots at the warm-up point
 * and at the end (compare them in DevTools, or count objects by constructor).
 *
 * BENCH_SCALE=tiny: 50 + 50 companies, 30 cycles (a few seconds; checks correctness, not the slope).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { buildConnection, ensureConnectionRow } from '../src/app/connection.js';
import { openAppContext } from '../src/app/context.js';
import { parseConfig } from '../src/config/index.js';
import type { Clock } from '../src/core/clock.js';
import { MasterKey } from '../src/credentials/index.js';
import { parseExposition, sampleValue } from '../src/service/metrics/exposition.js';
import { METRIC_NAMES } from '../src/service/metrics/metrics.js';
import type { RunSummary } from '../src/service/ports.js';
import { startService } from '../src/service/run-service.js';
import { type SimInfo, startSimsChild } from './sync-sims.js';

const tiny = process.env['BENCH_SCALE'] === 'tiny';
const COMPANIES = tiny ? 50 : 2_500; // vendors, and as many customers
const CYCLES = Number(process.env['SOAK_CYCLES'] ?? (tiny ? 30 : 500));
const WARMUP = Math.min(20, CYCLES);
/** Records changed per cycle, per entity set (vendors, customers, vendor contacts, customer contacts). */
const PER_SET = 5;
const K = PER_SET * 4;
const SAMPLE_EVERY = Math.max(1, Math.floor(CYCLES / 50));
const SNAPSHOTS = process.env['SOAK_HEAP_SNAPSHOTS'];
const ID = 'soak';
const TOKEN = 'soak-bench-token-0123456789abcdef';
/** Heap growth per 100 cycles above which the benchmark warns. */
const WARN_BYTES_PER_100 = 1024 * 1024;

/** Real time plus an offset; `skipTo` moves the offset forward and wakes every sleep that is then due. */
class SkipClock implements Clock {
  #offset = 0;
  readonly #sleepers = new Set<{ until: number; wake: () => void }>();

  now(): number {
    return Date.now() + this.#offset;
  }

  /** Sleeps still waiting (a count that grew without bound would itself be a leak). */
  get pending(): number {
    return this.#sleepers.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper = {
        until: this.now() + ms,
        wake: (): void => {
          clearTimeout(timer);
          this.#sleepers.delete(sleeper);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const timer = setTimeout(sleeper.wake, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        this.#sleepers.delete(sleeper);
        reject(signal?.reason);
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  skipTo(at: number): void {
    const now = this.now();
    if (at > now) this.#offset += at - now;
    const due = this.now();
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= due) sleeper.wake();
  }
}

const { ask } = startSimsChild();

interface Sample {
  cycle: number;
  heapBytes: number;
  rssBytes: number;
  resources: number;
  sleepers: number;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with --expose-gc (scripts/run-benchmarks.mjs does)');
  // Twice: the first pass can leave objects whose finalizers free more.
  collect();
  collect();
}

/** Least-squares slope of heap over cycle, bytes per cycle. */
function slope(samples: readonly Sample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.cycle, 0) / n;
  const my = samples.reduce((s, p) => s + p.heapBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.cycle - mx) * (p.heapBytes - my);
    den += (p.cycle - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const mb = (bytes: number): string => fmt(bytes / 1024 / 1024, 1);
const written = (s: RunSummary): number => (s.counts?.['created'] ?? 0) + (s.counts?.['updated'] ?? 0);

let failed = false;
const fail = (message: string): void => {
  failed = true;
  console.log(`  FAIL ${message}`);
};

const dataDir = await mkdtemp(join(tmpdir(), 'ml-bench-soak-'));
try {
  console.log(
    `service-soak: ${fmt(CYCLES)} cycles of ${K} changed records, ${fmt(COMPANIES)} + ${fmt(COMPANIES)} companies ` +
      `with contacts, schedule every 5m on a skipping clock, HTTP on loopback${tiny ? ' [tiny]' : ''}`,
  );
  const sim = await ask<SimInfo>({
    cmd: 'start',
    vendors: COMPANIES,
    customers: COMPANIES,
    tenSecondly: null,
    epoch: Date.now(),
    speed: 1,
  });
  const config = parseConfig(
    `dataDir: ${JSON.stringify(dataDir)}
log: { level: warn }
connections:
  - id: ${ID}
    epicor:
      tenantUrl: ${JSON.stringify(sim.tenantUrl)}
      company: ${JSON.stringify(sim.company)}
      auth: { kind: basic, username: ${JSON.stringify(sim.username)} }
      timeZone: UTC
    hubspot:
      baseUrl: ${JSON.stringify(sim.hubspotUrl)}
      tier: professional
      limits: { tenSecondLimit: 1000000 }
    schedule: { every: 5m }
`,
    { env: {} },
  );
  const clock = new SkipClock();
  const env = { ML_CONNECTOR_MASTER_KEY: MasterKey.generate().unsafeExport() };
  const ctx = await openAppContext({ config, env, clock });
  try {
    const row = await ensureConnectionRow(ctx, ctx.connectionConfig(ID));
    await ctx.vault.put(row.id, 'epicor', { apiKey: sim.apiKey, password: sim.password });
    await ctx.vault.put(row.id, 'hubspot', { token: sim.token });
    const setup = await buildConnection(ctx, ID);
    if (!setup.kinds.includes('vendorContact') || !setup.kinds.includes('customerContact')) {
      throw new Error(`contacts are not enabled: ${setup.kinds.join(', ')}`);
    }
    await setup.ensureSchema();

    const service = await startService({
      ctx,
      http: { token: TOKEN, host: '127.0.0.1', port: 0 },
      syncOnStart: false,
    });
    const { scheduler } = service;
    const url = service.url ?? '';
    const runEnded = (): Promise<RunSummary> =>
      new Promise((resolve, reject) => {
        const offs = [
          scheduler.on('run:finished', ({ connectionId, summary }) => {
            if (connectionId !== ID) return;
            for (const off of offs) off();
            resolve(summary);
          }),
          scheduler.on('run:failed', ({ connectionId, error }) => {
            if (connectionId !== ID) return;
            for (const off of offs) off();
            reject(error);
          }),
        ];
      });
    /** Jumps to the next slot and waits for the run it starts. */
    const cycle = async (): Promise<RunSummary> => {
      const next = scheduler.status(ID)?.nextRunAt;
      if (next === null || next === undefined) throw new Error('the connection has no next slot');
      // A second past the slot, as a timer wakes a little late: exactly on it, a wait armed a millisecond
      // later than the scheduler read the clock would stay asleep until its real timer (5 min).
      const target = next + 1000;
      // The simulators' clocks skip too: Epicor stamps changes with its clock, and the engine re-reads a
      // lookback window (5 min) behind its cursor; with Epicor on real time every run would re-read all
      // changes of the last five real minutes, i.e. of hundreds of cycles.
      await ask({ cmd: 'advance', ms: target - clock.now() });
      const ended = runEnded();
      clock.skipTo(target);
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no run finished within 120 s of its slot')), 120_000);
      });
      try {
        return await Promise.race([ended, stalled]);
      } finally {
        clearTimeout(timer);
      }
    };
    const api = async (path: string): Promise<Response> => {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
      return response;
    };
    let skipped = 0;
    scheduler.on('run:skipped', () => {
      skipped++;
    });

    try {
      // The first slot: the initial full sync (not measured).
      const started = performance.now();
      const initial = await cycle();
      if (initial.status !== 'succeeded' || (initial.counts?.['failed'] ?? 0) > 0) {
        throw new Error(
          `initial sync ${initial.status}: ${JSON.stringify(initial.counts)} ${initial.error ?? ''}`,
        );
      }
      console.log(
        `  initial sync: ${fmt(written(initial))} records in ${fmt((performance.now() - started) / 1000, 1)} s ` +
          `(${JSON.stringify(initial.counts)})`,
      );

      const samples: Sample[] = [];
      const sample = (n: number): Sample => {
        gc();
        const s: Sample = {
          cycle: n,
          heapBytes: process.memoryUsage().heapUsed,
          rssBytes: process.memoryUsage().rss,
          resources: process.getActiveResourcesInfo().length,
          sleepers: clock.pending,
        };
        samples.push(s);
        return s;
      };
      let total = 0;
      const runMs: number[] = [];
      /** Records read again and found unchanged per run (lookback windows, date-only cursors). */
      const reread: number[] = [];
      let wrongCycles = 0;
      const loopStarted = performance.now();
      for (let n = 1; n <= CYCLES; n++) {
        const { changed } = await ask<{ changed: Record<string, number> }>({
          cmd: 'change',
          Vendors: PER_SET,
          Customers: PER_SET,
          VendCntMains: PER_SET,
          CustCnts: PER_SET,
          seed: n,
        });
        const asked = Object.values(changed).reduce((a, b) => a + b, 0);
        if (asked !== K)
          throw new Error(`the simulator changed ${asked} records, not ${K}: ${JSON.stringify(changed)}`);
        const cycleStarted = performance.now();
        const summary = await cycle();
        const cycleMs = performance.now() - cycleStarted;
        runMs.push(cycleMs);
        reread.push(summary.counts?.['unchanged'] ?? 0);
        if (process.env['SOAK_TRACE'] !== undefined || cycleMs > 5000) {
          const run = (await (await api(`/api/runs/${summary.runId ?? ''}`)).json()) as {
            run?: { streams?: unknown };
          };
          console.log(
            `    cycle ${n}: run ${fmt(cycleMs)} ms ${JSON.stringify(summary.counts)} ${JSON.stringify(run.run?.streams)}`,
          );
        }
        total += written(summary);
        if (summary.status !== 'succeeded' || written(summary) !== K) {
          wrongCycles++;
          if (wrongCycles <= 5) {
            fail(
              `cycle ${n}: ${summary.status}, wrote ${written(summary)} of ${K} ${JSON.stringify(summary.counts)} ${summary.error ?? ''}`,
            );
          }
        }
        // A dashboard's poll.
        parseExposition(await (await api('/metrics')).text());
        await (await api(`/api/connections/${ID}`)).json();
        await (await api(`/api/runs?connection=${ID}`)).json();
        if (n === WARMUP && SNAPSHOTS !== undefined) {
          await mkdir(SNAPSHOTS, { recursive: true });
          gc();
          writeHeapSnapshot(join(SNAPSHOTS, `soak-${n}.heapsnapshot`));
        }
        if (n === WARMUP || n === CYCLES || (n > WARMUP && n % SAMPLE_EVERY === 0)) sample(n);
      }
      const loopSeconds = (performance.now() - loopStarted) / 1000;
      if (SNAPSHOTS !== undefined) writeHeapSnapshot(join(SNAPSHOTS, `soak-${CYCLES}.heapsnapshot`));

      const families = parseExposition(await (await api('/metrics')).text());
      const runsOk = sampleValue(families, METRIC_NAMES.runs, { connection: ID, status: 'succeeded' }) ?? 0;
      if (runsOk !== CYCLES + 1) fail(`runs_total{status="succeeded"} is ${runsOk}, expected ${CYCLES + 1}`);
      if (wrongCycles > 0)
        fail(`${wrongCycles} of ${CYCLES} cycles did not succeed with exactly ${K} records`);
      if (skipped > 0) fail(`${skipped} runs skipped`);

      const warm = samples.find((s) => s.cycle === WARMUP);
      const end = samples.at(-1);
      if (warm === undefined || end === undefined) throw new Error('no samples');
      const perCycle = slope(samples);
      // The later half alone: JIT code (V8 optimizing more functions as they get hot) grows early and levels
      // off, a leak keeps its slope.
      const later = samples.filter((p) => p.cycle >= warm.cycle + (end.cycle - warm.cycle) / 2);
      const span = end.cycle - warm.cycle;
      console.log(
        `  ${fmt(CYCLES)} cycles in ${fmt(loopSeconds, 1)} s (${fmt((loopSeconds * 1000) / CYCLES)} ms per cycle incl. ` +
          `3 dashboard requests), ${fmt(total)} records written (${K} per cycle: ${wrongCycles === 0 ? 'all' : 'NOT all'})`,
      );
      console.log(
        `  heap after GC: cycle ${warm.cycle} ${mb(warm.heapBytes)} MB → cycle ${end.cycle} ${mb(end.heapBytes)} MB ` +
          `(${fmt((end.heapBytes - warm.heapBytes) / 1024)} KB over ${span} cycles; fitted slope ` +
          `${fmt(perCycle / 1024, 2)} KB per cycle over ${samples.length} samples, ${fmt(slope(later) / 1024, 2)} ` +
          `over the later half)`,
      );
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const edge = Math.min(50, Math.ceil(runMs.length / 2));
      console.log(
        `  run time (slot to run:finished), median: first ${edge} cycles ${fmt(median(runMs.slice(0, edge)))} ms, ` +
          `last ${edge} ${fmt(median(runMs.slice(-edge)))} ms; slowest ${fmt(Math.max(...runMs))} ms; ` +
          `records re-read unchanged per run ${fmt(Math.min(...reread))}–${fmt(Math.max(...reread))} ` +
          `(vendor contacts have a date-only cursor: a run re-reads every contact changed that day)`,
      );
      console.log(
        `  RSS: cycle ${warm.cycle} ${mb(warm.rssBytes)} MB → cycle ${end.cycle} ${mb(end.rssBytes)} MB; ` +
          `peak ${fmt(process.resourceUsage().maxRSS / 1024)} MB`,
      );
      console.log(
        `  active resources (handles, requests): ${warm.resources} → ${end.resources}; ` +
          `clock sleeps pending ${warm.sleepers} → ${end.sleepers}`,
      );
      if (span < 100) {
        console.log(
          `    (${span} cycles after warm-up are too few to judge a slope: V8 is still optimizing code)`,
        );
      } else if (perCycle * 100 > WARN_BYTES_PER_100) {
        console.log(
          `  ! heap after GC grows ${fmt((perCycle * 100) / 1024)} KB per 100 cycles (warning above ` +
            `${fmt(WARN_BYTES_PER_100 / 1024)} KB)`,
        );
      }
      if (end.resources > warm.resources + 5 || end.sleepers > warm.sleepers + 5) {
        console.log('  ! active resources or pending sleeps grew between warm-up and the end');
      }
    } finally {
      await service.stop({ graceful: true });
    }
  } finally {
    await ctx.close();
  }
} finally {
  const { maxRssKb } = await ask<{ maxRssKb: number }>({ cmd: 'stop' }).catch(() => ({ maxRssKb: 0 }));
  console.log(`  simulators' peak RSS (child) ${fmt(maxRssKb / 1024)} MB`);
  await rm(dataDir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
