import { z } from 'zod';
import type { EpicorSimControl, Mutation } from './control.js';
import { SimDataError } from './data/store.js';
import type { HttpAnswer } from './data-routes.js';
import { stringifyJson } from './odata/serialize.js';
import { ENTITY_SETS, type EntitySetName, isEntitySetName } from './schema.js';

/**
 * `/__control/…` — the control API over HTTP (JSON in, JSON out, no auth; the server only accepts it
 * from loopback addresses). Every endpoint maps to one EpicorSimControl method.
 */

const entityName = z.string().refine(isEntitySetName, { message: 'unknown entity set' });
const key = z.record(z.string(), z.unknown());
const mutation = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('update'),
    entity: entityName,
    company: z.string().optional(),
    key,
    changes: key,
  }),
  z.object({ op: z.literal('insert'), entity: entityName, company: z.string().optional(), record: key }),
  z.object({ op: z.literal('deactivate'), entity: entityName, company: z.string().optional(), key }),
  z.object({ op: z.literal('delete'), entity: entityName, company: z.string().optional(), key }),
]);
const resetBody = z.object({
  seed: z.number().int().optional(),
  vendors: z.number().int().min(0).optional(),
  customers: z.number().int().min(0).optional(),
});
const recordBody = z.object({
  company: z.string().optional(),
  key: key.optional(),
  changes: key.optional(),
  record: key.optional(),
});
const faultsBody = z.object({
  latencyMs: z.number().min(0).optional(),
  fail: z
    .object({
      count: z.number().int().min(0),
      status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
      body: z.enum(['epicor', 'gateway']).optional(),
    })
    .optional(),
  resets: z.number().int().min(0).optional(),
  licenseErrors: z.number().int().min(0).optional(),
  expireTokensAfter: z.number().int().min(0).optional(),
});
const afterBody = z.object({ n: z.number().int().min(0), mutations: z.array(mutation) });
const accessBody = z.object({ username: z.string(), denied: z.array(z.string()) });
const quirkBody = z.object({ entitySets: z.array(z.string()).min(1), mode: z.enum(['empty', 'error']) });

export const CONTROL_ENDPOINTS = [
  'GET    /__control                              this list',
  'POST   /__control/reset                        {seed?, vendors?, customers?}',
  'GET    /__control/records/{Entity}?company=&top=&skip=',
  'GET    /__control/records/{Entity}/get?company=&<KeyField>=<value>…',
  'POST   /__control/records/{Entity}/update      {company?, key, changes}',
  'POST   /__control/records/{Entity}/insert      {company?, record}',
  'POST   /__control/records/{Entity}/deactivate  {company?, key}',
  'POST   /__control/records/{Entity}/delete      {company?, key}',
  'POST   /__control/mutations                    {op, entity, company?, key?, changes?, record?}',
  'POST   /__control/after-request                {n, mutations: [...]}',
  'GET    /__control/requests                     request log',
  'DELETE /__control/requests                     clear the log',
  'GET    /__control/stats                        {dataRequests, sysRevId, faults}',
  'POST   /__control/stats/reset                  data-request counter back to 0',
  'POST   /__control/faults                       {latencyMs?, fail?: {count, status?, body?}, resets?, licenseErrors?, expireTokensAfter?}',
  'DELETE /__control/faults                       clear every fault',
  'POST   /__control/tokens/invalidate            every issued bearer token becomes invalid',
  'POST   /__control/access                       {username, denied: [service|BO|BO.Method]}',
  'GET    /__control/child-filter-quirk           {quirk: {entitySets, mode} | null}',
  'POST   /__control/child-filter-quirk           {entitySets: [VendCntMains], mode: empty|error}',
  'DELETE /__control/child-filter-quirk           switch the quirk off',
];

function ok(value: unknown, status = 200): HttpAnswer {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
    body: stringifyJson(value),
  };
}

function problem(status: number, code: string, message: string): HttpAnswer {
  return ok({ error: { code, message } }, status);
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return {};
  return JSON.parse(text) as unknown;
}

export function handleControl(
  control: EpicorSimControl,
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
  bodyText: string,
): HttpAnswer {
  try {
    return route(control, method, segments, query, bodyText);
  } catch (error) {
    if (error instanceof z.ZodError) return problem(400, 'ERR_SIM_BAD_REQUEST', z.prettifyError(error));
    if (error instanceof SyntaxError)
      return problem(400, 'ERR_SIM_BAD_REQUEST', `Body is not JSON: ${error.message}`);
    if (error instanceof SimDataError) {
      const status =
        error.code === 'ERR_SIM_NOT_FOUND' || error.code === 'ERR_SIM_UNKNOWN_COMPANY' ? 404 : 400;
      return problem(status, error.code, error.message);
    }
    throw error;
  }
}

