import type { Command } from 'commander';
import { MASTER_KEY_ENV } from '../../credentials/key-file.js';
import { exitUsageOnParseError, type Output, processOutput, runAction } from '../output/io.js';

export const CONFIG_FILE_NAME = 'ml-connector.yaml';

export interface InitOptions {
  readonly dir?: string;
  readonly force?: boolean;
  readonly tenantUrl?: string;
  readonly company?: string;
  readonly username?: string;
}

export function registerInitCommand(program: Command, output: Output = processOutput): void {
  exitUsageOnParseError(program.command('init'))
    .description('Write a commented config file and create the master key file (mode 0600).')
    .option('--dir <dir>', `folder to write ${CONFIG_FILE_NAME} in (default: the --config path)`)
    .option('--force', 'replace an existing config file (an existing key file is always kept)')
    .option('--tenant-url <url>', 'Epicor server and instance, e.g. https://erp.example.com/ERP11PROD')
    .option('--company <id>', 'Epicor Company id, e.g. EPIC06')
    .option('--username <name>', 'Epicor integration user name')
    .addHelpText(
      'after',
      `
The key file is skipped when ${MASTER_KEY_ENV} is set (32 bytes, base64 or hex).

Examples:
  $ ml-connector init
  $ ml-connector init --dir /etc/ml-connector --tenant-url https://erp.example.com/ERP11PROD --company EPIC06
  $ ${MASTER_KEY_ENV}="$(openssl rand -base64 32)" ml-connector init --json`,
    )
    .action(async (options: InitOptions, command: Command) => {
      await runAction(
        command,
        async (context) => (await import('./init-action.js')).initAction(options, context, output),
        output,
      );
    });
}
