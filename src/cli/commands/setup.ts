import type { Command } from 'commander';
import { exitUsageOnParseError, type Output, processOutput, runAction } from '../output/io.js';

export interface SetupOptions {
  readonly connection?: string;
}

export function registerSetupCommand(program: Command, output: Output = processOutput): void {
  exitUsageOnParseError(program.command('setup'))
    .description("Create or verify the connector's HubSpot property group and properties (idempotent).")
    .option('--connection <id>', 'only this connection (default: every configured connection)')
    .addHelpText(
      'after',
      `
Creates the group ml_connector and the epicor_* properties on companies and contacts (plus any
epicor_* targets of the mapping) where missing, adds missing enumeration options, and checks the
rest. Running it again only reads. It stops with a clear error when a property exists but cannot
be used (epicor_source_id not unique, or a different type): HubSpot cannot change those, so
archive or rename the property in HubSpot and run setup again. Needs only the HubSpot secrets.

Examples:
  $ ml-connector setup
  $ ml-connector setup --connection main --json`,
    )
    .action(async (options: SetupOptions, command: Command) => {
      await runAction(
        command,
        async (context) => (await import('./setup-action.js')).setupAction(options, context, output),
        output,
      );
    });
}
