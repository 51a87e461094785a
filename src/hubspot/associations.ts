import { z } from 'zod';
import type { HubSpotObjectType } from '../sync/model.js';
import { chunk, collapseDuplicates } from './batch.js';
import { type HubSpotErrorBody, parseErrorBody, primaryErrorCode } from './error-body.js';
import { HubSpotValidationError } from './errors.js';
import type { HubSpotHttp } from './http-client.js';
import { mapPool } from './pool.js';

export interface AssociationPair {
  /** HubSpot id of the `from` object (e.g. a contact). */
  fromId: string;
  /** HubSpot id of the `to` object (e.g. a company). */
  toId: string;
}

export interface AssociationOutcome extends AssociationPair {
  status: 'associated' | 'failed';
  errorCategory?: string;
  errorCode?: string;
  errorMessage?: string;
}

const resultSchema = z.looseObject({
  from: z.looseObject({ id: z.coerce.string() }),
  to: z.looseObject({ id: z.coerce.string() }),
});
const bodySchema = z.looseObject({
  results: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

const pairKey = (pair: AssociationPair): string => `${pair.fromId}\u0000${pair.toId}`;

/**
 * Default (unlabelled) associations with `POST /crm/v4/associations/{from}/{to}/batch/associate/default`.
 * Any 2xx is success (HubSpot moved association endpoints between 200 and 201 in 2025). Pairs are
 * de-duplicated first; re-associating an existing pair is harmless. A whole-batch 400 is bisected like
 * upserts; 207 errors name ids in `context`, or fall on the pairs missing from `results`.
 */
export async function associateDefault(
  http: HubSpotHttp,
  fromType: HubSpotObjectType,
  toType: HubSpotObjectType,
  pairs: readonly AssociationPair[],
  options: { batchSize: number; concurrency: number; signal?: AbortSignal | undefined },
): Promise<AssociationOutcome[]> {
  const unique = collapseDuplicates(pairs, pairKey);
  const send = async (batch: AssociationPair[]): Promise<AssociationOutcome[]> => {
    let body: unknown;
    try {
      body = (
        await http.request({
          method: 'POST',
          path: `/crm/v4/associations/${fromType}/${toType}/batch/associate/default`,
          body: { inputs: batch.map((pair) => ({ from: { id: pair.fromId }, to: { id: pair.toId } })) },
          ...(options.signal ? { signal: options.signal } : {}),
        })
      ).body;
    } catch (error) {
      if (!(error instanceof HubSpotValidationError) || !error.body) throw error;
      if (batch.length === 1)
        return batch.map((pair) => failed(pair, error.body ?? { context: {}, details: [] }));
      const middle = Math.ceil(batch.length / 2);
      return [...(await send(batch.slice(0, middle))), ...(await send(batch.slice(middle)))];
    }
    return resolveAssociationResponse(batch, body);
  };
  return (await mapPool(chunk(unique, options.batchSize), options.concurrency, send)).flat();
}

/** Maps a 200/201/207 answer to one outcome per pair (pure). */
export function resolveAssociationResponse(
  batch: readonly AssociationPair[],
  body: unknown,
): AssociationOutcome[] {
  const parsed = bodySchema.safeParse(body);
  const ok = new Set<string>();
  for (const raw of parsed.success ? (parsed.data.results ?? []) : []) {
    const result = resultSchema.safeParse(raw);
    if (result.success) ok.add(pairKey({ fromId: result.data.from.id, toId: result.data.to.id }));
  }
  const errors = (parsed.success ? (parsed.data.errors ?? []) : []).map(parseErrorBody);
  const noErrors = errors.length === 0;
  return batch.map((pair): AssociationOutcome => {
    // Without errors, a 2xx means every pair is in place even if HubSpot echoed fewer results.
    if (ok.has(pairKey(pair)) || noErrors) return { ...pair, status: 'associated' };
    const named = errors.find((e) =>
      Object.values(e.context).some((values) => values.includes(pair.fromId) || values.includes(pair.toId)),
    );
    return failed(pair, named ?? errors[0] ?? { context: {}, details: [] });
  });
}

function failed(pair: AssociationPair, body: HubSpotErrorBody): AssociationOutcome {
  const code = primaryErrorCode(body);
  return {
    ...pair,
    status: 'failed',
    ...(body.category ? { errorCategory: body.category } : {}),
    ...(code ? { errorCode: code } : {}),
    errorMessage: body.message ?? 'HubSpot rejected the association',
  };
}
