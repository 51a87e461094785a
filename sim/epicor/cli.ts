// Placeholder until the Epicor simulator lands; replaced by its real CLI entry point.
export async function runEpicorSimulatorCli(options: {
  port: number;
  seed: number;
  vendors: number;
  customers: number;
}): Promise<void> {
  throw new Error(`The Epicor simulator is not built yet (asked for ${JSON.stringify(options)}).`);
}
