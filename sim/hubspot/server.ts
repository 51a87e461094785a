import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { requireScopes } from './auth.js';
import type { HubSpotSimControl } from './control.js';
import { errorBody, newCorrelationId, SimHttpError } from './errors.js';
import { RATE_LIMIT_MESSAGES, type RateDecision } from './rate-limits.js';
import type { SimRoute } from './route-types.js';
import { associationRoutes } from './routes/associations.js';
import { registerControlRoutes } from './routes/control.js';
import { oauthRoutes } from './routes/oauth.js';
import { objectRoutes } from './routes/objects.js';
import { propertyRoutes } from './routes/properties.js';
import type { SimState } from './state.js';

interface RequestInfo {
  at: number;
  correlationId: string;
  endpoint: string;
  policyName?: string;
  logged: boolean;
  inputs?: number;
}

const TYPE_PARAMS = new Set(['objectType', 'fromObjectType', 'toObjectType']);

function endpointOf(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (!pattern) return `${request.method} (unmatched)`;
  const params = (request.params ?? {}) as Record<string, string>;
  const path = pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
    TYPE_PARAMS.has(name) ? (params[name] ?? `{${name}}`) : `{${name}}`,
  );
  return `${request.method} ${path}`;
}

const GROUP_NAMES: Record<string, string> = {
  TEN_SECONDLY_ROLLING: 'publicapi:private-app-api-calls-ten-secondly',
  SECONDLY: 'publicapi:private-app-search-secondly',
  DAILY: 'publicapi:private-app-api-calls-daily',
};

