/**
 * Both simulators in their own process for bench/sync-full.bench.ts, so the benchmark's peak RSS is the
 * connector's alone. Line protocol on stdin/stdout, one JSON object per line:
 *   {"cmd":"start","vendors":N,"customers":N,"tenSecondly":L|null,"epoch":E,"speed":S}
 *       → {"tenantUrl","apiKey","username","password","company","hubspotUrl","token"}
 *         (restarts both simulators; tenSecondly null = HubSpot rate limits off)
 *   {"cmd":"stats"} → {"requests","upserts","upsertInputs","status429","maxIn10s","epicorRequests"}
 *   {"cmd":"clear"} → {} (empties both request logs)
 *   {"cmd":"change","Vendors":n,"Customers":n,"VendCntMains":n,"CustCnts":n,"seed":S}
 *       → {"changed":{"Vendors":n,…}} (updates that many distinct random rows of each entity set through the
 *         control API, each to a value it never had: City on vendors/customers, PhoneNum on contacts; only
 *         contacts with a valid e-mail no other contact shares, so each change is one HubSpot write; any
 *         set left out changes nothing)
 *   {"cmd":"advance","ms":N} → {} (moves both simulators' clocks N ms ahead of real time, for a
 *       benchmark whose connector clock skips the wait between scheduled runs; kept across `start`)
 *   {"cmd":"stop"}  → {"maxRssKb"} and exits
 */
import { createInterface } from 'node:readline';
import { type EpicorRecord, type EpicorSimulator, startEpicorSimulator } from '../sim/epicor/index.js';
import { type HubSpotSimulator, startHubSpotSimulator } from '../sim/hubspot/index.js';
import { type Clock, systemClock } from '../src/core/clock.js';
import { scaledClock } from './hubspot-scaled-clock.js';

interface Start {
  cmd: 'start';
  vendors: number;
  customers: number;
  tenSecondly: number | null;
  epoch: number;
  speed: number;
}
type ChangeSet = 'Vendors' | 'Customers' | 'VendCntMains' | 'CustCnts';
type Change = { cmd: 'change'; seed?: number } & Partial<Record<ChangeSet, number>>;
type Command =
  | Start
  | Change
  | { cmd: 'advance'; ms: number }
  | { cmd: 'stats' }
  | { cmd: 'clear' }
  | { cmd: 'stop' };

/** How far both simulators' clocks run ahead of real time (`advance`); 0 unless a benchmark skips. */
let skippedMs = 0;
function skipping(base: Clock): Clock {
  return { now: () => base.now() + skippedMs, sleep: (ms, signal) => base.sleep(ms, signal) };
}

