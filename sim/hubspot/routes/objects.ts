import { notFoundError, type StandardError, standardError, validationError } from '../errors.js';
import type { SimRecord } from '../object-store.js';
import { normalizeKey } from '../object-store.js';
import { objectScopes, type SimObjectType } from '../object-types.js';
import {
  applyAssociations,
  batchTooLarge,
  decideBatchFailures,
  duplicateIds,
  failureToHttpError,
  failureToStandardError,
  type InputFailure,
  nonUniqueIdProperty,
  notFoundMessage,
  type PendingAssociation,
  prepareAssociations,
  prepareValues,
} from '../object-writes.js';
import {
  objectTypeOr,
  objectTypeParam,
  queryBool,
  queryString,
  type RouteContext,
  type RouteResult,
  type SimRoute,
} from '../route-types.js';
import {
  batchArchiveBody,
  batchCreateBody,
  batchReadBody,
  batchUpdateBody,
  batchUpsertBody,
  createBody,
  parseBody,
  updateBody,
} from '../schemas.js';
import { associationsJson, batchEnvelope, propertyList, recordJson } from '../serialize.js';
import type { SimState } from '../state.js';
import { searchRoute } from './search.js';

const read = (p: Record<string, string>): string[] => {
  const t = objectTypeOr(p);
  return t ? objectScopes(t, 'read') : [];
};
const write = (p: Record<string, string>): string[] => {
  const t = objectTypeOr(p);
  return t ? objectScopes(t, 'write') : [];
};

const BASE = '/crm/v3/objects/:objectType';

/** Finds a live record by id or by a unique `idProperty` (email allowed for contacts on reads). */
function resolve(
  state: SimState,
  type: SimObjectType,
  id: string,
  idProperty: string | undefined,
  archived = false,
): SimRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') {
    const r = state.objects.get(type, id);
    return r && r.archived === archived ? r : undefined;
  }
  if (!state.uniqueProps(type).includes(idProperty)) throw nonUniqueIdProperty(state, type, idProperty);
  if (archived) {
    return state.objects
      .all(type)
      .find(
        (r) =>
          r.archived &&
          normalizeKey(idProperty, r.properties[idProperty] ?? '') === normalizeKey(idProperty, id),
      );
  }
  return state.objects.getByUnique(type, idProperty, id);
}

