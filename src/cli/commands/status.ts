import { type Command, InvalidArgumentError } from 'commander';
import { exitUsageOnParseError, type Output, processOutput, runAction } from '../output/io.js';

export interface StatusOptions {
  readonly connection?: string;
  readonly runs: number;
  readonly failures: number;
}

function count(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 0 to ${max}.`);
    }
    return n;
  };
}

export function registerStatusCommand(program: Command, output: Output = processOutput): void {
  exitUsageOnParseError(program.command('status'))
    .description('Show cursors, recent runs, pending replays and records still failing, per connection.')
    .option('--connection <id>', 'only this connection (default: every configured connection)')
    .option('--runs <n>', 'how many recent runs to show', count('--runs', 500), 5)
    .option('--failures <n>', 'how many records still failing to show', count('--failures', 1000), 10)
    .addHelpText(
      'after',
      `
Reads only the local database (no calls to Epicor or HubSpot, no master key needed) and never
shows a secret. A record that failed and later landed is not listed as failing.

Examples:
  $ ml-connector status
  $ ml-connector status --connection main --runs 20 --failures 50
  $ ml-connector status --json | jq '.connections[].pendingReplays | length'`,
    )
    .action(async (options: StatusOptions, command: Command) => {
      await runAction(
        command,
        async (context) => (await import('./status-action.js')).statusAction(options, context, output),
        output,
      );
    });
}
