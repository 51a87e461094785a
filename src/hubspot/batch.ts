import { z } from 'zod';
import { type HubSpotErrorBody, parseErrorBody, primaryErrorCode } from './error-body.js';

/**
 * Pure batch logic for upserts: collapse duplicates, chunk, and map a 200/207 answer back to the inputs
 * by trace id or unique value — never by position, since HubSpot does not promise input order.
 */

export type OutcomeStatus = 'created' | 'updated' | 'failed';

/** What happened to one record. `errorCode` is HubSpot's inner code (INVALID_EMAIL, INVALID_OPTION, …). */
export interface RecordOutcome {
  sourceId: string;
  status: OutcomeStatus;
  hubspotId?: string;
  /** The upsert key used: the unique source-id property or `email`. */
  idProperty?: string;
  errorCategory?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** One upsert input after preparation: the key HubSpot matches on and a trace id for error mapping. */
export interface PreparedUpsert {
  sourceId: string;
  idProperty: string;
  idValue: string;
  traceId: string;
  properties: Record<string, string>;
}

/** Keeps one item per key; the last occurrence's value wins, placed where the key first appeared. */
export function collapseDuplicates<T>(items: readonly T[], key: (item: T) => string): T[] {
  const index = new Map<string, number>();
  const out: T[] = [];
  for (const item of items) {
    const k = key(item);
    const at = index.get(k);
    if (at === undefined) {
      index.set(k, out.length);
      out.push(item);
    } else {
      out[at] = item;
    }
  }
  return out;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError('chunk size must be at least 1');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Keys compare case-insensitively for email (HubSpot lower-cases addresses), exactly otherwise. */
export function normaliseKey(idProperty: string, value: string): string {
  return idProperty === 'email' ? value.trim().toLowerCase() : value;
}

/** The body sent to `POST /crm/v3/objects/{type}/batch/upsert`. */
export function upsertRequestBody(inputs: readonly PreparedUpsert[]): {
  inputs: {
    idProperty: string;
    id: string;
    objectWriteTraceId: string;
    properties: Record<string, string>;
  }[];
} {
  return {
    inputs: inputs.map((input) => ({
      idProperty: input.idProperty,
      id: input.idValue,
      objectWriteTraceId: input.traceId,
      properties: input.properties,
    })),
  };
}

/**
 * Only what an outcome needs. The echoed `properties` (every property of the record) are deliberately
 * not parsed: copying them for each of thousands of results per run was a large share of the garbage a
 * sync made. The key fallback reads the one property it needs from the raw result (`echoedProperty`).
 */
const upsertResultSchema = z.object({
  id: z.coerce.string(),
  new: z.boolean().optional(),
  objectWriteTraceId: z.string().optional(),
});

/** `raw.properties[name]` of an unparsed result, or undefined. */
function echoedProperty(raw: unknown, name: string): unknown {
  if (typeof raw !== 'object' || raw === null || !('properties' in raw)) return undefined;
  const properties = raw.properties;
  if (typeof properties !== 'object' || properties === null || !Object.hasOwn(properties, name))
    return undefined;
  return Object.getOwnPropertyDescriptor(properties, name)?.value;
}

const batchBodySchema = z.looseObject({
  results: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export interface ResolvedBatch {
  outcomes: RecordOutcome[];
  /** Inputs neither confirmed nor tied to an error: they must be isolated (re-sent in smaller batches). */
  unresolved: PreparedUpsert[];
  /** Errors that named no input we could find. */
  unmappedErrors: HubSpotErrorBody[];
}

/** Builds a failed outcome from a HubSpot error body. */
export function failedOutcome(
  input: { sourceId: string; idProperty?: string },
  body: HubSpotErrorBody,
): RecordOutcome {
  const code = primaryErrorCode(body);
  return {
    sourceId: input.sourceId,
    status: 'failed',
    ...(input.idProperty ? { idProperty: input.idProperty } : {}),
    ...(body.category ? { errorCategory: body.category } : {}),
    ...(code ? { errorCode: code } : {}),
    errorMessage: body.message ?? 'HubSpot rejected the record without a message',
  };
}

/**
 * Ties every result and error of a batch answer to its input. Results match by echoed trace id, then
 * by the key property value; errors match by `context.objectWriteTraceId`, then `context.ids`/`id`
 * values. A lone input with a lone result (or error) is unambiguous and matched directly.
 */
export function resolveUpsertResponse(inputs: readonly PreparedUpsert[], body: unknown): ResolvedBatch {
  const byTrace = new Map(inputs.map((input) => [input.traceId, input]));
  const byKey = new Map(inputs.map((input) => [normaliseKey(input.idProperty, input.idValue), input]));
  const done = new Map<string, RecordOutcome>();
  const parsedBody = batchBodySchema.safeParse(body);
  const results = parsedBody.success ? (parsedBody.data.results ?? []) : [];
  const errors = parsedBody.success ? (parsedBody.data.errors ?? []) : [];

  const unmatchedResults: z.infer<typeof upsertResultSchema>[] = [];
  for (const raw of results) {
    const parsed = upsertResultSchema.safeParse(raw);
    if (!parsed.success) continue;
    const result = parsed.data;
    let input = result.objectWriteTraceId ? byTrace.get(result.objectWriteTraceId) : undefined;
    if (!input) {
      for (const candidate of inputs) {
        const value = echoedProperty(raw, candidate.idProperty);
        if (
          typeof value === 'string' &&
          normaliseKey(candidate.idProperty, value) === normaliseKey(candidate.idProperty, candidate.idValue)
        ) {
          input = byKey.get(normaliseKey(candidate.idProperty, candidate.idValue));
          break;
        }
      }
    }
    if (input && !done.has(input.sourceId)) done.set(input.sourceId, successOutcome(input, result));
    else if (!input) unmatchedResults.push(result);
  }

  const unmappedErrors: HubSpotErrorBody[] = [];
  for (const raw of errors) {
    const error = parseErrorBody(raw);
    const matched = new Set<PreparedUpsert>();
    for (const trace of error.context['objectWriteTraceId'] ?? []) {
      const input = byTrace.get(trace);
      if (input) matched.add(input);
    }
    if (matched.size === 0) {
      for (const key of ['ids', 'id', ...new Set(inputs.map((i) => i.idProperty))]) {
        for (const value of error.context[key] ?? []) {
          for (const input of inputs) {
            if (normaliseKey(input.idProperty, input.idValue) === normaliseKey(input.idProperty, value))
              matched.add(input);
          }
        }
      }
    }
    if (matched.size === 0) unmappedErrors.push(error);
    for (const input of matched)
      if (!done.has(input.sourceId)) done.set(input.sourceId, failedOutcome(input, error));
  }

  let unresolved = inputs.filter((input) => !done.has(input.sourceId));
  // A single leftover input with a single leftover result or error cannot be anything else.
  const [only] = unresolved;
  if (only && unresolved.length === 1) {
    const [result] = unmatchedResults;
    const [error] = unmappedErrors;
    if (result && unmatchedResults.length === 1 && unmappedErrors.length === 0) {
      done.set(only.sourceId, successOutcome(only, result));
      unresolved = [];
    } else if (error && unmappedErrors.length === 1 && unmatchedResults.length === 0) {
      done.set(only.sourceId, failedOutcome(only, error));
      unmappedErrors.length = 0;
      unresolved = [];
    }
  }
  return { outcomes: inputs.flatMap((input) => done.get(input.sourceId) ?? []), unresolved, unmappedErrors };
}

function successOutcome(input: PreparedUpsert, result: z.infer<typeof upsertResultSchema>): RecordOutcome {
  return {
    sourceId: input.sourceId,
    status: result.new === true ? 'created' : 'updated',
    hubspotId: result.id,
    idProperty: input.idProperty,
  };
}

/**
 * For a whole-batch rejection (400): the inputs its context names, when it names any. HubSpot is not
 * documented to do this; when it does, we skip straight to the bad records instead of bisecting.
 */
export function inputsNamedByError(
  inputs: readonly PreparedUpsert[],
  body: HubSpotErrorBody,
): PreparedUpsert[] {
  const traces = new Set(body.context['objectWriteTraceId'] ?? []);
  return inputs.filter((input) => traces.has(input.traceId));
}
