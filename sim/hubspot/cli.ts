import { untilStopSignal } from '../until-signal.js';
import { startHubSpotSimulator } from './index.js';
import { isTier } from './options.js';

/**
 * `ml-connector simulate hubspot`: runs the simulator in the foreground, prints how to reach it and
 * closes on SIGINT/SIGTERM. The tokens printed are the simulator's fixed, public test credentials.
 */
export async function runHubSpotSimulatorCli(options: { port: number; tier: string }): Promise<void> {
  if (!isTier(options.tier)) {
    throw new Error(`Unknown tier "${options.tier}": use free, starter, professional or enterprise.`);
  }
  const sim = await startHubSpotSimulator({ port: options.port, tier: options.tier });
  const { control } = sim;
  const limits = control.settings().rateLimits;
  const lines = [
    `HubSpot simulator listening on ${sim.url}`,
    `  base URL (instead of https://api.hubapi.com): ${sim.url}`,
    `  portal ID: ${control.portalId}   tier: ${options.tier} (${limits.tenSecondly} requests / 10 s, ${limits.daily} / day)`,
    `  private-app token (simulator test credential): ${control.privateAppToken}`,
    `  OAuth: POST ${sim.url}/oauth/v1/token  client_id=${control.oauth.clientId}  client_secret=${control.oauth.clientSecret}  refresh_token=${control.oauth.refreshToken}`,
    `  control API: ${sim.url}/__control  (dump, requests, settings, faults, reset)`,
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await untilStopSignal();
  await sim.close();
}
