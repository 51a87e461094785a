import { type Command, Option } from 'commander';
import { HUBSPOT_TIERS } from '../../config/constants.js';
import { runAction } from '../output/io.js';

export /** The flags for the common fields; anything else goes through `--from-file`. */
interface FieldFlags {
  readonly fromFile?: string;
  readonly name?: string;
  readonly tenantUrl?: string;
  readonly company?: string;
  readonly epicorAuth?: string;
  readonly username?: string;
  readonly hubspotUrl?: string;
  readonly hubspotAuth?: string;
  readonly hubspotClientId?: string;
  readonly tier?: string;
  readonly every?: string;
  readonly cron?: string;
  readonly timezone?: string;
}

export interface ChangeFlags extends FieldFlags {
  readonly url?: string;
  readonly reload: boolean;
  readonly replace?: boolean;
}

function addFieldOptions(command: Command): Command {
  return command
    .option('--from-file <file>', "YAML or JSON file with the connection's settings (no secrets)")
    .option('--name <name>', 'display name')
    .option('--tenant-url <url>', 'Epicor server and instance, e.g. https://erp.example.com/ERP11PROD')
    .option('--company <id>', 'Epicor Company id')
    .addOption(
      new Option('--epicor-auth <kind>', 'Epicor auth').choices(['basic', 'token-resource', 'oauth2']),
    )
    .option('--username <user>', 'Epicor user (basic, token-resource)')
    .option('--hubspot-url <url>', 'HubSpot API base URL (default https://api.hubapi.com)')
    .addOption(new Option('--hubspot-auth <kind>', 'HubSpot auth').choices(['private-app', 'oauth']))
    .option('--hubspot-client-id <id>', 'HubSpot OAuth client id')
    .addOption(
      new Option('--tier <tier>', "the portal's API tier (rate-limit budget)").choices(HUBSPOT_TIERS),
    )
    .option('--every <interval>', 'schedule: every 30s, 15m, 1h, …')
    .option('--cron <expression>', 'schedule: cron, 5 fields (or 6 with seconds)')
    .option('--timezone <zone>', 'IANA zone for --cron (default UTC)')
    .option(
      '--url <url>',
      'the running service to reload (default http://127.0.0.1:$ML_CONNECTOR_HTTP_PORT or :8080)',
    )
    .option('--no-reload', 'only edit the file; do not ask a running service to reload');
}

export function registerConnectionsCommand(program: Command): void {
  const connections = program
    .command('connections')
    .description(
      'List, show, add, change and remove connections in the config file (comments kept); a running service reloads.',
    );

  connections
    .command('list')
    .description('Every connection: endpoints, schedule, paused, and which credentials are stored.')
    .action(async (_flags: unknown, command: Command) => {
      await runAction(command, async (context) =>
        (await import('./connections-action.js')).listConnectionsAction(context),
      );
    });

  connections
    .command('show')
    .description(
      "One connection's settings as loaded (defaults filled in), paused flag and stored credentials.",
    )
    .argument('<id>', 'connection id')
    .action(async (id: string, _flags: unknown, command: Command) => {
      await runAction(command, async (context) =>
        (await import('./connections-action.js')).showConnectionAction(id, context),
      );
    });

  const change =
    (op: 'add' | 'set') =>
    async (id: string, flags: ChangeFlags, command: Command): Promise<void> => {
      await runAction(command, async (context) =>
        (await import('./connections-action.js')).changeConnectionAction(op, id, flags, context),
      );
    };

  addFieldOptions(
    connections
      .command('add')
      .description('Add a connection to the config file (validated first; comments kept).')
      .argument('<id>', 'new connection id: lower-case letters, digits, dashes'),
  ).action(change('add'));

  addFieldOptions(
    connections
      .command('set')
      .description("Change a connection's settings: the given fields only, or all of them with --replace.")
      .argument('<id>', 'connection id')
      .option('--replace', 'the connection becomes exactly the --from-file settings plus the flags'),
  ).action(change('set'));

  connections
    .command('remove')
    .description('Remove a connection from the config file. Its store history is kept unless --purge.')
    .argument('<id>', 'connection id')
    .option('--purge', 'also delete its stored credentials, cursors, id map and run history')
    .option('-y, --yes', 'confirm --purge without asking')
    .option('--url <url>', 'the running service to reload')
    .option('--no-reload', 'only edit the file')
    .action(async (id: string, flags: ChangeFlags & { purge?: boolean; yes?: boolean }, command: Command) => {
      await runAction(command, async (context) =>
        (await import('./connections-action.js')).removeConnectionAction(id, flags, context),
      );
    });
}
