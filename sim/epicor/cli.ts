import { untilStopSignal } from '../until-signal.js';
import { startEpicorSimulator } from './index.js';

/** `ml-connector simulate epicor`: serves a simulated tenant until SIGINT/SIGTERM. */
export async function runEpicorSimulatorCli(options: {
  port: number;
  seed: number;
  vendors: number;
  customers: number;
}): Promise<void> {
  const sim = await startEpicorSimulator(options);
  const { settings } = sim;
  const user = settings.users[0];
  const client = settings.oauthClients[0];
  const lines = [
    'Epicor Kinetic REST v2 simulator',
    `  tenant URL     ${sim.tenantUrl}`,
    `  company        ${settings.companies.join(', ')}`,
    `  API key        ${settings.apiKey}   (header x-api-key)`,
    `  user/password  ${user ? `${user.username} / ${user.password}` : '(none)'}`,
    `  OAuth client   ${client ? `${client.clientId} / ${client.clientSecret}` : '(none)'}   (POST ${settings.idpTokenUrl})`,
    `  token service  POST ${settings.tokenUrl}`,
    `  data example   ${sim.tenantUrl}/api/v2/odata/${settings.companies[0] ?? ''}/Erp.BO.VendorSvc/Vendors?$top=10`,
    `  control API    ${settings.controlUrl}`,
    `  data           seed ${options.seed}, ${options.vendors} vendors, ${options.customers} customers`,
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await untilStopSignal();
  await sim.close();
}
