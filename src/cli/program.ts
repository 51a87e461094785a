import { Command, Option } from 'commander';
import { CONFIG_ENV, DEFAULT_CONFIG_PATH, LOG_LEVELS } from '../config/constants.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerConnectionsCommand } from './commands/connections.js';
import { registerCredentialsCommand } from './commands/credentials.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerInitCommand } from './commands/init.js';
import { registerPingCommand } from './commands/ping.js';
import { registerReconcileCommand } from './commands/reconcile.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerRunCommand } from './commands/run.js';
import { registerSetupCommand } from './commands/setup.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSyncCommand } from './commands/sync.js';
import { VERSION } from './version.js';

/**
 * Every sub-command registers itself here; `main.ts` only parses argv. Registration is static and cheap
 * (names, options, help text); each command imports its implementation when it runs, so `--help` and a
 * `sync` load only what they use. `src/cli/startup.e2e.test.ts` fails when a heavy package creeps back
 * into this module's static imports.
 */
export function buildProgram(): Command {
  const program = new Command('ml-connector')
    .description('Keeps Epicor Kinetic vendors and customers in step with HubSpot companies and contacts.')
    .version(VERSION)
    .option('-c, --config <path>', `config file (default: $${CONFIG_ENV} or ${DEFAULT_CONFIG_PATH})`)
    .option('--json', 'machine-readable output on stdout (logs stay on stderr)')
    .addOption(
      new Option(
        '--log-level <level>',
        "log level for the JSON logs on stderr (default: the config's log.level)",
      ).choices(LOG_LEVELS),
    )
    .showHelpAfterError('(run with --help for usage)');
  registerInitCommand(program);
  registerConnectionsCommand(program);
  registerCredentialsCommand(program);
  registerPingCommand(program);
  registerSetupCommand(program);
  registerSyncCommand(program);
  registerStatusCommand(program);
  registerAuditCommand(program);
  registerReplayCommand(program);
  registerReconcileCommand(program);
  registerRunCommand(program);
  registerDemoCommand(program);
  registerSimulateCommand(program);
  return program;
}
