import { type Command, InvalidArgumentError } from 'commander';

function integer(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new InvalidArgumentError(`${name} must be a whole number.`);
    return parsed;
  };
}

/**
 * `simulate epicor|hubspot` runs a simulator in the foreground for demos and manual testing. The
 * simulators live outside `src/` and are imported lazily so they stay off the product's runtime path.
 */
export function registerSimulateCommand(program: Command): void {
  const simulate = program
    .command('simulate')
    .description('Run a local simulator of Epicor Kinetic or HubSpot (for demos and tests).');

  simulate
    .command('epicor')
    .description(
      'Serve a simulated Epicor Kinetic REST v2 tenant with seeded vendors, customers and contacts.',
    )
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', integer('--port'), 0)
    .option('--seed <seed>', 'seed for the generated data', integer('--seed'), 1)
    .option('--vendors <n>', 'number of vendors to generate', integer('--vendors'), 250)
    .option('--customers <n>', 'number of customers to generate', integer('--customers'), 250)
    .action(async (options: { port: number; seed: number; vendors: number; customers: number }) => {
      const { runEpicorSimulatorCli } = await import('../../../sim/epicor/cli.js');
      await runEpicorSimulatorCli(options);
    });

  simulate
    .command('hubspot')
    .description('Serve a simulated HubSpot CRM API (companies, contacts, properties, associations, OAuth).')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 picks a free one)', integer('--port'), 0)
    .option('--tier <tier>', 'rate-limit tier: free, starter, professional or enterprise', 'professional')
    .action(async (options: { port: number; tier: string }) => {
      const { runHubSpotSimulatorCli } = await import('../../../sim/hubspot/cli.js');
      await runHubSpotSimulatorCli(options);
    });
}
