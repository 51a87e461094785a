/**
 * Runs the Epicor simulator in its own process for bench/epicor-paging.bench.ts, so the benchmark's peak
 * RSS is the client's alone. Reads `{ vendors, customers }` from EPICOR_SIM_BENCH (JSON), prints one JSON
 * line `{ tenantUrl, apiKey, username, password, company }` when listening, and on stdin end prints
 * `{ maxRssKb }` and exits.
 */
import { startEpicorSimulator } from '../sim/epicor/index.js';

const config = JSON.parse(process.env['EPICOR_SIM_BENCH'] ?? '{}') as { vendors: number; customers: number };
const sim = await startEpicorSimulator({
  vendors: config.vendors,
  customers: config.customers,
  seed: 1,
  port: 0,
});
const user = sim.settings.users[0];
process.stdout.write(
  `${JSON.stringify({
    tenantUrl: sim.tenantUrl,
    apiKey: sim.settings.apiKey,
    username: user?.username,
    password: user?.password,
    company: sim.settings.companies[0],
  })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void sim.close().then(() => {
    process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
    process.exit(0);
  });
});
