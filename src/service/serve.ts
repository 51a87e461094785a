/**
 * Runs the service in the foreground until SIGTERM/SIGINT: the first signal stops gracefully (the pages in
 * flight are committed, nothing new starts), a second one stops at once. SIGHUP re-reads the config. Shared
 * by `ml-connector run` and the demo.
 */
import type { AppContext } from '../app/index.js';
import { HTTP_HOST_ENV, HTTP_PORT_ENV } from '../config/constants.js';
import { coerceError } from '../core/errors.js';
import { resolveApiToken } from '../server/token.js';
import { type RunningService, type ServiceOptions, startService } from './run-service.js';
import { handleShutdownSignals, type SignalSource } from './shutdown-signals.js';

export { HTTP_HOST_ENV, HTTP_PORT_ENV };

export interface ServeOptions {
  readonly ctx: AppContext;
  /** `false`: no HTTP server (no dashboard, API or /metrics). */
  readonly http: false | { readonly host?: string; readonly port?: number; readonly secureCookies?: boolean };
  /** Human lines (stderr). */
  readonly say: (line: string) => void;
  /** Called once the service is up (the demo prints its tips here). */
  readonly onStarted?: (service: RunningService, login: LoginHint | undefined) => void | Promise<void>;
  readonly service?: Omit<ServiceOptions, 'ctx' | 'http'>;
  /** Print where the dashboard is and where the token lives (default true; the demo prints its own). */
  readonly banner?: boolean;
  /** Say on exit that the next start resumes from the cursors (default true; the demo starts afresh). */
  readonly resumeHint?: boolean;
  /** Default `process`. */
  readonly signals?: SignalSource & {
    on(event: 'SIGHUP', listener: () => void): unknown;
    off(event: 'SIGHUP', listener: () => void): unknown;
  };
}

/** How to log in to the dashboard, without the token itself unless it was just generated. */
export interface LoginHint {
  readonly url: string;
  /** Where the token is: the env variable, or the file. */
  readonly tokenSource: string;
  readonly generated: boolean;
}

export interface ServeResult {
  readonly graceful: boolean;
}

export async function serveUntilSignalled(options: ServeOptions): Promise<ServeResult> {
  const { ctx, say } = options;
  const proc = options.signals ?? process;
  let http: ServiceOptions['http'] = false;
  let tokenInfo: { source: string; generated: boolean } | undefined;
  if (options.http !== false) {
    const resolved = await resolveApiToken({ env: ctx.env, dataDir: ctx.config.dataDir });
    ctx.redactor.add(resolved.token);
    tokenInfo = { source: resolved.source, generated: resolved.generated };
    const envHost = ctx.env[HTTP_HOST_ENV];
    const envPort = ctx.env[HTTP_PORT_ENV];
    http = {
      token: resolved.token,
      host:
        options.http.host ?? (envHost !== undefined && envHost !== '' ? envHost : undefined) ?? '127.0.0.1',
      port: options.http.port ?? (envPort !== undefined && envPort !== '' ? Number(envPort) : 8080),
      ...(options.http.secureCookies === undefined ? {} : { secureCookies: options.http.secureCookies }),
    };
  }
  const service = await startService({ ctx, http, ...options.service });
  let graceful = true;
  const offSignals = handleShutdownSignals(proc, service, {
    logger: ctx.logger,
    onStopped: (how) => {
      graceful = how.graceful;
    },
  });
  let signals = 0;
  const onSignal = (): void => {
    signals += 1;
    if (signals === 1) say('Stopping: finishing the pages in flight (Ctrl-C again to stop at once)…');
    if (signals > 1) graceful = false;
  };
  proc.on('SIGINT', onSignal);
  proc.on('SIGTERM', onSignal);
  const onHangup = (): void => {
    say('SIGHUP: re-reading the configuration…');
    service.reload().then(
      (report) =>
        say(
          `Configuration reloaded: ${report.added.length} added, ${report.updated.length} changed, ${report.removed.length} removed.`,
        ),
      (error: unknown) =>
        say(`The configuration was NOT reloaded: ${ctx.redactor.redact(coerceError(error).message)}`),
    );
  };
  proc.on('SIGHUP', onHangup);
  try {
    const login =
      service.url === undefined || tokenInfo === undefined
        ? undefined
        : { url: service.url, tokenSource: tokenInfo.source, generated: tokenInfo.generated };
    const names = ctx.config.connections.map((c) => c.id).join(', ');
    say(`ml-connector service running: ${ctx.config.connections.length} connection(s) (${names}).`);
    if (login !== undefined && options.banner !== false) {
      say(`Dashboard: ${login.url}/  (API: ${login.url}/api, metrics: ${login.url}/metrics)`);
      say(
        login.tokenSource.startsWith('ML_CONNECTOR_')
          ? `Log in with the token in ${login.tokenSource}.`
          : `Log in with the token in ${login.tokenSource}${login.generated ? ' (just generated)' : ''}.`,
      );
    }
    try {
      await options.onStarted?.(service, login);
    } catch (error) {
      await service.stop({ graceful: true });
      throw error;
    }
    await service.stopped;
    const resume = options.resumeHint === false ? '' : ' The next start resumes from the saved cursors.';
    say(graceful ? `Stopped.${resume}` : 'Stopped at once.');
    return { graceful };
  } finally {
    offSignals();
    proc.off('SIGINT', onSignal);
    proc.off('SIGTERM', onSignal);
    proc.off('SIGHUP', onHangup);
  }
}
