import { type Command, Option } from 'commander';
import { KIND_BY_STREAM_KEY, STREAM_KEYS, type StreamKey } from '../../config/constants.js';
import { UsageError } from '../output/errors.js';

interface SyncFlags {
  readonly connection?: string;
  readonly stream?: readonly StreamKey[];
  readonly full?: boolean;
  readonly dryRun?: boolean;
}

/**
 * `sync`: one incremental sync of a connection (or a dry run of one). The engine is imported when the
 * command runs, so `--help` and the other commands do not load it.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description(
      'Sync changed Epicor vendors, customers and contacts into HubSpot once (incremental, from the saved cursors).',
    )
    .option('--connection <id>', 'connection id from the config (default: the only one)')
    .addOption(
      new Option(
        '--stream <name...>',
        'only these streams (default: every stream enabled in the config)',
      ).choices(STREAM_KEYS),
    )
    .option(
      '--full',
      'read every record again, ignoring the saved cursors (unchanged records are still skipped)',
    )
    .option('--dry-run', 'show what would be created, updated or left unchanged; write nothing')
    .addHelpText(
      'after',
      `
Exit codes: 0 succeeded, 2 config/usage, 3 credentials refused, 4 some records failed (replayable),
5 the run stopped early (system down, rate limit, another run holds the lease), 130 interrupted.

Examples:
  ml-connector sync
  ml-connector sync --connection main --stream vendors vendorContacts
  ml-connector sync --dry-run --json`,
    )
    .action(async (flags: SyncFlags, command: Command) => {
      const streams = flags.stream?.map((key) => KIND_BY_STREAM_KEY[key]);
      const { runEngineCommand } = await import('../engine-run/run.js');
      await runEngineCommand(command, {
        ...(flags.connection === undefined ? {} : { connection: flags.connection }),
        build: { fullRead: flags.full === true },
        check: (runtime) => {
          const off = (streams ?? []).filter((kind) => !runtime.kinds.includes(kind));
          if (off.length > 0) {
            const names = flags.stream?.filter((key) => off.includes(KIND_BY_STREAM_KEY[key])) ?? [];
            throw new UsageError(
              `Stream ${names.join(', ')} is disabled in the config of connection "${runtime.connection.id}" (streams.<name>.enabled).`,
            );
          }
        },
        operation: (runtime, signal) =>
          runtime.engine.sync({
            streams: streams ?? runtime.kinds,
            dryRun: flags.dryRun === true,
            signal,
          }),
      });
    });
}
