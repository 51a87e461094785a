/**
 * Pushes companies through the HubSpot client into the simulator (in a child process) and reports how
 * much of the 10-second budget the client used, from the simulator's own request log: the max and the
 * mean of requests in rolling 10 s windows ÷ the limit (target ≥ 0.95), 429s received (target 0),
 * records/s and peak RSS.
 *
 * Full: 20,000 companies, Professional (190 per 10 s), batches of 100, real time.
 * BENCH_SCALE=tiny: 1,000 companies in batches of 20 against a limit of 40 per 10 s, with both processes
 * on a clock running 5× faster, so it finishes in a few seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createHubSpotClient } from '../src/hubspot/index.js';
import { RateLimiterRegistry } from '../src/hubspot/rate-limiter.js';
import { scaledClock } from './hubspot-scaled-clock.js';

const tiny = process.env['BENCH_SCALE'] === 'tiny';
const total = tiny ? 1_000 : 20_000;
const batchSize = tiny ? 20 : 100;
const limit = tiny ? 40 : 190;
const speed = tiny ? 5 : 1;
const windowMs = 10_000;
const token = 'pat-na1-11111111-2222-3333-4444-555555555555';
const epoch = Date.now();
const clock = scaledClock(epoch, speed);

function startChild(): { child: ChildProcess; lines: AsyncIterator<string> } {
  const js = fileURLToPath(new URL('./hubspot-sim-child.js', import.meta.url));
  const ts = fileURLToPath(new URL('./hubspot-sim-child.ts', import.meta.url));
  const args = existsSync(js) ? [js] : ['--import', 'tsx', ts];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, HUBSPOT_SIM_BENCH: JSON.stringify({ epoch, speed, tenSecondly: limit, token }) },
  });
  if (!child.stdout) throw new Error('simulator child has no stdout');
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

async function nextJson<T>(lines: AsyncIterator<string>): Promise<T> {
  const line = await lines.next();
  if (line.done) throw new Error('simulator child ended early');
  return JSON.parse(line.value) as T;
}

const { child, lines } = startChild();
try {
  const { url } = await nextJson<{ url: string }>(lines);
  const client = createHubSpotClient(
    {
      baseUrl: url,
      auth: { kind: 'private-app', token },
      tier: 'professional',
      batchSize,
      // ×5 time also magnifies real latency jitter ×5 on the simulated clock: widen the margin to match.
      rateLimit: { limit, ...(tiny ? { safetyMarginMs: 750 } : {}) },
    },
    { clock, limiterRegistry: new RateLimiterRegistry() },
  );
  await client.ensureSchema();
  const records = Array.from({ length: total }, (_, i) => ({
    sourceId: `EPIC06:vendor:${i + 1}`,
    properties: { name: `Vendor ${i + 1}`, epicor_record_type: 'vendor', epicor_vendor_id: `V${i + 1}` },
  }));

  const started = performance.now();
  const outcomes = await client.upsertCompanies(records);
  const wallMs = performance.now() - started;
  const failed = outcomes.filter((o) => o.status !== 'created' && o.status !== 'updated').length;

  const log = (await (await fetch(`${url}/__control/requests`)).json()) as {
    entries: { at: number; status: number }[];
  };
  const times = log.entries.map((e) => e.at).sort((a, b) => a - b);
  const received429 = log.entries.filter((e) => e.status === 429).length;
  // Max: rolling windows (t − 10 s, t] ending at each request. Mean: consecutive 10 s windows from the
  // first request that end before the last one (only full windows; a partial tail would understate).
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    const t = times[end] ?? 0;
    while ((times[start] ?? 0) <= t - windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  const first = times[0] ?? 0;
  const fullWindows = Math.floor(((times.at(-1) ?? 0) - first) / windowMs);
  const windowCounts = Array.from(
    { length: fullWindows },
    (_, k) => times.filter((t) => t >= first + k * windowMs && t < first + (k + 1) * windowMs).length,
  );
  const mean = fullWindows > 0 ? windowCounts.reduce((a, b) => a + b, 0) / fullWindows : Number.NaN;
  const simSeconds = ((times.at(-1) ?? 0) - first) / 1000;

  child.stdin?.end();
  const { maxRssKb: simRssKb } = await nextJson<{ maxRssKb: number }>(lines);
  const rssMb = process.resourceUsage().maxRSS / 1024;

  console.log(
    `hubspot-upsert: ${total} companies, batches of ${batchSize}, limit ${limit}/10 s${speed === 1 ? '' : `, clock ×${speed}`}`,
  );
  console.log(
    `  requests              ${log.entries.length} (${times.length} in the simulator log, incl. setup)`,
  );
  console.log(`  max per 10 s ÷ limit  ${(max / limit).toFixed(3)} (${max}/${limit}; target ≥ 0.95)`);
  console.log(
    `  mean per full 10 s window ÷ limit  ${Number.isNaN(mean) ? 'n/a (run shorter than one window)' : `${(mean / limit).toFixed(3)} (${windowCounts.join(', ')})`}`,
  );
  console.log(`  429s received         ${received429} (target 0)`);
  console.log(`  limiter               ${JSON.stringify(client.stats().limiter)}`);
  console.log(`  failed records        ${failed}`);
  console.log(
    `  wall time             ${(wallMs / 1000).toFixed(2)} s (simulated span ${simSeconds.toFixed(1)} s)`,
  );
  console.log(`  records/s (wall)      ${Math.round(total / (wallMs / 1000))}`);
  console.log(
    `  peak RSS              client ${rssMb.toFixed(0)} MB, simulator ${(simRssKb / 1024).toFixed(0)} MB`,
  );
  if (received429 > 0 || failed > 0 || max > limit) process.exitCode = 1;
} finally {
  if (child.exitCode === null) child.kill('SIGTERM');
}
