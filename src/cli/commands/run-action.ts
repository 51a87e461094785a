/**
 * `run`, `pause`, `resume` and `reload`: what `registerRunCommand` runs (imported only then, so that
 * `--help` and the other commands do not load the service, fastify and the store).
 */
import { ensureConnectionRow, openAppContext } from '../../app/index.js';
import { ConnectorError } from '../../core/errors.js';
import { resolveApiToken } from '../../server/token.js';
import { serveUntilSignalled } from '../../service/serve.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext } from '../output/context.js';
import { type ActionContext, processOutput } from '../output/io.js';
import { toJson } from '../output/json.js';
import { requestReload, serviceBaseUrl } from '../service/client.js';
import type { RunFlags } from './run.js';

export async function runServiceAction(
  flags: RunFlags,
  { globals, redactor }: ActionContext,
): Promise<number> {
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
}

export async function setPausedAction(
  connectionId: string,
  paused: boolean,
  { globals, redactor }: ActionContext,
): Promise<number> {
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
}

export async function reloadAction(
  flags: { url?: string },
  { globals, redactor }: ActionContext,
): Promise<number> {
  const ctx = await openCliContext(globals, redactor, { requireKey: false });
  let token: string;
  try {
    token = (await resolveApiToken({ env: process.env, dataDir: ctx.config.dataDir, generate: false })).token;
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
}
