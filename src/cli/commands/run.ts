import { type Command, InvalidArgumentError } from 'commander';
import { HTTP_HOST_ENV, HTTP_PORT_ENV } from '../../config/constants.js';
import { API_TOKEN_ENV } from '../../server/token.js';
import { parseInterval } from '../../service/interval.js';
import { runAction } from '../output/io.js';

export interface RunFlags {
  readonly host?: string;
  readonly port?: number;
  readonly http: boolean;
  readonly secureCookies?: boolean;
  readonly leaseTtl?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a TCP port, 0 to 65535.');
  return n;
}

function interval(value: string): number {
  const ms = parseInterval(value);
  if (ms === undefined || ms < 3000)
    throw new InvalidArgumentError('an interval of at least 3s, e.g. 60s or 2m.');
  return ms;
}

/**
 * `run` (service mode) and its companions `pause`, `resume` and `reload`. `pause`/`resume` write the
 * connection's paused flag in the store, which a running service reads within seconds; `reload` asks the
 * running service (over its API) to re-read the config file.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'Run as a service: sync every connection on its schedule, serve the dashboard, JSON API and /metrics.',
    )
    .option(
      '--host <address>',
      `address to listen on (default $${HTTP_HOST_ENV} or 127.0.0.1: this machine only)`,
    )
    .option('--port <port>', `HTTP port (default $${HTTP_PORT_ENV} or 8080; 0 picks a free one)`, port)
    .option('--no-http', 'no HTTP server (no dashboard, API or metrics)')
    .option('--secure-cookies', 'mark the session cookie Secure (when a TLS proxy fronts the server)')
    .option(
      '--lease-ttl <interval>',
      'how long a crashed process blocks its connections (default 60s)',
      interval,
    )
    .addHelpText(
      'after',
      `
The API token: $${API_TOKEN_ENV}, else the file $ML_CONNECTOR_API_TOKEN_FILE, else <dataDir>/api-token
(created with a random token on first start, mode 600). Use it as "Authorization: Bearer <token>",
as the password of Basic auth, or type it into the dashboard's login form.

Signals: SIGTERM/SIGINT stop gracefully (the pages in flight are committed; a second signal stops at
once); SIGHUP re-reads the config (added, changed and removed connections apply without a restart).
Exit codes: 0 stopped gracefully, 2 config/usage, 130 stopped at once.`,
    )
    .action(async (flags: RunFlags, command: Command) => {
      await runAction(command, async (context) =>
        (await import('./run-action.js')).runServiceAction(flags, context),
      );
    });

  for (const paused of [true, false]) {
    program
      .command(paused ? 'pause' : 'resume')
      .description(
        paused
          ? 'Pause a connection: scheduled runs are skipped (a run in flight finishes). A running service picks it up within seconds.'
          : 'Resume a paused connection on its schedule.',
      )
      .argument('<connection>', 'connection id from the config')
      .action(async (connectionId: string, _flags: unknown, command: Command) => {
        await runAction(command, async (context) =>
          (await import('./run-action.js')).setPausedAction(connectionId, paused, context),
        );
      });
  }

  program
    .command('reload')
    .description('Ask the running service to re-read its config file (like SIGHUP), over its API.')
    .option('--url <url>', `the service's base URL (default http://127.0.0.1:$${HTTP_PORT_ENV} or :8080)`)
    .action(async (flags: { url?: string }, command: Command) => {
      await runAction(command, async (context) =>
        (await import('./run-action.js')).reloadAction(flags, context),
      );
    });
}
