import { associationType, v3TypeName } from './association-store.js';
import type { SimRecord } from './object-store.js';
import { DEFAULT_RETURNED, parseObjectType, type SimObjectType } from './object-types.js';
import type { SimState } from './state.js';

const ALWAYS: Record<SimObjectType, readonly string[]> = {
  companies: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['createdate', 'lastmodifieddate', 'hs_object_id'],
};

/** Splits `properties=a,b` / repeated query params into names. */
export function propertyList(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const names = parts.map((s) => s.trim()).filter(Boolean);
  return names.length > 0 ? names : undefined;
}

/** Property values of a record as a read returns them: requested (or default) names plus system ones. */
export function readProperties(
  state: SimState,
  type: SimObjectType,
  props: Readonly<Record<string, string>>,
  requested: readonly string[] | undefined,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const names = [...(requested ?? DEFAULT_RETURNED[type]), ...ALWAYS[type]];
  const asNull = state.settings.emptyPropertiesAs === 'null';
  for (const name of names) {
    const v = props[name];
    if (v !== undefined) out[name] = v;
    else if (asNull && requested?.includes(name)) out[name] = null;
  }
  return out;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

export interface RecordJsonOptions {
  requested?: readonly string[] | undefined;
  /** Write responses carry every stored value. */
  allProperties?: boolean;
  withHistory?: readonly string[] | undefined;
  objectWriteTraceId?: string | undefined;
}

/** `SimplePublicObject` for a record. */
export function recordJson(
  state: SimState,
  record: SimRecord,
  options: RecordJsonOptions = {},
): Record<string, unknown> {
  const properties = options.allProperties
    ? { ...record.properties }
    : readProperties(state, record.type, record.properties, options.requested);
  const json: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: isoOf(record.createdAt),
    updatedAt: isoOf(record.updatedAt),
    archived: record.archived,
  };
  if (record.archived && record.archivedAt !== undefined) json['archivedAt'] = isoOf(record.archivedAt);
  if (options.withHistory && options.withHistory.length > 0) {
    const history: Record<string, { value: string; timestamp: string; sourceType: string }[]> = {};
    for (const name of options.withHistory) {
      const v = record.properties[name];
      history[name] =
        v === undefined ? [] : [{ value: v, timestamp: isoOf(record.updatedAt), sourceType: 'API' }];
    }
    json['propertiesWithHistory'] = history;
  }
  if (options.objectWriteTraceId !== undefined) json['objectWriteTraceId'] = options.objectWriteTraceId;
  return json;
}

/** v3 `associations` block of a read (`?associations=contacts`). */
export function associationsJson(
  state: SimState,
  record: SimRecord,
  requested: readonly string[] | undefined,
): Record<string, unknown> | undefined {
  if (!requested) return undefined;
  const out: Record<string, unknown> = {};
  for (const name of requested) {
    const to = parseObjectType(name);
    if (!to) continue;
    const results: { id: string; type: string }[] = [];
    for (const target of state.associations.targets(record.type, record.id, to)) {
      for (const typeId of target.typeIds) {
        const info = associationType(record.type, to, typeId);
        if (info) results.push({ id: target.id, type: v3TypeName(info) });
      }
    }
    if (results.length > 0) out[to] = { results };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Envelope of batch responses: `status`, timestamps, `links`, and `numErrors`/`errors` only on 207. */
export function batchEnvelope(
  requestedAt: string,
  completedAt: string,
  results: unknown[],
  errors: unknown[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    requestedAt,
    startedAt: requestedAt,
    completedAt,
    links: {},
  };
  if (errors.length > 0) {
    body['numErrors'] = errors.length;
    body['errors'] = errors;
  }
  return body;
}
