import { z } from 'zod';
import { notFoundError, standardError } from '../errors.js';
import { schemaScopes } from '../object-types.js';
import { propertyNotFound, serializeProperty } from '../property-store.js';
import {
  objectTypeOr,
  objectTypeParam,
  queryBool,
  type RouteContext,
  type RouteResult,
  type SimRoute,
} from '../route-types.js';
import { groupBody, parseBody, propertyCreateBody } from '../schemas.js';
import { batchEnvelope } from '../serialize.js';

const read = (p: Record<string, string>): string[] => {
  const t = objectTypeOr(p);
  return t ? schemaScopes(t, 'read') : [];
};
const write = (p: Record<string, string>): string[] => {
  const t = objectTypeOr(p);
  return t ? schemaScopes(t, 'write') : [];
};

const BASE = '/crm/v3/properties/:objectType';

function listProperties(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  const results = ctx.state.properties.list(type, queryBool(ctx.query, 'archived')).map(serializeProperty);
  return { status: 200, body: { results } };
}

function getProperty(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  const name = ctx.params['propertyName'] ?? '';
  const def = ctx.state.properties.get(type, name);
  if (!def) throw propertyNotFound(type, name);
  return { status: 200, body: serializeProperty(def) };
}

function createProperty(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(propertyCreateBody, ctx.body);
  const def = state.properties.create(type, body, state.iso(), state.settings.propertyExistsStatus);
  return { status: 201, body: serializeProperty(def) };
}

function patchProperty(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(propertyCreateBody, ctx.body);
  const def = state.properties.update(type, ctx.params['propertyName'] ?? '', body, state.iso());
  return { status: 200, body: serializeProperty(def) };
}

function deleteProperty(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  ctx.state.properties.archive(type, ctx.params['propertyName'] ?? '', ctx.state.iso());
  return { status: 204 };
}

const batchReadBody = z.object({
  inputs: z.array(z.object({ name: z.string() })),
  archived: z.boolean().optional(),
});
const batchCreatePropsBody = z.object({ inputs: z.array(propertyCreateBody) });

function batchReadProperties(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchReadBody, ctx.body);
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const { name } of body.inputs) {
    const def = state.properties.get(type, name);
    if (def) results.push(serializeProperty(def));
    else missing.push(name);
  }
  const errors =
    missing.length > 0
      ? [
          standardError('OBJECT_NOT_FOUND', `Unable to find some properties for object type ${type}`, {
            names: missing,
          }),
        ]
      : [];
  return {
    status: errors.length > 0 ? 207 : 200,
    body: batchEnvelope(ctx.requestedAt, state.iso(), results, errors),
  };
}

function batchCreateProperties(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchCreatePropsBody, ctx.body);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  for (const input of body.inputs) {
    try {
      results.push(
        serializeProperty(
          state.properties.create(type, input, state.iso(), state.settings.propertyExistsStatus),
        ),
      );
    } catch (error) {
      const e = error as { body?: { category?: unknown; message?: unknown } };
      errors.push(
        standardError(
          String(e.body?.category ?? 'VALIDATION_ERROR'),
          String(e.body?.message ?? 'invalid property'),
          {
            name: [input.name ?? ''],
          },
        ),
      );
    }
  }
  return {
    status: errors.length > 0 ? 207 : 201,
    body: batchEnvelope(ctx.requestedAt, state.iso(), results, errors),
  };
}

function listGroups(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  return { status: 200, body: { results: ctx.state.properties.listGroups(type) } };
}

function getGroup(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  const name = ctx.params['groupName'] ?? '';
  const group = ctx.state.properties.getGroup(type, name);
  if (!group) throw notFoundError(`Unable to find property group ${name} for object type ${type}`);
  return { status: 200, body: group };
}

function createGroup(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  const body = parseBody(groupBody, ctx.body);
  return {
    status: 201,
    body: ctx.state.properties.createGroup(type, body, ctx.state.settings.propertyExistsStatus),
  };
}

function patchGroup(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  const body = parseBody(groupBody, ctx.body);
  return { status: 200, body: ctx.state.properties.updateGroup(type, ctx.params['groupName'] ?? '', body) };
}

function deleteGroup(ctx: RouteContext): RouteResult {
  const type = objectTypeParam(ctx.params);
  ctx.state.properties.archiveGroup(type, ctx.params['groupName'] ?? '');
  return { status: 204 };
}

const api = { auth: 'api', rate: 'standard' } as const;

export const propertyRoutes: SimRoute[] = [
  { ...api, method: 'GET', url: BASE, scopes: read, handler: listProperties },
  { ...api, method: 'POST', url: BASE, scopes: write, handler: createProperty },
  { ...api, method: 'POST', url: `${BASE}/batch/read`, scopes: read, handler: batchReadProperties },
  { ...api, method: 'POST', url: `${BASE}/batch/create`, scopes: write, handler: batchCreateProperties },
  { ...api, method: 'GET', url: `${BASE}/groups`, scopes: read, handler: listGroups },
  { ...api, method: 'POST', url: `${BASE}/groups`, scopes: write, handler: createGroup },
  { ...api, method: 'GET', url: `${BASE}/groups/:groupName`, scopes: read, handler: getGroup },
  { ...api, method: 'PATCH', url: `${BASE}/groups/:groupName`, scopes: write, handler: patchGroup },
  { ...api, method: 'DELETE', url: `${BASE}/groups/:groupName`, scopes: write, handler: deleteGroup },
  { ...api, method: 'GET', url: `${BASE}/:propertyName`, scopes: read, handler: getProperty },
  { ...api, method: 'PATCH', url: `${BASE}/:propertyName`, scopes: write, handler: patchProperty },
  { ...api, method: 'DELETE', url: `${BASE}/:propertyName`, scopes: write, handler: deleteProperty },
];
