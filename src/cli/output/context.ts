import { type AppContext, openAppContext } from '../../app/index.js';
import type { Redactor } from '../../core/redact.js';
import type { Env, GlobalOptions } from './io.js';

/**
 * Opens the app context for an admin command. Logs default to `warn` here (these commands print their
 * own report; info-level JSON lines would only clutter stderr) unless `--log-level` or
 * `ML_CONNECTOR_LOG_LEVEL` asks for more.
 */
export function openCliContext(
  globals: GlobalOptions,
  redactor: Redactor,
  options: { readonly requireKey?: boolean; readonly env?: Env } = {},
): Promise<AppContext> {
  const env = options.env ?? process.env;
  const envLevel = env['ML_CONNECTOR_LOG_LEVEL'];
  const logLevel = globals.logLevel ?? (envLevel !== undefined && envLevel !== '' ? undefined : 'warn');
  return openAppContext({
    configPath: globals.configPath,
    env,
    redactor,
    ...(logLevel === undefined ? {} : { logLevel }),
    ...(options.requireKey === undefined ? {} : { requireKey: options.requireKey }),
  });
}

/** The connections a command acts on: the one named by `--connection`, else every configured one. */
export function selectedConnections(
  ctx: AppContext,
  connectionId: string | undefined,
): readonly AppContext['config']['connections'][number][] {
  return connectionId === undefined ? ctx.config.connections : [ctx.connectionConfig(connectionId)];
}
