import { type Command, InvalidArgumentError } from 'commander';
import { ensureConnectionRow, openAppContext } from '../../app/index.js';
import { ConnectorError } from '../../core/errors.js';
import { API_TOKEN_ENV, resolveApiToken } from '../../server/token.js';
import { parseInterval } from '../../service/schedule.js';
import { HTTP_HOST_ENV, HTTP_PORT_ENV, serveUntilSignalled } from '../../service/serve.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext } from '../output/context.js';
import { processOutput, runAction } from '../output/io.js';
import { toJson } from '../output/json.js';
import { requestReload, serviceBaseUrl } from '../service/client.js';

interface RunFlags {
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
      await runAction(command, async ({ globals, redactor }) => {
        const ctx = await openAppContext({
          configPath: globals.configPath,
          env: process.env,
          redactor,
          ...(globals.logLevel === undefined ? {} : { logLevel: globals.logLevel }),
        });
        try {
          const result = await serveUntilSignalled({
            ctx,
            http: flags.http
              ? {
                  ...(flags.host === undefined ? {} : { host: flags.host }),
                  ...(flags.port === undefined ? {} : { port: flags.port }),
                  ...(flags.secureCookies === true ? { secureCookies: true } : {}),
                }
              : false,
            say: (line) => processOutput.err(`${line}\n`),
            service: { ...(flags.leaseTtl === undefined ? {} : { leaseTtlMs: flags.leaseTtl }) },
          });
          if (!result.graceful) {
            // An immediate stop may leave abandoned requests holding sockets open: do not linger on them.
            setTimeout(() => process.exit(EXIT.interrupted), 2000).unref();
          }
          return result.graceful ? EXIT.ok : EXIT.interrupted;
        } finally {
          await ctx.close();
        }
      });
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
        await runAction(command, async ({ globals, redactor }) => {
          const ctx = await openCliContext(globals, redactor, { requireKey: false });
          try {
            const row = await ensureConnectionRow(ctx, ctx.connectionConfig(connectionId));
            await ctx.store.connections.setPaused(row.id, paused);
            if (globals.json) processOutput.out(toJson({ ok: true, connection: connectionId, paused }));
            else
              processOutput.out(
                `Connection "${connectionId}" ${paused ? 'paused' : 'resumed'}. A running service applies it within 5 s.\n`,
              );
            return EXIT.ok;
          } finally {
            await ctx.close();
          }
        });
      });
  }

  program
    .command('reload')
    .description('Ask the running service to re-read its config file (like SIGHUP), over its API.')
    .option('--url <url>', `the service's base URL (default http://127.0.0.1:$${HTTP_PORT_ENV} or :8080)`)
    .action(async (flags: { url?: string }, command: Command) => {
      await runAction(command, async ({ globals, redactor }) => {
        const ctx = await openCliContext(globals, redactor, { requireKey: false });
        let token: string;
        try {
          token = (await resolveApiToken({ env: process.env, dataDir: ctx.config.dataDir, generate: false }))
            .token;
        } finally {
          await ctx.close();
        }
        redactor.add(token);
        const base = serviceBaseUrl(flags.url, process.env);
        const answer = await requestReload(base, token);
        if (answer.kind === 'unreachable') {
          throw new ConnectorError(
            'ERR_SERVICE_UNREACHABLE',
            `No ml-connector service answers at ${base} (is \`ml-connector run\` running there? --url sets the address).`,
            { cause: answer.cause, retryable: true },
          );
        }
        if (answer.kind === 'refused') {
          processOutput.err(`error[${answer.code}]: ${answer.message}\n`);
          return answer.code === 'ERR_CONFIG' ? EXIT.usage : EXIT.failed;
        }
        const body = { reload: answer.reload };
        processOutput.out(globals.json ? toJson({ ok: true, ...body }) : `${JSON.stringify(body.reload)}\n`);
        return EXIT.ok;
      });
    });
}
