import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { HubSpotSimControl } from '../control.js';
import { parseObjectType } from '../object-types.js';
import { isTier } from '../options.js';

const faultBody = z.object({
  lockedCompanyUpserts: z.number().int().min(0).optional(),
  lockedCompanyUpsertProbability: z.number().min(0).max(1).optional(),
  lockDurationMs: z.number().int().min(0).optional(),
  failNext: z
    .object({
      status: z.union([
        z.literal(500),
        z.literal(502),
        z.literal(503),
        z.literal(504),
        z.literal(477),
        z.literal(521),
        z.literal(522),
        z.literal(524),
      ]),
      count: z.number().int().min(0),
      pathPrefix: z.string().optional(),
      retryAfterSeconds: z.number().int().min(0).optional(),
    })
    .optional(),
  resetSockets: z.number().int().min(0).optional(),
  latencyMs: z.number().int().min(0).optional(),
  tenSecondlyStorm: z.number().int().min(0).optional(),
  dailyExhausted: z.boolean().optional(),
});

const rateLimitsBody = z.object({
  tenSecondly: z.number().int().positive().optional(),
  oauthTenSecondly: z.number().int().positive().optional(),
  daily: z.number().int().positive().optional(),
  apiLimitIncreasePacks: z.number().int().min(0).max(2).optional(),
  searchPerSecond: z.number().int().positive().optional(),
  enabled: z.boolean().optional(),
  retryAfterHeader: z.boolean().optional(),
  categoryInBody: z.boolean().optional(),
  timeZone: z.string().optional(),
});

const settingsBody = z.object({
  tier: z.string().refine(isTier, 'tier must be free, starter, professional or enterprise').optional(),
  rateLimits: rateLimitsBody.optional(),
  searchIndexDelayMs: z.number().int().min(0).optional(),
  associationBatchCreateStatus: z.union([z.literal(200), z.literal(201)]).optional(),
  upsertIdPropertyInQuery: z.enum(['accept', 'ignore', 'reject']).optional(),
  batchValidation: z.enum(['multi-status', 'reject-batch']).optional(),
  batchResultOrder: z.enum(['input', 'reversed', 'shuffled']).optional(),
  propertyExistsStatus: z.union([z.literal(400), z.literal(409)]).optional(),
  uniqueValueConflictStatus: z.union([z.literal(400), z.literal(409)]).optional(),
  upsertCopiesIdIntoProperty: z.boolean().optional(),
  listLimitOver100: z.enum(['clamp', 'reject']).optional(),
  emptyPropertiesAs: z.enum(['null', 'omit']).optional(),
  searchLimits: z
    .object({
      maxFilterGroups: z.number().int().positive().optional(),
      maxFiltersPerGroup: z.number().int().positive().optional(),
      maxTotalFilters: z.number().int().positive().optional(),
      maxLimit: z.number().int().positive().optional(),
      maxResults: z.number().int().positive().optional(),
    })
    .optional(),
});

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  void reply.code(400).send({ error: 'invalid control request', issues: r.error.issues });
  return undefined;
}

function strip<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * `/__control/...`: unauthenticated, loopback only, never logged or rate limited. For the demo, e2e
 * tests and benchmarks running the simulator in another process.
 */
export function registerControlRoutes(app: FastifyInstance, control: HubSpotSimControl): void {
  app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!isLoopback(request.ip)) await reply.code(403).send({ error: 'control API is loopback only' });
      });
      scope.get('/', async () => ({
        portalId: control.portalId,
        endpoints: [
          'GET /__control/dump',
          'GET /__control/records/:objectType',
          'GET /__control/requests',
          'GET /__control/requests/stats',
          'GET /__control/requests/max-window?windowMs=10000&exclude429=true&excludeSearch=true',
          'DELETE /__control/requests',
          'GET|POST /__control/settings',
          'GET|POST|DELETE /__control/faults',
          'POST /__control/exhaust-daily',
          'GET /__control/usage',
          'POST /__control/expire-tokens',
          'POST /__control/reset',
        ],
      }));
      scope.get('/dump', async (request) => {
        const q = request.query as Record<string, string | undefined>;
        return control.dump({ includeArchived: q['includeArchived'] === 'true' });
      });
      scope.get('/records/:objectType', async (request, reply) => {
        const { objectType } = request.params as { objectType: string };
        const type = parseObjectType(objectType);
        if (!type) return reply.code(404).send({ error: `unknown object type ${objectType}` });
        const q = request.query as Record<string, string | undefined>;
        return { results: control.records(type, { includeArchived: q['includeArchived'] === 'true' }) };
      });
      scope.get('/requests', async () => ({ stats: control.requestStats(), entries: control.requestLog() }));
      scope.get('/requests/stats', async () => control.requestStats());
      scope.get('/requests/max-window', async (request) => {
        const q = request.query as Record<string, string | undefined>;
        const windowMs = Number(q['windowMs'] ?? 10_000);
        return {
          windowMs,
          max: control.maxRequestsInWindow(windowMs, {
            exclude429: q['exclude429'] === 'true',
            excludeSearch: q['excludeSearch'] === 'true',
            ...(q['endpointPrefix'] ? { endpointPrefix: q['endpointPrefix'] } : {}),
          }),
        };
      });
      scope.delete('/requests', async (_request, reply) => {
        control.clearRequestLog();
        return reply.code(204).send();
      });
      scope.get('/settings', async () => control.settings());
      scope.post('/settings', async (request, reply) => {
        const body = parse(settingsBody, request.body, reply);
        if (!body) return reply;
        const { rateLimits, searchLimits, tier, ...rest } = body;
        control.updateSettings({
          ...strip(rest),
          ...(tier && isTier(tier) ? { tier } : {}),
          ...(rateLimits ? { rateLimits: strip(rateLimits) } : {}),
          ...(searchLimits ? { searchLimits: strip(searchLimits) } : {}),
        });
        return control.settings();
      });
      scope.get('/faults', async () => control.faults());
      scope.post('/faults', async (request, reply) => {
        const body = parse(faultBody, request.body, reply);
        if (!body) return reply;
        const { failNext, ...rest } = body;
        control.setFaults({ ...strip(rest), ...(failNext ? { failNext: strip(failNext) } : {}) });
        return control.faults();
      });
      scope.delete('/faults', async (_request, reply) => {
        control.clearFaults();
        return reply.code(204).send();
      });
      scope.post('/exhaust-daily', async () => {
        control.exhaustDaily();
        return control.rateLimitUsage();
      });
      scope.get('/usage', async () => control.rateLimitUsage());
      scope.post('/expire-tokens', async (_request, reply) => {
        control.expireAccessTokens();
        return reply.code(204).send();
      });
      scope.post('/reset', async (_request, reply) => {
        control.reset();
        return reply.code(204).send();
      });
    },
    { prefix: '/__control' },
  );
}