/** Builds the fastify app: every API route behind faults → auth → scopes → rate limits → faults. */
export async function buildServer(state: SimState, control: HubSpotSimControl): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  await app.register(formbody);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        new SimHttpError(
          400,
          errorBody('VALIDATION_ERROR', `Invalid input JSON: ${(error as Error).message}`),
        ),
        undefined,
      );
    }
  });

  const info = new WeakMap<FastifyRequest, RequestInfo>();
  const isControl = (request: FastifyRequest): boolean => request.url.startsWith('/__control');

  app.addHook('onRequest', async (request, reply) => {
    if (isControl(request)) return;
    const correlationId = newCorrelationId();
    info.set(request, { at: state.now(), correlationId, endpoint: endpointOf(request), logged: false });
    void reply.header('x-hubspot-correlation-id', correlationId);
  });

  app.addHook('onResponse', async (request, reply) => {
    const i = info.get(request);
    if (!i || i.logged) return;
    i.logged = true;
    state.log.add({
      at: i.at,
      method: request.method,
      endpoint: i.endpoint,
      url: request.url,
      status: reply.statusCode,
      ...(i.policyName ? { policyName: i.policyName } : {}),
      ...(i.inputs !== undefined ? { inputs: i.inputs } : {}),
    });
  });

  app.setErrorHandler((error, request, reply) => {
    const i = info.get(request);
    const correlationId = i?.correlationId ?? newCorrelationId();
    if (error instanceof SimHttpError) {
      const body = 'correlationId' in error.body ? { ...error.body, correlationId } : error.body;
      return reply.code(error.status).headers(error.headers).send(body);
    }
    const fastifyError = error as { statusCode?: number; message?: string };
    const status = fastifyError.statusCode && fastifyError.statusCode < 500 ? fastifyError.statusCode : 500;
    const category =
      status === 400 ? 'VALIDATION_ERROR' : status < 500 ? 'INVALID_REQUEST' : 'INTERNAL_ERROR';
    const message =
      status === 400 ? `Invalid input JSON: ${fastifyError.message}` : (fastifyError.message ?? 'error');
    return reply.code(status).send({ ...errorBody(category, message), correlationId });
  });

  app.setNotFoundHandler((request, reply) => {
    const correlationId = info.get(request)?.correlationId ?? newCorrelationId();
    return reply.code(404).send({
      ...errorBody(
        'OBJECT_NOT_FOUND',
        `No route for ${request.method} ${request.url.split('?')[0]} in the simulator.`,
      ),
      correlationId,
    });
  });

  const rateLimited = (
    reply: FastifyReply,
    i: RequestInfo,
    decision: Extract<RateDecision, { ok: false }>,
  ): FastifyReply => {
    const rl = state.settings.rateLimits;
    i.policyName = decision.policyName;
    const body: Record<string, unknown> = {
      status: 'error',
      message: RATE_LIMIT_MESSAGES[decision.policyName],
      errorType: 'RATE_LIMIT',
      correlationId: i.correlationId,
      policyName: decision.policyName,
      groupName: `${GROUP_NAMES[decision.policyName]}:${state.settings.portalId}`,
    };
    if (rl.categoryInBody) body['category'] = 'RATE_LIMITS';
    const headers: Record<string, string> = { ...decision.headers };
    if (rl.retryAfterHeader)
      headers['retry-after'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    return reply.code(429).headers(headers).send(body);
  };

  const register = (route: SimRoute): void => {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const i = info.get(request);
        if (!i) throw new Error('request info missing');
        const body = request.body as { inputs?: unknown } | undefined;
        if (body && Array.isArray(body.inputs)) i.inputs = body.inputs.length;
        if (route.auth === 'api' || route.rate !== 'none') {
          if (state.faults.beforeAuth().kind === 'reset') {
            i.logged = true;
            state.log.add({
              at: i.at,
              method: request.method,
              endpoint: i.endpoint,
              url: request.url,
              status: 0,
            });
            reply.hijack();
            request.raw.socket.destroy();
            return;
          }
          const latency = state.faults.latencyMs();
          if (latency > 0) await state.clock.sleep(latency);
        }
        const params = (request.params ?? {}) as Record<string, string>;
        const query = (request.query ?? {}) as Record<string, unknown>;
        const now = state.now();
        let principal: ReturnType<typeof state.tokens.authenticate> | undefined;
        if (route.auth === 'api') {
          principal = state.tokens.authenticate(request.headers.authorization, now);
          requireScopes(principal, route.scopes?.(params) ?? []);
          const rl = state.settings.rateLimits;
          if (route.rate === 'search') {
            const decision: RateDecision = state.faults.plan.dailyExhausted
              ? { ok: false, policyName: 'DAILY', retryAfterMs: 1000, headers: {} }
              : state.rate.search(now, rl);
            if (!decision.ok) return rateLimited(reply, i, decision);
          } else if (route.rate === 'standard') {
            const decision = state.rate.standard(
              now,
              principal.appKey,
              principal.kind === 'oauth',
              rl,
              state.faults.rateFault(),
            );
            void reply.headers(decision.headers);
            if (!decision.ok) return rateLimited(reply, i, decision);
          }
          const fault = state.faults.afterRate(request.url, route.companyUpsert?.(params) ?? false, now);
          if (fault.kind === 'status') {
            const headers: Record<string, string> =
              fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
            throw new SimHttpError(
              fault.status,
              errorBody(
                fault.status === 477 ? 'MIGRATION_IN_PROGRESS' : 'INTERNAL_ERROR',
                fault.status === 477
                  ? 'This portal is being migrated; retry after the Retry-After period.'
                  : `Simulated upstream failure (${fault.status}). Pause a few seconds, then retry.`,
              ),
              headers,
            );
          }
          if (fault.kind === 'locked') {
            throw new SimHttpError(
              423,
              errorBody(
                'LOCKED',
                'The resource is locked while a large volume of data is synced. Wait at least 2 seconds before retrying.',
              ),
            );
          }
        }
        const result = await route.handler({
          state,
          params,
          query,
          body: request.body,
          principal,
          requestedAt: new Date(i.at).toISOString(),
        });
        void reply.code(result.status);
        if (result.headers) void reply.headers(result.headers);
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
    });
  };

  for (const route of [...objectRoutes, ...propertyRoutes, ...associationRoutes, ...oauthRoutes])
    register(route);
  registerControlRoutes(app, control);
  return app;
}
