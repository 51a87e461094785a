import type { Command } from 'commander';
import type { ReplaySelector } from '../../sync/index.js';
import { UsageError } from '../output/errors.js';

interface ReplayFlags {
  readonly connection?: string;
  readonly batch?: string;
  readonly run?: string;
  readonly failed?: boolean;
}

function selectorOf(flags: ReplayFlags): ReplaySelector {
  const given = [flags.batch, flags.run, flags.failed === true ? true : undefined].filter(
    (v) => v !== undefined,
  );
  if (given.length !== 1) throw new UsageError('Give exactly one of --batch ID, --run ID or --failed.');
  if (flags.batch !== undefined) return { batchId: flags.batch };
  if (flags.run !== undefined) return { runId: flags.run };
  return { allFailed: true };
}

/** `replay`: re-read failed or partial batches from Epicor and write them again. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'Re-run failed or partial batches: re-read their Epicor page as it is now and write it to HubSpot.',
    )
    .option('--connection <id>', 'connection id from the config (default: the only one)')
    .option('--batch <id>', 'replay this batch (ids are in `status`, `audit` and the sync summary)')
    .option('--run <id>', 'replay every failed or partial batch of this run')
    .option('--failed', 'replay every failed or partial batch not yet replayed')
    .addHelpText(
      'after',
      `
Exit codes: 0 every replayed record landed, 2 usage (unknown batch), 3 credentials refused,
4 some records still fail (they stay replayable), 5 stopped early, 130 interrupted.

Examples:
  ml-connector replay --failed
  ml-connector replay --batch 42 --json`,
    )
    .action(async (flags: ReplayFlags, command: Command) => {
      const selector = selectorOf(flags);
      const { runEngineCommand } = await import('../engine-run/run.js');
      await runEngineCommand(command, {
        ...(flags.connection === undefined ? {} : { connection: flags.connection }),
        operation: (runtime, signal) => runtime.engine.replay(selector, { signal }),
      });
    });
}
