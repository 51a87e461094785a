// Placeholder until the HubSpot simulator lands; replaced by its real CLI entry point.
export async function runHubSpotSimulatorCli(options: { port: number; tier: string }): Promise<void> {
  throw new Error(`The HubSpot simulator is not built yet (asked for ${JSON.stringify(options)}).`);
}
