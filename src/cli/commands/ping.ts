import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../output/errors.js';
import { exitUsageOnParseError, type Output, processOutput, runAction } from '../output/io.js';

export interface PingOptions {
  readonly connection?: string;
  readonly timeout: number;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600)
    throw new UsageError('--timeout must be a number of seconds between 0 and 600.');
  return n;
}

export function registerPingCommand(program: Command, output: Output = processOutput): void {
  exitUsageOnParseError(program.command('ping'))
    .description('Check that both systems answer and accept the stored credentials, scopes and settings.')
    .option('--connection <id>', 'check only this connection (default: every configured connection)')
    .option('--timeout <seconds>', 'per-request timeout for the checks', seconds, 30)
    .addHelpText(
      'after',
      `
Epicor: reachability, authentication, the API key, the Company, each enabled stream (one $top=1
read: the API key's scope), the change fields each entity has per $metadata and the change strategy
recommended, and that every column the stream's $select asks for exists (a missing one would make
Epicor answer 400 to every read). HubSpot: reachability, authentication, scopes (companies/contacts read and write,
schemas read and write), and the connector's properties (present, unique, compatible).

Marks: ✓ passed, ✗ failed (with the fix), ! advice, - not checked. Exit ${EXIT.ok} when every check
passes, ${EXIT.pingFailed} when any fails, ${EXIT.usage} for a config or credential-store problem.
Nothing is written to either system.

Examples:
  $ ml-connector ping
  $ ml-connector ping --connection main --timeout 10
  $ ml-connector ping --json | jq '.connections[].hubspot.checks[] | select(.status=="fail")'`,
    )
    .action(async (options: PingOptions, command: Command) => {
      await runAction(
        command,
        async (context) => (await import('./ping-action.js')).pingAction(options, context, output),
        output,
      );
    });
}
