/**
 * Runs the HubSpot simulator in its own process for bench/hubspot-upsert.bench.ts, so the benchmark's
 * peak RSS is the client's alone. Reads its settings from HUBSPOT_SIM_BENCH (JSON), prints one JSON line
 * `{ url }` when listening, and on stdin end prints `{ maxRssKb }` and exits.
 */
import { startHubSpotSimulator } from '../sim/hubspot/index.js';
import { scaledClock } from './hubspot-scaled-clock.js';

interface ChildConfig {
  epoch: number;
  speed: number;
  tenSecondly: number;
  token: string;
}

const config = JSON.parse(process.env['HUBSPOT_SIM_BENCH'] ?? '{}') as ChildConfig;
const sim = await startHubSpotSimulator({
  tier: 'professional',
  port: 0,
  clock: scaledClock(config.epoch, config.speed),
  privateAppTokens: [{ token: config.token }],
  rateLimits: { tenSecondly: config.tenSecondly },
});
process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => {
    process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
    process.exit(0);
  });
});
