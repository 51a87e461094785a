import { z } from 'zod';
import { type AssociationTypeInfo, associationType, defaultAssociationType } from '../association-store.js';
import { notFoundError, type StandardError, standardError, validationError } from '../errors.js';
import { OBJECT_TYPE_IDS, objectScopes, SINGULAR, type SimObjectType } from '../object-types.js';
import { batchTooLarge } from '../object-writes.js';
import {
  objectTypeOr,
  objectTypeParam,
  queryString,
  type RouteContext,
  type RouteResult,
  type SimRoute,
} from '../route-types.js';
import {
  assocArchiveBody,
  assocCreateBody,
  assocDefaultBody,
  associationTypeInput,
  assocReadBody,
  labelsArchiveBody,
  parseBody,
} from '../schemas.js';
import { batchEnvelope } from '../serialize.js';
import type { SimState } from '../state.js';

const scopesFor =
  (access: 'read' | 'write', fromParam: string) =>
  (p: Record<string, string>): string[] => {
    const t = objectTypeOr(p, fromParam);
    return t ? objectScopes(t, access) : [];
  };

function pairTypes(
  ctx: RouteContext,
  from = 'fromObjectType',
  to = 'toObjectType',
): [SimObjectType, SimObjectType] {
  return [objectTypeParam(ctx.params, from), objectTypeParam(ctx.params, to)];
}

function exists(state: SimState, type: SimObjectType, id: string): boolean {
  const r = state.objects.get(type, id);
  return r !== undefined && !r.archived;
}

