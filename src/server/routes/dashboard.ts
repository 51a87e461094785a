/** The server-rendered dashboard and its form actions (POST + CSRF, then a redirect back: PRG). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { AuditPageView, AuditSearch, ReplayTarget, ServiceBackend } from '../backend.js';
import { DASHBOARD_CSS, DASHBOARD_JS } from '../dashboard/assets.js';
import { NOTICES, type PageContext } from '../dashboard/layout.js';
import {
  auditPage,
  connectionPage,
  failuresPage,
  notFoundPage,
  overviewPage,
  runPage,
} from '../dashboard/pages.js';
import type { Html } from '../html.js';
import {
  connectionParams,
  dashboardAuditQuery,
  emptyForm,
  noticeQuery,
  replayForm,
  runParams,
} from '../schemas.js';
import { parseInput } from '../validate.js';

function sendPage(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.toString());
}

function pageContext(request: FastifyRequest, reply: FastifyReply, clock: Clock): PageContext {
  const { notice } = parseInput(noticeQuery, request.query, 'query');
  return {
    now: clock.now(),
    csrf: reply.generateCsrf(),
    notice: notice === undefined ? undefined : NOTICES[notice],
  };
}

function backTo(
  reply: FastifyReply,
  path: string,
  outcome: string,
  action: 'run' | 'toggle' = 'run',
): FastifyReply {
  const notice = outcome === 'paused' && action === 'run' ? 'refused-paused' : outcome;
  return reply.redirect(`${path}?notice=${encodeURIComponent(notice)}`, 303);
}

/** "any field": a source id has colons, a HubSpot id is digits; otherwise (or when nothing matched) the name. */
async function searchAudit(
  backend: ServiceBackend,
  q: string,
  field: 'any' | 'sourceId' | 'label' | 'hubspotId',
  base: AuditSearch,
): Promise<AuditPageView> {
  if (field === 'sourceId') return backend.audit({ ...base, sourceId: q });
  if (field === 'hubspotId') return backend.audit({ ...base, hubspotId: q });
  if (field === 'label') return backend.audit({ ...base, label: q });
  if (q.includes(':')) {
    const page = await backend.audit({ ...base, sourceId: q });
    if (page.rows.length > 0) return page;
  } else if (/^\d+$/.test(q)) {
    const page = await backend.audit({ ...base, hubspotId: q });
    if (page.rows.length > 0) return page;
  }
  return backend.audit({ ...base, label: q });
}

export function registerDashboardRoutes(app: FastifyInstance, backend: ServiceBackend, clock: Clock): void {
  app.get('/assets/dashboard.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(DASHBOARD_CSS),
  );
  app.get('/assets/dashboard.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(DASHBOARD_JS),
  );

  app.get('/', async (request, reply) => {
    const ctx = pageContext(request, reply, clock);
    return sendPage(reply, overviewPage(ctx, await backend.connections()));
  });

  app.get('/connections/:id', async (request, reply) => {
    const ctx = pageContext(request, reply, clock);
    const { id } = parseInput(connectionParams, request.params, 'path');
    const connection = await backend.connection(id);
    if (connection === undefined) return sendPage(reply, notFoundPage(ctx, `No connection "${id}".`), 404);
    const [runs, failures] = await Promise.all([
      backend.runs({ connectionId: id, limit: 30 }),
      backend.failures({ connectionId: id, limit: 50 }),
    ]);
    return sendPage(reply, connectionPage(ctx, connection, runs, failures));
  });

  app.get('/runs/:runId', async (request, reply) => {
    const ctx = pageContext(request, reply, clock);
    const { runId } = parseInput(runParams, request.params, 'path');
    const run = await backend.run(runId);
    if (run === undefined) return sendPage(reply, notFoundPage(ctx, `No run ${runId}.`), 404);
    return sendPage(reply, runPage(ctx, run));
  });

  app.get('/failures', async (request, reply) => {
    const ctx = pageContext(request, reply, clock);
    return sendPage(reply, failuresPage(ctx, await backend.failures({ limit: 100 })));
  });

  app.get('/audit', async (request, reply) => {
    const ctx = pageContext(request, reply, clock);
    const query = parseInput(dashboardAuditQuery, request.query, 'query');
    const runId = query.run;
    const connections = (await backend.connections()).map((c) => c.id);
    const base: AuditSearch = {
      limit: 100,
      ...(query.connection === undefined ? {} : { connectionId: query.connection }),
      ...(runId === undefined ? {} : { runId }),
      ...(query.action === undefined ? {} : { actions: query.action }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    };
    let page: AuditPageView | undefined;
    if (query.q !== undefined) page = await searchAudit(backend, query.q, query.field, base);
    else if (query.connection !== undefined || runId !== undefined || query.action !== undefined) {
      page = await backend.audit(base);
    }
    let nextHref: string | undefined;
    if (page?.nextCursor) {
      const params = new URLSearchParams();
      if (query.q !== undefined) params.set('q', query.q);
      params.set('field', query.field);
      if (query.connection !== undefined) params.set('connection', query.connection);
      if (runId !== undefined) params.set('run', runId);
      params.set('cursor', page.nextCursor);
      nextHref = `/audit?${params.toString()}`;
    }
    return sendPage(
      reply,
      auditPage(ctx, {
        q: query.q,
        field: query.field,
        connection: query.connection,
        connections,
        page,
        nextHref,
      }),
    );
  });

  const connectionPath = (id: string) => `/connections/${encodeURIComponent(id)}`;

  app.post('/connections/:id/sync', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    parseInput(emptyForm, request.body, 'form');
    return backTo(reply, connectionPath(id), await backend.syncNow(id));
  });

  app.post('/connections/:id/pause', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    parseInput(emptyForm, request.body, 'form');
    return backTo(reply, connectionPath(id), await backend.setPaused(id, true), 'toggle');
  });

  app.post('/connections/:id/resume', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    parseInput(emptyForm, request.body, 'form');
    return backTo(reply, connectionPath(id), await backend.setPaused(id, false), 'toggle');
  });

  app.post('/connections/:id/replay', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    const form = parseInput(replayForm, request.body, 'form');
    const target: ReplayTarget =
      form.target === 'batch'
        ? { batchId: form.id }
        : form.target === 'run'
          ? { runId: form.id }
          : { allFailed: true };
    return backTo(reply, connectionPath(id), await backend.replay(id, target));
  });
}
