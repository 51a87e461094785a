import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../../src/core/http.js';
import type { AuthService } from './auth.js';
import type { DataRequestInfo, EpicorSimControl, SimState } from './control.js';
import { handleControl } from './control-http.js';
import type { EpicorStore } from './data/store.js';
import { DataRoutes, type HttpAnswer } from './data-routes.js';
import { EpicorHttpError, ERROR_TYPES, odataBadRequest } from './errors.js';
import { ODataQueryError } from './odata/errors.js';
import type { ResolvedOptions } from './options.js';
import { handleIdpToken, handleTokenResource } from './token-routes.js';

/**
 * The HTTP front: raw node:http so paths keep their parentheses and quotes exactly as sent and a fault
 * can destroy the socket. Routes: `/{instance}/api/v2/odata/{Company}/…` (data), `/{instance}/TokenResource.svc/`,
 * `/connect/token`, `/__control/…`.
 */

export interface ServerParts {
  store: EpicorStore;
  auth: AuthService;
  state: SimState;
  control: EpicorSimControl;
  options: ResolvedOptions;
}

const MAX_BODY = 1_000_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new EpicorHttpError(413, ERROR_TYPES.api, 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(body.length) });
  res.end(body);
}

function errorAnswer(error: EpicorHttpError): HttpAnswer {
  return {
    status: error.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...error.headers },
    body: JSON.stringify(error.body),
  };
}

const GATEWAY_TEXT: Record<number, string> = {
  500: '500 Internal Server Error',
  502: '502 Bad Gateway',
  503: '503 Service Unavailable',
};

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function redactQuery(query: string): string {
  return query.replace(/(^|&)(api-key|apikey|password|client_secret)=[^&]*/gi, '$1$2=***');
}

export function createSimulatorServer(parts: ServerParts, tenantUrlOf: () => string): Server {
  const { store, auth, state, control, options } = parts;
  let routes: DataRoutes | undefined;
  const dataRoutes = (): DataRoutes => {
    routes ??= new DataRoutes(store, auth, options, tenantUrlOf(), () => state.childFilterQuirk);
    return routes;
  };

  async function handleData(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    queryText: string,
    rawPath: string,
  ): Promise<{ status: number; n: number }> {
    const n = ++state.dataRequests;
    const company = segments[0];
    const info: DataRequestInfo = {
      method: req.method ?? 'GET',
      path: rawPath,
      query: redactQuery(queryText),
      company,
    };
    const due = state.scheduled.filter((item) => item.afterN < n);
    state.scheduled = state.scheduled.filter((item) => item.afterN >= n);
    for (const item of due) for (const mutation of item.mutations) control.apply(mutation);
    for (const hook of [...state.hooks]) await hook(n, info);
    const faults = state.faults;
    if (faults.expireTokensAtRequest !== undefined && n > faults.expireTokensAtRequest) {
      auth.invalidateTokens();
      faults.expireTokensAtRequest = undefined;
    }
    if (faults.resets > 0) {
      faults.resets--;
      req.socket.destroy();
      return { status: 0, n };
    }
    if (faults.latencyMs > 0) await options.clock.sleep(faults.latencyMs);
    if (faults.failures > 0) {
      faults.failures--;
      const status = faults.failureStatus;
      if (faults.failureBody === 'gateway') {
        send(res, {
          status,
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          body: GATEWAY_TEXT[status] ?? String(status),
        });
      } else {
        const message =
          status === 500
            ? 'Sorry! Something went wrong. Please contact your system administrator.'
            : 'The service is unavailable.';
        send(res, errorAnswer(new EpicorHttpError(status, ERROR_TYPES.server, message)));
      }
      return { status, n };
    }
    const params = new URLSearchParams(queryText);
    const query = new Map<string, string>();
    for (const [name, value] of params) if (!query.has(name)) query.set(name, value);
    const apiKeyHeader = req.headers['x-api-key'];
    const request = {
      method: req.method ?? 'GET',
      company: company ?? '',
      segments: segments.slice(1),
      query,
      apiKey:
        (Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader) ?? params.get('api-key') ?? undefined,
      authorization: req.headers.authorization,
    };
    const answer = await (async (): Promise<HttpAnswer> => {
      try {
        const username = dataRoutes().authenticate(request);
        if (faults.licenseErrors > 0) {
          faults.licenseErrors--;
          throw new EpicorHttpError(
            400,
            ERROR_TYPES.license,
            'Maximum users exceeded for license type DefaultUser. Please try again later or contact your system administrator.',
          );
        }
        return dataRoutes().handle(request, username);
      } catch (error) {
        if (error instanceof EpicorHttpError) return errorAnswer(error);
        if (error instanceof ODataQueryError) return errorAnswer(odataBadRequest(error.message));
        throw error;
      }
    })();
    send(res, answer);
    return { status: answer.status, n };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const startedAt = options.clock.now();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const queryText = q < 0 ? '' : rawUrl.slice(q + 1);
    const segments = rawPath.split('/').slice(1).map(decodeSegment);
    const method = req.method ?? 'GET';
    const log = (kind: 'data' | 'token' | 'idp' | 'other', status: number, dataRequest?: number): void => {
      state.addLog({
        at: new Date(startedAt).toISOString(),
        method,
        path: rawPath,
        query: redactQuery(queryText),
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        kind,
        ...(dataRequest === undefined ? {} : { dataRequest }),
      });
    };

    if (segments[0] === '__control') {
      if (!isLoopbackHost(req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '')) {
        send(res, {
          status: 403,
          headers: { 'Content-Type': 'text/plain' },
          body: 'Control API is loopback-only.',
        });
        return;
      }
      const body = await readBody(req);
      send(res, handleControl(control, method, segments.slice(1), new URLSearchParams(queryText), body));
      return;
    }
    if (segments[0] === 'connect' && segments[1] === 'token' && segments.length === 2) {
      const answer = handleIdpToken({ method, headers: req.headers, body: await readBody(req) }, auth);
      send(res, answer);
      log('idp', answer.status);
      return;
    }
    if (segments[0] !== options.instance) {
      send(res, {
        status: 404,
        headers: { 'Content-Type': 'text/html' },
        body: '<h1>404 - File or directory not found.</h1>',
      });
      log('other', 404);
      return;
    }
    if (
      segments[1] === 'TokenResource.svc' &&
      (segments.length === 2 || (segments.length === 3 && segments[2] === ''))
    ) {
      let answer: HttpAnswer;
      try {
        answer = handleTokenResource({ method, headers: req.headers, body: await readBody(req) }, auth, {
          apiKeyRequired: options.tokenRequiresApiKey,
        });
      } catch (error) {
        if (!(error instanceof EpicorHttpError)) throw error;
        answer = errorAnswer(error);
      }
      send(res, answer);
      log('token', answer.status);
      return;
    }
    if (segments[1] === 'api' && segments[2] === 'v2' && segments[3] === 'odata' && segments.length >= 5) {
      const { status, n } = await handleData(req, res, segments.slice(4), queryText, rawPath);
      log('data', status, n);
      return;
    }
    const answer = errorAnswer(
      new EpicorHttpError(
        404,
        ERROR_TYPES.api,
        `No HTTP resource was found that matches the request URI '${rawPath}'.`,
      ),
    );
    send(res, answer);
    log('other', answer.status);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || req.socket.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      send(res, errorAnswer(new EpicorHttpError(500, ERROR_TYPES.server, `Simulator failure: ${message}`)));
    });
  });
  return server;
}

export async function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
