import type { Command } from 'commander';

interface ReconcileFlags {
  readonly connection?: string;
  readonly archive?: boolean;
}

/** `reconcile`: find HubSpot records whose Epicor record is gone; report (default) or archive them. */
export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description(
      'Find HubSpot companies and contacts whose Epicor record was deleted; list them in the audit trail, or archive them.',
    )
    .option('--connection <id>', 'connection id from the config (default: the only one)')
    .option('--archive', 'archive the orphans in HubSpot (default: only report them)')
    .addHelpText(
      'after',
      `
Exit codes: 0 done, 2 config/usage, 3 credentials refused, 5 stopped early, 130 interrupted.

Examples:
  ml-connector reconcile
  ml-connector reconcile --archive --connection main`,
    )
    .action(async (flags: ReconcileFlags, command: Command) => {
      const { runEngineCommand } = await import('../engine-run/run.js');
      await runEngineCommand(command, {
        ...(flags.connection === undefined ? {} : { connection: flags.connection }),
        operation: (runtime, signal) =>
          runtime.engine.reconcile({
            streams: runtime.kinds,
            mode: flags.archive === true ? 'archive' : 'report',
            signal,
          }),
      });
    });
}
