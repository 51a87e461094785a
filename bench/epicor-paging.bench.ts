/**
 * Pages every vendor and customer out of the Epicor simulator with the client (keyset paging, $top=100,
 * Basic auth, default strategies: SysRevID for vendors, ChangeDate+ChangeTime for customers) and reports
 * records/s and the client's peak RSS. The simulator runs in a child process, so the RSS figure is the
 * client's alone (sampled with process.memoryUsage().rss after every page and every 50 ms).
 *
 * Full: 10k (5k vendors + 5k customers) and 100k (50k + 50k). BENCH_SCALE=tiny: 1k (500 + 500).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EpicorClient, parseEpicorSettings } from '../src/epicor/index.js';

const tiny = process.env['BENCH_SCALE'] === 'tiny';
const scales = tiny ? [1_000] : [10_000, 100_000];
const MB = 1024 * 1024;

interface ChildHello {
  tenantUrl: string;
  apiKey: string;
  username: string;
  password: string;
  company: string;
}

function startChild(total: number): { child: ChildProcess; lines: AsyncIterator<string> } {
  const js = fileURLToPath(new URL('./epicor-sim-child.js', import.meta.url));
  const ts = fileURLToPath(new URL('./epicor-sim-child.ts', import.meta.url));
  const args = existsSync(js) ? [js] : ['--import', 'tsx', ts];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, EPICOR_SIM_BENCH: JSON.stringify({ vendors: total / 2, customers: total / 2 }) },
  });
  if (!child.stdout) throw new Error('simulator child has no stdout');
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

async function nextJson<T>(lines: AsyncIterator<string>): Promise<T> {
  const line = await lines.next();
  if (line.done) throw new Error('simulator child ended early');
  return JSON.parse(line.value) as T;
}

interface Result {
  total: number;
  records: number;
  pages: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
  simMaxRssMb: number;
}

async function run(total: number): Promise<Result> {
  const { child, lines } = startChild(total);
  try {
    const hello = await nextJson<ChildHello>(lines);
    const client = new EpicorClient(
      parseEpicorSettings({
        tenantUrl: hello.tenantUrl,
        company: hello.company,
        apiKey: hello.apiKey,
        auth: { mode: 'basic', username: hello.username, password: hello.password },
        timeZone: 'America/Chicago',
        pageSize: 100,
      }),
    );
    globalThis.gc?.();
    let peak = process.memoryUsage().rss;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    const timer = setInterval(sample, 50);
    let records = 0;
    let pages = 0;
    const started = performance.now();
    try {
      for (const kind of ['vendor', 'customer'] as const) {
        for await (const page of client.scan(kind)) {
          records += page.records.length;
          pages++;
          sample();
        }
      }
    } finally {
      clearInterval(timer);
    }
    const seconds = (performance.now() - started) / 1000;
    child.stdin?.end();
    const { maxRssKb } = await nextJson<{ maxRssKb: number }>(lines);
    if (records !== total) throw new Error(`read ${records} records, expected ${total}`);
    return {
      total,
      records,
      pages,
      seconds,
      perSecond: records / seconds,
      peakRssMb: peak / MB,
      simMaxRssMb: maxRssKb / 1024,
    };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

const results: Result[] = [];
for (const total of scales) {
  const r = await run(total);
  results.push(r);
  console.log(
    `${r.total.toLocaleString('en-US')} records (${r.pages} pages of ≤100): ${r.seconds.toFixed(2)} s, ` +
      `${Math.round(r.perSecond).toLocaleString('en-US')} records/s, client peak RSS ${r.peakRssMb.toFixed(0)} MB ` +
      `(simulator process ${r.simMaxRssMb.toFixed(0)} MB, separate)`,
  );
}
const summary = results
  .map(
    (r) =>
      `${r.total / 1000}k: ${Math.round(r.perSecond).toLocaleString('en-US')} rec/s, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
  )
  .join('; ');
console.log(`epicor-paging summary: keyset $top=100 — ${summary}`);
