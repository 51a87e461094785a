import type { Logger } from '../core/logger.js';
import type { HubSpotObjectType } from '../sync/model.js';
import {
  chunk,
  collapseDuplicates,
  failedOutcome,
  inputsNamedByError,
  type PreparedUpsert,
  type RecordOutcome,
  resolveUpsertResponse,
  upsertRequestBody,
} from './batch.js';
import { parsePropertyErrors } from './error-body.js';
import { HubSpotHttpError, HubSpotUniquePropertyError, HubSpotValidationError } from './errors.js';
import type { HubSpotHttp } from './http-client.js';
import { mapPool } from './pool.js';
import { batchReadByProperty } from './reads.js';

export interface UpsertRunOptions {
  batchSize: number;
  concurrency: number;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

/**
 * Upserts prepared inputs with `POST /crm/v3/objects/{type}/batch/upsert`, at most `batchSize` per
 * request, and returns exactly one outcome per distinct source id.
 *
 * Partial failure: a 207 is resolved per input. A batch rejected whole (400, or 409 CONFLICT) is bisected until each bad
 * record stands alone; halves that succeed are never sent again, and records the answer already
 * accounts for (landed or failed) are never re-sent. Inputs sharing an upsert key are collapsed first
 * (last wins), since HubSpot rejects a batch that resolves two inputs to the same record.
 */
export async function upsertPrepared(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  inputs: readonly PreparedUpsert[],
  options: UpsertRunOptions,
): Promise<RecordOutcome[]> {
  const unique = collapseDuplicates(inputs, (input) => input.sourceId);
  const batches = chunk(unique, options.batchSize);
  const results = await mapPool(batches, options.concurrency, (batch) =>
    sendIsolating(http, objectType, batch, options),
  );
  return results.flat();
}

async function sendIsolating(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  inputs: PreparedUpsert[],
  options: UpsertRunOptions,
): Promise<RecordOutcome[]> {
  let response: { body: unknown };
  try {
    response = await http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/batch/upsert`,
      body: upsertRequestBody(inputs),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (!isRecordRejection(error) || !error.body) throw error;
    const body = error.body;
    guardAgainstKeyProblems(inputs, error);
    // Nothing in a rejected batch landed, so every input may be sent again.
    if (inputs.length === 1) return inputs.map((input) => failedOutcome(input, body));
    const named = inputsNamedByError(inputs, body);
    if (named.length > 0 && named.length < inputs.length) {
      const rest = inputs.filter((input) => !named.includes(input));
      return [
        ...named.map((input) => failedOutcome(input, body)),
        ...(await sendIsolating(http, objectType, rest, options)),
      ];
    }
    return bisect(http, objectType, inputs, options);
  }

  const resolved = resolveUpsertResponse(inputs, response.body);
  if (resolved.unresolved.length === 0) return resolved.outcomes;

  if (resolved.unmappedErrors.length > 0) {
    // Some errors named no input: isolate the inputs the answer did not account for. They did not land
    // (they are neither in results nor confirmed), so re-sending them duplicates nothing.
    options.logger.warn(
      { objectType, unresolved: resolved.unresolved.length, errors: resolved.unmappedErrors.length },
      'HubSpot batch errors could not be tied to inputs; isolating them',
    );
    const again =
      resolved.unresolved.length < inputs.length
        ? await sendIsolating(http, objectType, resolved.unresolved, options)
        : await bisect(http, objectType, resolved.unresolved, options);
    return [...resolved.outcomes, ...again];
  }

  // HubSpot reported success but did not echo these inputs: confirm by reading, never by re-sending.
  return [...resolved.outcomes, ...(await confirmByReading(http, objectType, resolved.unresolved, options))];
}

/**
 * A whole batch refused because of (some of) its records: 400 VALIDATION_ERROR, or 409 CONFLICT (an
 * email or unique value that already belongs to another record). Both are isolated down to the records
 * at fault; nothing in such a batch landed.
 */
function isRecordRejection(error: unknown): error is HubSpotValidationError | HubSpotHttpError {
  return (
    error instanceof HubSpotValidationError || (error instanceof HubSpotHttpError && error.status === 409)
  );
}

async function bisect(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  inputs: PreparedUpsert[],
  options: UpsertRunOptions,
): Promise<RecordOutcome[]> {
  if (inputs.length <= 1) {
    // Only reachable when a single input's answer was ambiguous; report it rather than loop.
    return inputs.map((input) => ({
      sourceId: input.sourceId,
      status: 'failed',
      idProperty: input.idProperty,
      errorCategory: 'UNKNOWN',
      errorMessage: 'HubSpot returned an error that could not be tied to this record',
    }));
  }
  const middle = Math.ceil(inputs.length / 2);
  const left = await sendIsolating(http, objectType, inputs.slice(0, middle), options);
  const right = await sendIsolating(http, objectType, inputs.slice(middle), options);
  return [...left, ...right];
}

/** A whole-batch 400 that no bisection can fix: the upsert key itself is wrong. Throws instead. */
function guardAgainstKeyProblems(
  inputs: readonly PreparedUpsert[],
  error: HubSpotValidationError | HubSpotHttpError,
): void {
  const keys = new Set(inputs.map((input) => input.idProperty));
  const inner = parsePropertyErrors(error.body?.message);
  const keyMissing = inner.some(
    (e) => e.code === 'PROPERTY_DOESNT_EXIST' && e.name !== undefined && keys.has(e.name),
  );
  if (keyMissing) {
    throw new HubSpotUniquePropertyError(
      'ERR_HUBSPOT_UNIQUE_PROPERTY',
      `The upsert key property (${[...keys].join(', ')}) does not exist in HubSpot. Run the connector setup (ensureSchema) first.`,
      {
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(error.category === undefined ? {} : { category: error.category }),
        ...(error.correlationId === undefined ? {} : { correlationId: error.correlationId }),
      },
    );
  }
}

async function confirmByReading(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  inputs: readonly PreparedUpsert[],
  options: UpsertRunOptions,
): Promise<RecordOutcome[]> {
  const out: RecordOutcome[] = [];
  const byProperty = new Map<string, PreparedUpsert[]>();
  for (const input of inputs)
    byProperty.set(input.idProperty, [...(byProperty.get(input.idProperty) ?? []), input]);
  for (const [idProperty, group] of byProperty) {
    const found = await batchReadByProperty(
      http,
      objectType,
      idProperty,
      group.map((input) => input.idValue),
      { batchSize: options.batchSize, ...(options.signal ? { signal: options.signal } : {}) },
    );
    for (const input of group) {
      const object = found.get(input.idValue);
      out.push(
        object
          ? { sourceId: input.sourceId, status: 'updated', hubspotId: object.id, idProperty }
          : {
              sourceId: input.sourceId,
              status: 'failed',
              idProperty,
              errorCategory: 'UNKNOWN',
              errorCode: 'NOT_CONFIRMED',
              errorMessage:
                'HubSpot accepted the batch but the record was neither returned nor found afterwards',
            },
      );
    }
  }
  return out;
}
