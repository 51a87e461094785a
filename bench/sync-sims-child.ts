/**
 * Both simulators in their own process for bench/sync-full.bench.ts, so the benchmark's peak RSS is the
 * connector's alone. Line protocol on stdin/stdout, one JSON object per line:
 *   {"cmd":"start","vendors":N,"customers":N,"tenSecondly":L|null,"epoch":E,"speed":S}
 *       → {"tenantUrl","apiKey","username","password","company","hubspotUrl","token"}
 *         (restarts both simulators; tenSecondly null = HubSpot rate limits off)
 *   {"cmd":"stats"} → {"requests","upserts","upsertInputs","status429","maxIn10s","epicorRequests"}
 *   {"cmd":"clear"} → {} (empties both request logs)
 *   {"cmd":"stop"}  → {"maxRssKb"} and exits
 */
import { createInterface } from 'node:readline';
import { type EpicorSimulator, startEpicorSimulator } from '../sim/epicor/index.js';
import { type HubSpotSimulator, startHubSpotSimulator } from '../sim/hubspot/index.js';
import { scaledClock } from './hubspot-scaled-clock.js';

interface Start {
  cmd: 'start';
  vendors: number;
  customers: number;
  tenSecondly: number | null;
  epoch: number;
  speed: number;
}
type Command = Start | { cmd: 'stats' } | { cmd: 'clear' } | { cmd: 'stop' };

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
    });
    hubspot = await startHubSpotSimulator({
      tier: 'professional',
      clock: scaledClock(command.epoch, command.speed),
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