function missingError(type: SimObjectType, ids: string[]): StandardError {
  return standardError(
    'OBJECT_NOT_FOUND',
    `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    { ids },
  );
}

function labelsOf(typeIds: readonly number[], from: SimObjectType, to: SimObjectType): string[] {
  const labels: string[] = [];
  for (const id of typeIds) {
    const label = associationType(from, to, id)?.label;
    if (label) labels.push(label);
  }
  return labels;
}

function associateDefault(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const [from, to] = pairTypes(ctx);
  const body = parseBody(assocDefaultBody, ctx.body);
  batchTooLarge(body.inputs.length);
  const info = defaultAssociationType(from, to);
  if (!info) throw validationError(`There is no default association from ${from} to ${to}.`);
  const results: unknown[] = [];
  const missingFrom: string[] = [];
  const missingTo: string[] = [];
  for (const input of body.inputs) {
    if (!exists(state, from, input.from.id)) missingFrom.push(input.from.id);
    else if (!exists(state, to, input.to.id)) missingTo.push(input.to.id);
    else {
      state.associations.add(info, input.from.id, input.to.id);
      results.push({
        from: { id: input.from.id },
        to: { id: input.to.id },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: info.typeId },
      });
    }
  }
  const errors = [
    ...(missingFrom.length > 0 ? [missingError(from, missingFrom)] : []),
    ...(missingTo.length > 0 ? [missingError(to, missingTo)] : []),
  ];
  return {
    status: errors.length > 0 ? 207 : 200,
    body: batchEnvelope(ctx.requestedAt, state.iso(), results, errors),
  };
}

function resolveTypes(
  from: SimObjectType,
  to: SimObjectType,
  types: readonly { associationCategory: string; associationTypeId: number }[],
): AssociationTypeInfo[] | string {
  const out: AssociationTypeInfo[] = [];
  for (const t of types) {
    const info = associationType(from, to, t.associationTypeId);
    if (!info || t.associationCategory !== 'HUBSPOT_DEFINED') {
      return `${t.associationCategory} ${t.associationTypeId} is not a valid association type from ${from} to ${to}.`;
    }
    out.push(info);
  }
  return out;
}

function batchCreate(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const [from, to] = pairTypes(ctx);
  const body = parseBody(assocCreateBody, ctx.body);
  batchTooLarge(body.inputs.length);
  const seen = new Set<string>();
  const results: unknown[] = [];
  const errors: StandardError[] = [];
  const missingFrom: string[] = [];
  const missingTo: string[] = [];
  for (const input of body.inputs) {
    const pairKey = `${input.from.id}\u0000${input.to.id}`;
    if (seen.has(pairKey)) {
      errors.push(
        standardError(
          'VALIDATION_ERROR',
          `Duplicate association input for ${input.from.id} → ${input.to.id}.`,
          {
            fromObjectId: [input.from.id],
            toObjectId: [input.to.id],
          },
        ),
      );
      continue;
    }
    seen.add(pairKey);
    const infos = resolveTypes(from, to, input.types);
    if (typeof infos === 'string') {
      errors.push(standardError('VALIDATION_ERROR', infos, { fromObjectId: [input.from.id] }));
      continue;
    }
    if (!exists(state, from, input.from.id)) {
      missingFrom.push(input.from.id);
      continue;
    }
    if (!exists(state, to, input.to.id)) {
      missingTo.push(input.to.id);
      continue;
    }
    for (const info of infos) state.associations.add(info, input.from.id, input.to.id);
    const current = state.associations.targets(from, input.from.id, to).find((t) => t.id === input.to.id);
    results.push({
      fromObjectTypeId: OBJECT_TYPE_IDS[from],
      fromObjectId: input.from.id,
      toObjectTypeId: OBJECT_TYPE_IDS[to],
      toObjectId: input.to.id,
      labels: labelsOf(current?.typeIds ?? [], from, to),
    });
  }
  if (missingFrom.length > 0) errors.push(missingError(from, missingFrom));
  if (missingTo.length > 0) errors.push(missingError(to, missingTo));
  return {
    status: errors.length > 0 ? 207 : state.settings.associationBatchCreateStatus,
    body: batchEnvelope(ctx.requestedAt, state.iso(), results, errors),
  };
}

function associationsOf(state: SimState, from: SimObjectType, id: string, to: SimObjectType) {
  return state.associations.targets(from, id, to).map((t) => ({
    toObjectId: t.id,
    associationTypes: t.typeIds.map((typeId) => {
      const info = associationType(from, to, typeId);
      return {
        category: 'HUBSPOT_DEFINED',
        typeId,
        ...(info?.label ? { label: info.label } : {}),
      };
    }),
  }));
}

function batchRead(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const [from, to] = pairTypes(ctx);
  const body = parseBody(assocReadBody, ctx.body);
  batchTooLarge(body.inputs.length, 1000);
  const results: unknown[] = [];
  const errors: StandardError[] = [];
  for (const input of body.inputs) {
    const list = associationsOf(state, from, input.id, to);
    if (list.length === 0) {
      errors.push(
        standardError(
          'OBJECT_NOT_FOUND',
          `No ${SINGULAR[to]} is associated with ${SINGULAR[from]} ${input.id}.`,
          {
            fromObjectId: [input.id],
          },
        ),
      );
      continue;
    }
    results.push({ from: { id: input.id }, to: list });
  }
  return {
    status: errors.length > 0 ? 207 : 200,
    body: batchEnvelope(ctx.requestedAt, state.iso(), results, errors),
  };
}

function batchArchive(ctx: RouteContext): RouteResult {
  const [from, to] = pairTypes(ctx);
  const body = parseBody(assocArchiveBody, ctx.body);
  batchTooLarge(body.inputs.length);
  for (const input of body.inputs) {
    for (const target of input.to) ctx.state.associations.removePair(from, input.from.id, to, target.id);
  }
  return { status: 204 };
}

function labelsArchive(ctx: RouteContext): RouteResult {
  const [from, to] = pairTypes(ctx);
  const body = parseBody(labelsArchiveBody, ctx.body);
  batchTooLarge(body.inputs.length);
  for (const input of body.inputs) {
    const infos = resolveTypes(from, to, input.types);
    if (typeof infos === 'string') throw validationError(infos);
    for (const info of infos) ctx.state.associations.removeType(info, input.from.id, input.to.id);
  }
  return { status: 204 };
}

function putDefault(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const [from, to] = pairTypes(ctx, 'objectType', 'toObjectType');
  const fromId = ctx.params['objectId'] ?? '';
  const toId = ctx.params['toObjectId'] ?? '';
  const info = defaultAssociationType(from, to);
  if (!info) throw validationError(`There is no default association from ${from} to ${to}.`);
  const errors = [
    ...(exists(state, from, fromId) ? [] : [missingError(from, [fromId])]),
    ...(exists(state, to, toId) ? [] : [missingError(to, [toId])]),
  ];
  if (errors.length > 0) throw notFoundError(errors[0]?.message ?? 'Object not found');
  state.associations.add(info, fromId, toId);
  const result = {
    from: { id: fromId },
    to: { id: toId },
    associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: info.typeId },
  };
  return { status: 200, body: batchEnvelope(ctx.requestedAt, state.iso(), [result], []) };
}

function putLabelled(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const [from, to] = pairTypes(ctx, 'objectType', 'toObjectType');
  const fromId = ctx.params['objectId'] ?? '';
  const toId = ctx.params['toObjectId'] ?? '';
  const types = parseBody(z.array(associationTypeInput), ctx.body);
  const infos = resolveTypes(from, to, types);
  if (typeof infos === 'string') throw validationError(infos);
  if (!exists(state, from, fromId) || !exists(state, to, toId)) {
    throw notFoundError(`One of ${SINGULAR[from]} ${fromId} or ${SINGULAR[to]} ${toId} does not exist.`);
  }
  for (const info of infos) state.associations.add(info, fromId, toId);
  const current = state.associations.targets(from, fromId, to).find((t) => t.id === toId);
  return {
    status: 201,
    body: {
      fromObjectTypeId: OBJECT_TYPE_IDS[from],
      fromObjectId: fromId,
      toObjectTypeId: OBJECT_TYPE_IDS[to],
      toObjectId: toId,
      labels: labelsOf(current?.typeIds ?? [], from, to),
    },
  };
}

function deletePair(ctx: RouteContext): RouteResult {
  const [from, to] = pairTypes(ctx, 'objectType', 'toObjectType');
  ctx.state.associations.removePair(from, ctx.params['objectId'] ?? '', to, ctx.params['toObjectId'] ?? '');
  return { status: 204 };
}

function listForObject(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const [from, to] = pairTypes(ctx, 'objectType', 'toObjectType');
  const all = associationsOf(state, from, ctx.params['objectId'] ?? '', to);
  const limit = Math.min(500, Math.max(1, Number(queryString(ctx.query, 'limit') ?? 500) || 500));
  const after = Number(queryString(ctx.query, 'after') ?? 0) || 0;
  const page = all.slice(after, after + limit);
  const body: Record<string, unknown> = { results: page };
  if (after + limit < all.length) body['paging'] = { next: { after: String(after + limit) } };
  return { status: 200, body };
}

const api = { auth: 'api', rate: 'standard' } as const;
const V4 = '/crm/v4/associations/:fromObjectType/:toObjectType';
const OBJ = '/crm/v4/objects/:objectType/:objectId/associations';

export const associationRoutes: SimRoute[] = [
  {
    ...api,
    method: 'POST',
    url: `${V4}/batch/associate/default`,
    scopes: scopesFor('write', 'fromObjectType'),
    handler: associateDefault,
  },
  {
    ...api,
    method: 'POST',
    url: `${V4}/batch/create`,
    scopes: scopesFor('write', 'fromObjectType'),
    handler: batchCreate,
  },
  {
    ...api,
    method: 'POST',
    url: `${V4}/batch/read`,
    scopes: scopesFor('read', 'fromObjectType'),
    handler: batchRead,
  },
  {
    ...api,
    method: 'POST',
    url: `${V4}/batch/archive`,
    scopes: scopesFor('write', 'fromObjectType'),
    handler: batchArchive,
  },
  {
    ...api,
    method: 'POST',
    url: `${V4}/batch/labels/archive`,
    scopes: scopesFor('write', 'fromObjectType'),
    handler: labelsArchive,
  },
  {
    ...api,
    method: 'PUT',
    url: `${OBJ}/default/:toObjectType/:toObjectId`,
    scopes: scopesFor('write', 'objectType'),
    handler: putDefault,
  },
  {
    ...api,
    method: 'PUT',
    url: `${OBJ}/:toObjectType/:toObjectId`,
    scopes: scopesFor('write', 'objectType'),
    handler: putLabelled,
  },
  {
    ...api,
    method: 'DELETE',
    url: `${OBJ}/:toObjectType/:toObjectId`,
    scopes: scopesFor('write', 'objectType'),
    handler: deletePair,
  },
  {
    ...api,
    method: 'GET',
    url: `${OBJ}/:toObjectType`,
    scopes: scopesFor('read', 'objectType'),
    handler: listForObject,
  },
];
