/**
 * The service's HTTP server: health checks, Prometheus metrics, the JSON API and the dashboard, on one
 * fastify instance bound to 127.0.0.1 by default. See docs/operations.md for the routes and the security
 * model.
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Clock } from '../core/clock.js';
import { ConfigError, ConnectorError, coerceError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { Authenticator, LoginThrottle } from './auth.js';
import type { ServiceBackend } from './backend.js';
import { installGuard } from './guard.js';
import { registerApiRoutes } from './routes/api.js';
import { registerDashboardRoutes } from './routes/dashboard.js';
import { registerSessionRoutes } from './routes/session.js';
import { RequestValidationError } from './validate.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;

/** The part of the metrics registry the server serves. */
export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface HttpServerOptions {
  readonly backend: ServiceBackend;
  readonly metrics: MetricsSource;
  /** The API token (Bearer, Basic password, or typed into the login form). At least 16 characters. */
  readonly token: string;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Default 127.0.0.1: reachable from this machine only. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Mark cookies `Secure` (set when a TLS proxy fronts the server). Default false. */
  readonly secureCookies?: boolean;
  /** Browser session lifetime. Default 12 h. */
  readonly sessionTtlMs?: number;
}

export interface HttpServer extends AsyncDisposable {
  readonly app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Statuses of the connection editor's errors (src/config/edit.ts), by code. */
const EDIT_STATUS: Readonly<Record<string, number>> = {
  ERR_CONNECTION_NOT_FOUND: 404,
  ERR_CONNECTION_EXISTS: 409,
  ERR_CONFIG_WRITE: 409,
  ERR_CONFIG_NOT_EDITABLE: 409,
  // A purge met a run of the connection still stopping: nothing was deleted; try again shortly.
  ERR_LEASE_HELD: 409,
};

function errorStatus(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof RequestValidationError)
    return { status: 400, code: error.code, message: error.message };
  const fastifyError = error as Partial<FastifyError>;
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const code =
      fastifyError.code === 'FST_CSRF_INVALID_TOKEN' || fastifyError.code === 'FST_CSRF_MISSING_SECRET'
        ? 'ERR_CSRF'
        : (fastifyError.code ?? 'ERR_BAD_REQUEST');
    return { status: fastifyError.statusCode, code, message: fastifyError.message ?? 'Bad request' };
  }
  if (error instanceof ConnectorError && error.code === 'ERR_STORE_BAD_CURSOR') {
    return { status: 400, code: error.code, message: error.message };
  }
  // A reload or an edit met an invalid config: its messages name paths and rules, never secret values.
  if (error instanceof ConnectorError && error.code === 'ERR_CONFIG') {
    return { status: 422, code: error.code, message: error.message };
  }
  if (error instanceof ConnectorError && error.code in EDIT_STATUS) {
    return { status: EDIT_STATUS[error.code] ?? 409, code: error.code, message: error.message };
  }
  return { status: 500, code: 'ERR_INTERNAL', message: 'Internal error; see the service log' };
}

/** Builds the fastify app with every route (not listening yet; tests may `inject`). */
export async function buildHttpApp(options: HttpServerOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? silentLogger;
  const auth = new Authenticator({
    token: options.token,
    clock: options.clock,
    ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
  });
  const secureCookies = options.secureCookies ?? false;
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: false, return503OnClosing: true });

  // An empty JSON body (curl -X POST -H 'content-type: application/json') means "no parameters".
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(
        Object.assign(new Error('The body is not valid JSON'), { statusCode: 400, code: 'ERR_BAD_JSON' }),
        undefined,
      );
    }
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: secureCookies },
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, code, message } = errorStatus(error);
    if (status >= 500) {
      logger.error(
        { err: coerceError(error).message, method: request.method, url: request.url.split('?')[0] },
        'HTTP handler failed',
      );
    }
    void reply.code(status).send({
      error: {
        code,
        message,
        ...(error instanceof RequestValidationError ? { issues: error.issues } : {}),
        ...(error instanceof ConfigError ? { issues: error.issues } : {}),
      },
    });
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: { code: 'ERR_NOT_FOUND', message: 'No such route' } });
  });

  installGuard(app, auth);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    let readiness: { store: boolean; scheduler: boolean };
    try {
      readiness = await options.backend.readiness();
    } catch {
      readiness = { store: false, scheduler: false };
    }
    const ready = readiness.store && readiness.scheduler;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...readiness });
  });
  app.get('/metrics', async (_request, reply) =>
    reply
      .type(options.metrics.contentType)
      .header('cache-control', 'no-store')
      .send(await options.metrics.text()),
  );

  registerSessionRoutes(app, auth, new LoginThrottle(options.clock), secureCookies);
  registerApiRoutes(app, options.backend);
  registerDashboardRoutes(app, options.backend, options.clock);
  return app;
}

/** Builds the app and listens. Resolves once the port is bound. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = await buildHttpApp(options);
  const host = options.host ?? DEFAULT_HOST;
  await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  const address = app.server.address();
  const port =
    typeof address === 'object' && address !== null ? address.port : (options.port ?? DEFAULT_PORT);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= app.close();
    return closed;
  };
  return { app, url: `http://${shownHost}:${port}`, close, [Symbol.asyncDispose]: close };
}