function list(ctx: RouteContext): RouteResult {
  const { state, query } = ctx;
  const type = objectTypeParam(ctx.params);
  let limit = Number(queryString(query, 'limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1) throw validationError(`limit must be a positive integer`);
  if (limit > 100) {
    if (state.settings.listLimitOver100 === 'reject') throw validationError('limit must be at most 100');
    limit = 100;
  }
  const archived = queryBool(query, 'archived');
  const after = queryString(query, 'after');
  let start = 0;
  if (after !== undefined) {
    const decoded = Number(Buffer.from(after, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationError(`Invalid after cursor: ${after}`);
    start = decoded;
  }
  const requested = propertyList(query['properties']);
  const assoc = propertyList(query['associations']);
  const all = state.objects.all(type);
  const results: unknown[] = [];
  let i = start;
  for (; i < all.length && results.length < limit; i++) {
    const r = all[i];
    if (!r || r.archived !== archived) continue;
    results.push(withAssociations(state, r, recordJson(state, r, { requested }), assoc));
  }
  while (i < all.length && all[i]?.archived !== archived) i++;
  const body: Record<string, unknown> = { results };
  if (i < all.length) {
    const cursor = Buffer.from(String(i), 'utf8').toString('base64url');
    body['paging'] = { next: { after: cursor, link: `?after=${cursor}` } };
  }
  return { status: 200, body };
}

function withAssociations(
  state: SimState,
  record: SimRecord,
  json: Record<string, unknown>,
  assoc: readonly string[] | undefined,
): Record<string, unknown> {
  const a = associationsJson(state, record, assoc);
  if (a) json['associations'] = a;
  return json;
}

function getOne(ctx: RouteContext): RouteResult {
  const { state, query } = ctx;
  const type = objectTypeParam(ctx.params);
  const id = ctx.params['objectId'] ?? '';
  const record = resolve(state, type, id, queryString(query, 'idProperty'), queryBool(query, 'archived'));
  if (!record)
    throw notFoundError('Object not found.  objectId are usually numeric.', { context: { id: [id] } });
  const json = recordJson(state, record, {
    requested: propertyList(query['properties']),
    withHistory: propertyList(query['propertiesWithHistory']),
  });
  return { status: 200, body: withAssociations(state, record, json, propertyList(query['associations'])) };
}

function createOne(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(createBody, ctx.body);
  const unique = state.uniqueProps(type);
  const prepared = prepareValues(state, type, body.properties, unique, undefined);
  if (!prepared.ok) throw failureToHttpError(state, type, prepared.failure);
  const assoc = prepareAssociations(state, type, body.associations);
  if (!assoc.ok) throw failureToHttpError(state, type, assoc.failure);
  const record = state.objects.create(
    type,
    prepared.values,
    unique,
    state.now(),
    state.settings.searchIndexDelayMs,
  );
  applyAssociations(state, record, assoc.list);
  return { status: 201, body: recordJson(state, record, { allProperties: true }) };
}

function patchOne(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const id = ctx.params['objectId'] ?? '';
  const body = parseBody(updateBody, ctx.body);
  const record = resolve(state, type, id, queryString(ctx.query, 'idProperty'));
  if (!record)
    throw notFoundError('Object not found.  objectId are usually numeric.', { context: { id: [id] } });
  const unique = state.uniqueProps(type);
  const prepared = prepareValues(state, type, body.properties, unique, record.id);
  if (!prepared.ok) throw failureToHttpError(state, type, prepared.failure);
  state.objects.update(record, prepared.values, unique, state.now(), state.settings.searchIndexDelayMs);
  return { status: 200, body: recordJson(state, record, { allProperties: true }) };
}

function archiveRecord(state: SimState, record: SimRecord): void {
  state.objects.archive(
    record,
    state.uniqueProps(record.type),
    state.now(),
    state.settings.searchIndexDelayMs,
  );
  state.associations.removeAllOf(record.type, record.id);
}

function deleteOne(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const record = state.objects.get(type, ctx.params['objectId'] ?? '');
  if (record) archiveRecord(state, record);
  return { status: 204 };
}

function batchCreate(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchCreateBody, ctx.body);
  batchTooLarge(body.inputs.length);
  const unique = state.uniqueProps(type);
  const failures: { index: number; failure: InputFailure }[] = [];
  const ready: { index: number; values: Record<string, string>; assoc: PendingAssociation[] }[] = [];
  const seen = new Map<string, number>();
  const dups: string[] = [];
  body.inputs.forEach((input, index) => {
    const prepared = prepareValues(state, type, input.properties, unique, undefined);
    if (!prepared.ok) {
      failures.push({ index, failure: prepared.failure });
      return;
    }
    for (const p of unique) {
      const v = prepared.values[p];
      if (v === undefined || v === '') continue;
      const k = `${p}\u0000${normalizeKey(p, v)}`;
      if (seen.has(k)) dups.push(v);
      seen.set(k, index);
    }
    const assoc = prepareAssociations(state, type, input.associations);
    if (!assoc.ok) {
      failures.push({ index, failure: assoc.failure });
      return;
    }
    ready.push({ index, values: prepared.values, assoc: assoc.list });
  });
  if (dups.length > 0) throw duplicateIds(dups);
  const traceIds = body.inputs.map((i) => i.objectWriteTraceId);
  decideBatchFailures(state, type, failures, traceIds);
  const now = state.now();
  const results = ready.map(({ index, values, assoc }) => {
    const record = state.objects.create(type, values, unique, now, state.settings.searchIndexDelayMs);
    applyAssociations(state, record, assoc);
    return recordJson(state, record, { allProperties: true, objectWriteTraceId: traceIds[index] });
  });
  const errors = failures.map((f) => failureToStandardError(state, type, f.failure, traceIds[f.index]));
  return {
    status: errors.length > 0 ? 207 : 201,
    body: batchEnvelope(ctx.requestedAt, state.iso(), state.order(results), errors),
  };
}

/** Checks `idProperty` for update (no email: HubSpot refuses it there, reference §1.2). */
function checkUpdateIdProperty(state: SimState, type: SimObjectType, idProperty: string | undefined): void {
  if (!idProperty || idProperty === 'hs_object_id') return;
  if (!state.properties.uniqueNames(type).includes(idProperty))
    throw nonUniqueIdProperty(state, type, idProperty);
}

function batchUpdate(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchUpdateBody, ctx.body);
  batchTooLarge(body.inputs.length);
  const unique = state.uniqueProps(type);
  for (const input of body.inputs) checkUpdateIdProperty(state, type, input.idProperty);
  const failures: { index: number; failure: InputFailure }[] = [];
  const ready: { index: number; record: SimRecord; values: Record<string, string> }[] = [];
  const seen = new Set<string>();
  const dups: string[] = [];
  body.inputs.forEach((input, index) => {
    const record = resolve(state, type, input.id, input.idProperty);
    const key = record ? record.id : `?${input.idProperty ?? ''}\u0000${input.id}`;
    if (seen.has(key)) dups.push(input.id);
    seen.add(key);
    if (!record) {
      failures.push({ index, failure: { kind: 'not-found', id: input.id } });
      return;
    }
    const prepared = prepareValues(state, type, input.properties, unique, record.id);
    if (!prepared.ok) failures.push({ index, failure: prepared.failure });
    else ready.push({ index, record, values: prepared.values });
  });
  if (dups.length > 0) throw duplicateIds(dups);
  const traceIds = body.inputs.map((i) => i.objectWriteTraceId);
  decideBatchFailures(state, type, failures, traceIds);
  const now = state.now();
  const results = ready.map(({ index, record, values }) => {
    state.objects.update(record, values, unique, now, state.settings.searchIndexDelayMs);
    return recordJson(state, record, { allProperties: true, objectWriteTraceId: traceIds[index] });
  });
  const errors = failures.map((f) => failureToStandardError(state, type, f.failure, traceIds[f.index]));
  return {
    status: errors.length > 0 ? 207 : 200,
    body: batchEnvelope(ctx.requestedAt, state.iso(), state.order(results), errors),
  };
}

function batchUpsert(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchUpsertBody, ctx.body);
  batchTooLarge(body.inputs.length);
  const queryIdProperty = queryString(ctx.query, 'idProperty');
  const mode = state.settings.upsertIdPropertyInQuery;
  if (queryIdProperty !== undefined && mode === 'reject') {
    throw validationError('idProperty is not a query parameter of batch/upsert; set it on each input.');
  }
  const unique = state.uniqueProps(type);
  const inputs = body.inputs.map((input) => {
    const idProperty = input.idProperty ?? (mode === 'accept' ? queryIdProperty : undefined);
    if (!idProperty) {
      throw validationError('Each batch/upsert input needs an idProperty naming a unique property.', {
        context: { id: [input.id] },
      });
    }
    if (!unique.includes(idProperty)) throw nonUniqueIdProperty(state, type, idProperty);
    return { ...input, idProperty };
  });
  const seen = new Set<string>();
  const dups: string[] = [];
  const targets = inputs.map((input) => {
    const existing = state.objects.getByUnique(type, input.idProperty, input.id);
    const key = existing
      ? `#${existing.id}`
      : `${input.idProperty}\u0000${normalizeKey(input.idProperty, input.id)}`;
    if (seen.has(key)) dups.push(input.id);
    seen.add(key);
    return existing;
  });
  if (dups.length > 0) throw duplicateIds(dups);
  const failures: { index: number; failure: InputFailure }[] = [];
  const ready: { index: number; record: SimRecord | undefined; values: Record<string, string> }[] = [];
  inputs.forEach((input, index) => {
    const record = targets[index];
    const props =
      !record && state.settings.upsertCopiesIdIntoProperty && input.properties[input.idProperty] === undefined
        ? { ...input.properties, [input.idProperty]: input.id }
        : input.properties;
    const prepared = prepareValues(state, type, props, unique, record?.id);
    if (!prepared.ok) failures.push({ index, failure: prepared.failure });
    else ready.push({ index, record, values: prepared.values });
  });
  const traceIds = inputs.map((i) => i.objectWriteTraceId);
  decideBatchFailures(state, type, failures, traceIds);
  const now = state.now();
  const delay = state.settings.searchIndexDelayMs;
  const results = ready.map(({ index, record, values }) => {
    const isNew = record === undefined;
    const target = record ?? state.objects.create(type, values, unique, now, delay);
    if (record) state.objects.update(record, values, unique, now, delay);
    return {
      ...recordJson(state, target, { allProperties: true, objectWriteTraceId: traceIds[index] }),
      new: isNew,
    };
  });
  const errors = failures.map((f) => failureToStandardError(state, type, f.failure, traceIds[f.index]));
  return {
    status: errors.length > 0 ? 207 : 200,
    body: batchEnvelope(ctx.requestedAt, state.iso(), state.order(results), errors),
  };
}

function batchRead(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchReadBody, ctx.body);
  const withHistory = body.propertiesWithHistory && body.propertiesWithHistory.length > 0;
  batchTooLarge(body.inputs.length, withHistory ? 50 : 100);
  const archived = queryBool(ctx.query, 'archived');
  const seen = new Set<string>();
  const missing: string[] = [];
  const results: unknown[] = [];
  for (const input of body.inputs) {
    if (seen.has(input.id)) continue;
    seen.add(input.id);
    const record = resolve(state, type, input.id, body.idProperty, archived);
    if (!record) missing.push(input.id);
    else {
      results.push(
        recordJson(state, record, {
          requested: body.properties && body.properties.length > 0 ? body.properties : undefined,
          withHistory: body.propertiesWithHistory,
        }),
      );
    }
  }
  const errors: StandardError[] =
    missing.length > 0 ? [standardError('OBJECT_NOT_FOUND', notFoundMessage(type), { ids: missing })] : [];
  return {
    status: errors.length > 0 ? 207 : 200,
    body: batchEnvelope(ctx.requestedAt, state.iso(), results, errors),
  };
}