function route(
  control: EpicorSimControl,
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
  bodyText: string,
): HttpAnswer {
  const [first = '', second, third] = segments;
  const path = `${method} ${first}`;
  switch (path) {
    case 'GET ':
      return ok({
        endpoints: CONTROL_ENDPOINTS,
        entities: Object.keys(ENTITY_SETS),
        companies: control.companies(),
      });
    case 'POST reset':
      control.reset(resetBody.parse(parseBody(bodyText)));
      return ok({ ok: true, companies: control.companies() });
    case 'POST mutations':
      return ok({ record: control.apply(mutation.parse(parseBody(bodyText)) as Mutation) });
    case 'POST after-request': {
      const body = afterBody.parse(parseBody(bodyText));
      control.applyAfterRequest(body.n, body.mutations as Mutation[]);
      return ok({ ok: true });
    }
    case 'GET requests':
      return ok({ value: control.requestLog() });
    case 'DELETE requests':
      control.clearRequestLog();
      return ok({ ok: true });
    case 'GET stats':
      return ok({
        dataRequests: control.dataRequestCount,
        sysRevId: control.currentSysRevId(),
        faults: control.faults(),
      });
    case 'POST stats':
      if (second === 'reset') {
        control.resetCounters();
        return ok({ ok: true });
      }
      break;
    case 'POST faults': {
      const body = faultsBody.parse(parseBody(bodyText));
      if (body.latencyMs !== undefined) control.setLatency(body.latencyMs);
      if (body.fail) {
        control.failNext(body.fail.count, {
          ...(body.fail.status ? { status: body.fail.status } : {}),
          ...(body.fail.body ? { body: body.fail.body } : {}),
        });
      }
      if (body.resets !== undefined) control.resetNext(body.resets);
      if (body.licenseErrors !== undefined) control.licenseErrorNext(body.licenseErrors);
      if (body.expireTokensAfter !== undefined) control.expireTokensAfter(body.expireTokensAfter);
      return ok({ faults: control.faults() });
    }
    case 'DELETE faults':
      control.clearFaults();
      return ok({ faults: control.faults() });
    case 'POST tokens':
      if (second === 'invalidate') {
        control.invalidateTokens();
        return ok({ ok: true });
      }
      break;
    case 'POST access': {
      const body = accessBody.parse(parseBody(bodyText));
      control.setAccessDenied(body.username, body.denied);
      return ok({ ok: true });
    }
    case 'GET child-filter-quirk':
      return ok({ quirk: control.childFilterQuirk() ?? null });
    case 'POST child-filter-quirk': {
      const body = quirkBody.parse(parseBody(bodyText));
      try {
        control.setChildFilterQuirk(body);
      } catch (error) {
        return problem(400, 'ERR_SIM_BAD_REQUEST', error instanceof Error ? error.message : String(error));
      }
      return ok({ quirk: control.childFilterQuirk() ?? null });
    }
    case 'DELETE child-filter-quirk':
      control.setChildFilterQuirk(undefined);
      return ok({ quirk: null });
    case 'GET records':
    case 'POST records':
      return records(control, method, second ?? '', third, query, bodyText);
  }
  return problem(404, 'ERR_SIM_NO_ROUTE', `No control endpoint ${method} /__control/${segments.join('/')}.`);
}

function records(
  control: EpicorSimControl,
  method: string,
  entityText: string,
  action: string | undefined,
  query: URLSearchParams,
  bodyText: string,
): HttpAnswer {
  if (!isEntitySetName(entityText))
    return problem(404, 'ERR_SIM_UNKNOWN_ENTITY', `Unknown entity set ${entityText}.`);
  const entity: EntitySetName = entityText;
  const companyParam = query.get('company');
  if (method === 'GET' && action === undefined) {
    const options = companyParam ? { company: companyParam } : {};
    const all = control.list(entity, options);
    const skip = Number(query.get('skip') ?? 0);
    const top = Number(query.get('top') ?? all.length);
    return ok({ count: all.length, value: all.slice(skip, skip + top) });
  }
  if (method === 'GET' && action === 'get') {
    const keyInput = Object.fromEntries([...query].filter(([name]) => name !== 'company'));
    const record = control.get(entity, keyInput, companyParam ? { company: companyParam } : {});
    return record ? ok({ record }) : problem(404, 'ERR_SIM_NOT_FOUND', `No ${entity} row with that key.`);
  }
  if (method !== 'POST') return problem(404, 'ERR_SIM_NO_ROUTE', 'Use POST for record changes.');
  const body = recordBody.parse(parseBody(bodyText));
  const options = body.company ? { company: body.company } : {};
  switch (action) {
    case 'update':
      return ok({ record: control.update(entity, body.key ?? {}, body.changes ?? {}, options) });
    case 'insert':
      return ok({ record: control.insert(entity, body.record ?? {}, options) }, 201);
    case 'deactivate':
      return ok({ record: control.deactivate(entity, body.key ?? {}, options) });
    case 'delete':
      return ok({ record: control.delete(entity, body.key ?? {}, options) });
    default:
      return problem(404, 'ERR_SIM_NO_ROUTE', `Unknown record action ${action ?? ''}.`);
  }
}