const CHANGE_SETS: readonly ChangeSet[] = ['Vendors', 'Customers', 'VendCntMains', 'CustCnts'];
const KEYS: Record<ChangeSet, readonly string[]> = {
  Vendors: ['VendorNum'],
  Customers: ['CustNum'],
  VendCntMains: ['VendorNum', 'PurPoint', 'ConNum'],
  CustCnts: ['CustNum', 'ShipToNum', 'ConNum'],
};
const EMAIL = /^[^@\s']+@[^@\s]+\.[a-z]+$/i;
/** Bumped on every change, so a changed value is never one a record had before. */
let changeSerial = 0;
/** mulberry32: a small seeded PRNG, so the records picked are the same from run to run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Contacts whose e-mail is valid and unique across both contact sets (the HubSpot identity). */
function changeableContacts(sim: EpicorSimulator, set: 'VendCntMains' | 'CustCnts'): EpicorRecord[] {
  const field = (of: ChangeSet): string => (of === 'VendCntMains' ? 'EmailAddress' : 'EMailAddress');
  const seen = new Map<string, number>();
  for (const s of ['VendCntMains', 'CustCnts'] as const) {
    for (const row of sim.control.list(s)) {
      const email = String(row[field(s)] ?? '').toLowerCase();
      seen.set(email, (seen.get(email) ?? 0) + 1);
    }
  }
  return sim.control.list(set).filter((row) => {
    const email = String(row[field(set)] ?? '').toLowerCase();
    return EMAIL.test(email) && seen.get(email) === 1;
  });
}
function change(sim: EpicorSimulator, command: Change): Record<ChangeSet, number> {
  const random = prng(command.seed ?? changeSerial + 1);
  const changed: Record<ChangeSet, number> = { Vendors: 0, Customers: 0, VendCntMains: 0, CustCnts: 0 };
  for (const set of CHANGE_SETS) {
    const wanted = command[set] ?? 0;
    if (wanted <= 0) continue;
    const rows =
      set === 'Vendors' || set === 'Customers' ? sim.control.list(set) : changeableContacts(sim, set);
    // A partial Fisher–Yates shuffle: `wanted` distinct rows.
    for (let i = 0; i < Math.min(wanted, rows.length); i++) {
      const j = i + Math.floor(random() * (rows.length - i));
      const row = rows[j] as EpicorRecord;
      rows[j] = rows[i] as EpicorRecord;
      const key = Object.fromEntries(KEYS[set].map((k) => [k, row[k]]));
      changeSerial++;
      const changes =
        set === 'Vendors' || set === 'Customers'
          ? { City: `Soak ${changeSerial}` }
          : { PhoneNum: `555-${String(changeSerial).padStart(7, '0')}` };
      sim.control.update(set, key, changes);
      changed[set]++;
    }
  }
  return changed;
}

let epicor: EpicorSimulator | undefined;
let hubspot: HubSpotSimulator | undefined;
/** A ten-second limit no benchmark reaches. */
const UNLIMITED = 1_000_000;
const reply = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  if (command.cmd === 'start') {
    await epicor?.close();
    await hubspot?.close();
    epicor = await startEpicorSimulator({
      vendors: command.vendors,
      customers: command.customers,
      seed: 1,
      timeZone: 'UTC',
      clock: skipping(systemClock),
    });
    hubspot = await startHubSpotSimulator({
      tier: 'professional',
      clock: skipping(scaledClock(command.epoch, command.speed)),
      // Limits off: nothing refused, and the headers advertise a limit that never binds. With the
      // tier's 190 in the headers the connector (which follows them, as against a real portal) paced
      // itself to 19 requests/s, and "limits off" measured that pacing, not the connector.
      rateLimits:
        command.tenSecondly === null
          ? { enabled: false, tenSecondly: UNLIMITED }
          : { tenSecondly: command.tenSecondly },
    });
    const user = epicor.settings.users[0];
    reply({
      tenantUrl: epicor.tenantUrl,
      apiKey: epicor.settings.apiKey,
      username: user?.username,
      password: user?.password,
      company: epicor.settings.companies[0],
      hubspotUrl: hubspot.url,
      token: hubspot.control.privateAppToken,
    });
  } else if (command.cmd === 'stats') {
    const log = hubspot?.control.requestLog() ?? [];
    const upserts = log.filter((e) => e.endpoint.includes('batch/upsert'));
    reply({
      requests: log.length,
      upserts: upserts.length,
      upsertInputs: upserts.reduce((n, e) => n + (e.inputs ?? 0), 0),
      status429: log.filter((e) => e.status === 429).length,
      maxIn10s: hubspot?.control.maxRequestsInWindow(10_000) ?? 0,
      epicorRequests: epicor?.control.requestLog().length ?? 0,
    });
  } else if (command.cmd === 'change') {
    if (epicor === undefined) throw new Error('change before start');
    reply({ changed: change(epicor, command) });
  } else if (command.cmd === 'advance') {
    skippedMs += Math.max(0, command.ms);
    reply({});
  } else if (command.cmd === 'clear') {
    hubspot?.control.clearRequestLog();
    epicor?.control.clearRequestLog();
    reply({});
  } else {
    await epicor?.close();
    await hubspot?.close();
    reply({ maxRssKb: process.resourceUsage().maxRSS });
    process.exit(0);
  }
}
// stdin closed without a stop (the benchmark was killed): do not linger as an orphan serving the simulators.
await epicor?.close();
await hubspot?.close();
process.exit(0);