function batchArchive(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const type = objectTypeParam(ctx.params);
  const body = parseBody(batchArchiveBody, ctx.body);
  batchTooLarge(body.inputs.length);
  for (const input of body.inputs) {
    const record = state.objects.get(type, input.id);
    if (record) archiveRecord(state, record);
  }
  return { status: 204 };
}

export const objectRoutes: SimRoute[] = [
  { method: 'GET', url: BASE, auth: 'api', rate: 'standard', scopes: read, handler: list },
  { method: 'POST', url: BASE, auth: 'api', rate: 'standard', scopes: write, handler: createOne },
  { method: 'GET', url: `${BASE}/:objectId`, auth: 'api', rate: 'standard', scopes: read, handler: getOne },
  {
    method: 'PATCH',
    url: `${BASE}/:objectId`,
    auth: 'api',
    rate: 'standard',
    scopes: write,
    handler: patchOne,
  },
  {
    method: 'DELETE',
    url: `${BASE}/:objectId`,
    auth: 'api',
    rate: 'standard',
    scopes: write,
    handler: deleteOne,
  },
  {
    method: 'POST',
    url: `${BASE}/batch/create`,
    auth: 'api',
    rate: 'standard',
    scopes: write,
    handler: batchCreate,
  },
  {
    method: 'POST',
    url: `${BASE}/batch/update`,
    auth: 'api',
    rate: 'standard',
    scopes: write,
    handler: batchUpdate,
  },
  {
    method: 'POST',
    url: `${BASE}/batch/upsert`,
    auth: 'api',
    rate: 'standard',
    scopes: write,
    companyUpsert: (p) => objectTypeOr(p) === 'companies',
    handler: batchUpsert,
  },
  {
    method: 'POST',
    url: `${BASE}/batch/read`,
    auth: 'api',
    rate: 'standard',
    scopes: read,
    handler: batchRead,
  },
  {
    method: 'POST',
    url: `${BASE}/batch/archive`,
    auth: 'api',
    rate: 'standard',
    scopes: write,
    handler: batchArchive,
  },
  { ...searchRoute, url: `${BASE}/search`, scopes: read },
];
