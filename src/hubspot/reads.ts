import { z } from 'zod';
import type { HubSpotObjectType } from '../sync/model.js';
import { chunk, collapseDuplicates, normaliseKey } from './batch.js';
import type { HubSpotHttp } from './http-client.js';

/** A CRM record as the client returns it: HubSpot id plus string properties. */
export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
}

const objectSchema = z.looseObject({
  id: z.coerce.string(),
  properties: z.record(z.string(), z.union([z.string(), z.null()]).catch(null)).default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
});

const collectionSchema = z.looseObject({
  results: z.array(z.unknown()).default([]),
  paging: z.looseObject({ next: z.looseObject({ after: z.coerce.string() }).optional() }).optional(),
});

function toObject(raw: unknown): HubSpotObject | undefined {
  const parsed = objectSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { id, properties, createdAt, updatedAt, archived } = parsed.data;
  return {
    id,
    properties,
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
    ...(archived === undefined ? {} : { archived }),
  };
}

/**
 * `POST /crm/v3/objects/{type}/batch/read` by a unique property. Returns a map from the key value to
 * the record; values HubSpot does not know are simply absent (HubSpot answers 207 OBJECT_NOT_FOUND).
 */
export async function batchReadByProperty(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  idProperty: string,
  values: readonly string[],
  options: { properties?: readonly string[]; batchSize: number; signal?: AbortSignal },
): Promise<Map<string, HubSpotObject>> {
  const unique = collapseDuplicates(values, (v) => normaliseKey(idProperty, v));
  const properties = [...new Set([idProperty, ...(options.properties ?? [])])];
  const found = new Map<string, HubSpotObject>();
  const byKey = new Map(unique.map((v) => [normaliseKey(idProperty, v), v]));
  for (const part of chunk(unique, options.batchSize)) {
    const response = await http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/batch/read`,
      query: { archived: 'false' },
      body: { idProperty, inputs: part.map((id) => ({ id })), properties, propertiesWithHistory: [] },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const body = collectionSchema.safeParse(response.body);
    for (const raw of body.success ? body.data.results : []) {
      const object = toObject(raw);
      const value = object?.properties[idProperty];
      if (!object || typeof value !== 'string') continue;
      const original = byKey.get(normaliseKey(idProperty, value));
      if (original !== undefined) found.set(original, object);
    }
  }
  return found;
}

/**
 * Every record of a type via `GET /crm/v3/objects/{type}` with `after` paging (limit 100). With
 * `withProperty`, records where that property is empty are skipped client-side; the list endpoint has
 * no filter, and search is capped at 10,000 results, so listing is the dependable way to see all.
 */
export async function* iterateObjects(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  options: {
    properties?: readonly string[];
    withProperty?: string;
    pageSize: number;
    archived?: boolean;
    signal?: AbortSignal;
  },
): AsyncGenerator<HubSpotObject, void, undefined> {
  const properties = [
    ...new Set([...(options.withProperty ? [options.withProperty] : []), ...(options.properties ?? [])]),
  ];
  let after: string | undefined;
  do {
    const response = await http.request({
      method: 'GET',
      path: `/crm/v3/objects/${objectType}`,
      query: {
        limit: String(options.pageSize),
        after,
        ...(properties.length > 0 ? { properties: properties.join(',') } : {}),
        ...(options.archived ? { archived: 'true' } : {}),
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const body = collectionSchema.safeParse(response.body);
    if (!body.success) return;
    for (const raw of body.data.results) {
      const object = toObject(raw);
      if (!object) continue;
      if (options.withProperty) {
        const value = object.properties[options.withProperty];
        if (value === null || value === undefined || value === '') continue;
      }
      yield object;
    }
    after = body.data.paging?.next?.after;
  } while (after !== undefined && after !== '');
}

/** `POST /crm/v3/objects/{type}/batch/archive` (204). Archiving an unknown id is not an error. */
export async function batchArchive(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  ids: readonly string[],
  options: { batchSize: number; signal?: AbortSignal },
): Promise<number> {
  const unique = collapseDuplicates(ids, (id) => id);
  for (const part of chunk(unique, options.batchSize)) {
    await http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/batch/archive`,
      body: { inputs: part.map((id) => ({ id })) },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }
  return unique.length;
}
