/** The JSON API under `/api` (behind the guard). Inputs are validated with zod; answers are plain JSON. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ActionOutcome, ReplayTarget, ServiceBackend } from '../backend.js';
import {
  auditQuery,
  batchesQuery,
  connectionBody,
  connectionParams,
  emptyJson,
  failuresQuery,
  removeConnectionQuery,
  replayBody,
  runParams,
  runsQuery,
} from '../schemas.js';
import { parseInput } from '../validate.js';

/** HTTP status for an action's outcome; `paused` is a refusal for a run, and the result of a pause. */
export function outcomeStatus(outcome: ActionOutcome, action: 'run' | 'toggle' = 'run'): number {
  if (outcome === 'paused' && action === 'run') return 409;
  switch (outcome) {
    case 'started':
    case 'queued':
      return 202;
    case 'paused':
    case 'resumed':
    case 'nothing-to-replay':
      return 200;
    case 'unknown-connection':
    case 'unknown-target':
      return 404;
    case 'lease-held':
      return 409;
    case 'lease-error':
    case 'stopping':
      return 503;
  }
}

function sendOutcome(
  reply: FastifyReply,
  connectionId: string,
  outcome: ActionOutcome,
  action: 'run' | 'toggle' = 'run',
): FastifyReply {
  return reply.code(outcomeStatus(outcome, action)).send({ connectionId, outcome });
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).send({ error: { code: 'ERR_NOT_FOUND', message } });
}

export function registerApiRoutes(app: FastifyInstance, backend: ServiceBackend): void {
  app.get('/api/connections', async () => ({ connections: await backend.connections() }));

  app.get('/api/connections/:id', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    const connection = await backend.connection(id);
    return connection === undefined ? notFound(reply, `No connection "${id}"`) : { connection };
  });

  app.get('/api/runs', async (request) => {
    const q = parseInput(runsQuery, request.query, 'query');
    return {
      runs: await backend.runs({
        limit: q.limit,
        ...(q.connection === undefined ? {} : { connectionId: q.connection }),
        ...(q.before === undefined ? {} : { beforeId: q.before }),
      }),
    };
  });

  app.get('/api/runs/:runId', async (request, reply) => {
    const { runId } = parseInput(runParams, request.params, 'path');
    const run = await backend.run(runId);
    return run === undefined ? notFound(reply, `No run ${runId}`) : { run };
  });

  app.get('/api/batches', async (request, reply) => {
    const { run: runId } = parseInput(batchesQuery, request.query, 'query');
    const run = await backend.run(runId);
    return run === undefined ? notFound(reply, `No run ${runId}`) : { batches: run.batches };
  });

  app.get('/api/failures', async (request) => {
    const q = parseInput(failuresQuery, request.query, 'query');
    return {
      failures: await backend.failures({
        limit: q.limit,
        ...(q.connection === undefined ? {} : { connectionId: q.connection }),
      }),
    };
  });

  app.get('/api/audit', async (request) => {
    const q = parseInput(auditQuery, request.query, 'query');
    return backend.audit({
      limit: q.limit,
      ...(q.connection === undefined ? {} : { connectionId: q.connection }),
      ...(q.run === undefined ? {} : { runId: q.run }),
      ...(q.batch === undefined ? {} : { batchId: q.batch }),
      ...(q.sourceId === undefined ? {} : { sourceId: q.sourceId }),
      ...(q.hubspotId === undefined ? {} : { hubspotId: q.hubspotId }),
      ...(q.label === undefined ? {} : { label: q.label }),
      ...(q.action === undefined ? {} : { actions: q.action }),
      ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
    });
  });

  app.get('/api/live', async () => ({ live: backend.live() }));

  app.post('/api/connections/:id/sync', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    parseInput(emptyJson, request.body, 'body');
    return sendOutcome(reply, id, await backend.syncNow(id));
  });

  app.post('/api/connections/:id/pause', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    parseInput(emptyJson, request.body, 'body');
    return sendOutcome(reply, id, await backend.setPaused(id, true), 'toggle');
  });

  app.post('/api/connections/:id/resume', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    parseInput(emptyJson, request.body, 'body');
    return sendOutcome(reply, id, await backend.setPaused(id, false), 'toggle');
  });

  app.post('/api/connections/:id/replay', async (request, reply) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    const body = parseInput(replayBody, request.body, 'body');
    const target: ReplayTarget =
      'batchId' in body
        ? { batchId: body.batchId }
        : 'runId' in body
          ? { runId: body.runId }
          : { allFailed: true };
    return sendOutcome(reply, id, await backend.replay(id, target));
  });

  // Connection management: each edits the config file (comments kept, validated first) and reloads.
  app.post('/api/connections', async (request, reply) => {
    const settings = parseInput(connectionBody, request.body, 'body');
    return reply.code(201).send(await backend.addConnection(settings));
  });

  app.put('/api/connections/:id', async (request) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    const settings = parseInput(connectionBody, request.body, 'body');
    return backend.replaceConnection(id, settings);
  });

  // `?purge=true`: also delete its stored credentials, cursors, id map and history (as `remove --purge`).
  app.delete('/api/connections/:id', async (request) => {
    const { id } = parseInput(connectionParams, request.params, 'path');
    const { purge } = parseInput(removeConnectionQuery, request.query, 'query');
    parseInput(emptyJson, request.body, 'body');
    return purge ? backend.removeConnection(id, { purge: true }) : backend.removeConnection(id);
  });

  app.post('/api/reload', async (request) => {
    parseInput(emptyJson, request.body, 'body');
    return { reload: await backend.reload() };
  });
}
