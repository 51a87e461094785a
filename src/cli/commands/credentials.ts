import { type Command, Option } from 'commander';
import { exitUsageOnParseError, type Output, processOutput, runAction } from '../output/io.js';
import { envVarName } from '../prompt/secret-input.js';

export const NEW_MASTER_KEY_ENV = 'ML_CONNECTOR_NEW_MASTER_KEY';

export interface SetOptions {
  readonly connection?: string;
  readonly stdin?: boolean;
  readonly fromEnv?: boolean;
}

export interface RotateOptions {
  readonly newKeyFile?: string;
}

export function registerCredentialsCommand(program: Command, output: Output = processOutput): void {
  const credentials = exitUsageOnParseError(program.command('credentials')).description(
    'Store, list and re-key the encrypted secrets (API keys, passwords, tokens).',
  );

  exitUsageOnParseError(credentials.command('set'))
    .description('Store the secrets of one system for a connection (encrypted with the master key).')
    .argument('<system>', 'epicor or hubspot')
    .option('--connection <id>', 'connection id from the config (default: the only one)')
    .option('--stdin', 'read JSON or KEY=value lines from stdin (the default when stdin is not a terminal)')
    .option('--from-env', 'read the documented ML_CONNECTOR_<SYSTEM>_<FIELD> environment variables')
    .addHelpText(
      'after',
      `
Which secrets a connection needs depends on its auth kinds:
  epicor   apiKey always; password (basic, token-resource) or clientSecret (oauth2)
  hubspot  token (private-app) or clientSecret + refreshToken (oauth)

Names accepted on stdin: apiKey / API_KEY / ${envVarName('epicor', 'apiKey')} (any case), and so on.
Environment variables for --from-env:
  ${envVarName('epicor', 'apiKey')}, ${envVarName('epicor', 'password')}, ${envVarName('epicor', 'clientSecret')}
  ${envVarName('hubspot', 'token')}, ${envVarName('hubspot', 'clientSecret')}, ${envVarName('hubspot', 'refreshToken')}
A lone line on stdin is taken as the value when the system needs exactly one field.

Examples:
  $ ml-connector credentials set epicor --connection main          # prompts, hidden input
  $ printf 'API_KEY=%s\\nPASSWORD=%s\\n' "$KEY" "$PW" | ml-connector credentials set epicor --stdin
  $ echo '{"token":"pat-na1-…"}' | ml-connector credentials set hubspot --stdin
  $ ${envVarName('hubspot', 'token')}=… ml-connector credentials set hubspot --from-env`,
    )
    .action(async (systemText: string, options: SetOptions, command: Command) => {
      await runAction(
        command,
        async (context) =>
          (await import('./credentials-action.js')).setCredentialsAction(
            systemText,
            options,
            context,
            output,
          ),
        output,
      );
    });

  exitUsageOnParseError(credentials.command('list'))
    .description('Show which secrets are stored (connection, system, fields, key id, updated); never values.')
    .option('--connection <id>', 'only this connection')
    .addHelpText(
      'after',
      `
STATE is ok, missing, incomplete (a field the auth kind needs is absent), wrong-key (encrypted with
another master key), unreadable (altered or invalid) or no-key (no master key loaded).

Examples:
  $ ml-connector credentials list
  $ ml-connector credentials list --json`,
    )
    .action(async (options: { connection?: string }, command: Command) => {
      await runAction(
        command,
        async (context) =>
          (await import('./credentials-action.js')).listCredentialsAction(options, context, output),
        output,
      );
    });

  exitUsageOnParseError(credentials.command('rotate-key'))
    .description('Re-encrypt every stored secret under a new master key, in one transaction.')
    .addOption(
      new Option(
        '--new-key-file <path>',
        'write the new key here (mode 0600) instead of replacing the key file',
      ),
    )
    .addHelpText(
      'after',
      `
Without options a new random key replaces the key file; the old file is kept beside it as
<keyFile>.old-<key id>. With ${NEW_MASTER_KEY_ENV} set (32 bytes, base64 or hex) that key is
used and no file is written. Back up the database first. Re-running after a completed rotation
is harmless.

Examples:
  $ ml-connector credentials rotate-key
  $ ml-connector credentials rotate-key --new-key-file /secure/ml-connector.key
  $ ${NEW_MASTER_KEY_ENV}="$(openssl rand -base64 32)" ml-connector credentials rotate-key`,
    )
    .action(async (options: RotateOptions, command: Command) => {
      await runAction(
        command,
        async (context) =>
          (await import('./credentials-action.js')).rotateKeyAction(options, context, output),
        output,
      );
    });
}
