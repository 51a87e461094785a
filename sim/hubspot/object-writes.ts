import { associationType } from './association-store.js';
import {
  errorBody,
  type PropertyIssue,
  propertyIssuesMessage,
  SimHttpError,
  type StandardError,
  standardError,
  validationError,
} from './errors.js';
import type { SimRecord } from './object-store.js';
import { OBJECT_TYPE_IDS, OBJECT_TYPES, SINGULAR, type SimObjectType } from './object-types.js';
import { type PropertyInput, validateProperties } from './property-validation.js';
import type { SimState } from './state.js';

/** Why one input of a write could not be applied. */
export type InputFailure =
  | { kind: 'validation'; issues: PropertyIssue[] }
  | { kind: 'email-conflict'; existingId: string }
  | { kind: 'unique-conflict'; property: string; value: string; existingId: string }
  | { kind: 'not-found'; id: string }
  | { kind: 'association'; message: string };

export interface PendingAssociation {
  to: SimObjectType;
  toId: string;
  typeId: number;
}

/** Validates property values and unique-value conflicts for a write to `selfId` (or a new record). */
export function prepareValues(
  state: SimState,
  type: SimObjectType,
  input: PropertyInput,
  uniqueProps: readonly string[],
  selfId: string | undefined,
): { ok: true; values: Record<string, string> } | { ok: false; failure: InputFailure } {
  const { values, issues } = validateProperties(
    input,
    (name) => state.properties.get(type, name),
    type === 'contacts' ? 'email' : undefined,
  );
  if (issues.length > 0) return { ok: false, failure: { kind: 'validation', issues } };
  const conflict = state.objects.findUniqueConflict(type, uniqueProps, values, selfId);
  if (conflict) {
    if (type === 'contacts' && conflict.property === 'email') {
      return { ok: false, failure: { kind: 'email-conflict', existingId: conflict.existingId } };
    }
    return { ok: false, failure: { kind: 'unique-conflict', ...conflict } };
  }
  return { ok: true, values };
}

/** Resolves v3 `associations` of a create; unknown ids or type ids are failures. */
export function prepareAssociations(
  state: SimState,
  type: SimObjectType,
  input:
    | { to: { id: string }; types: { associationTypeId: number; associationCategory: string }[] }[]
    | undefined,
): { ok: true; list: PendingAssociation[] } | { ok: false; failure: InputFailure } {
  const list: PendingAssociation[] = [];
  for (const a of input ?? []) {
    for (const t of a.types) {
      const to = OBJECT_TYPES.find((candidate) => associationType(type, candidate, t.associationTypeId));
      if (!to) {
        return {
          ok: false,
          failure: {
            kind: 'association',
            message: `${t.associationCategory} association type ${t.associationTypeId} is not valid for ${SINGULAR[type]} associations.`,
          },
        };
      }
      const target = state.objects.get(to, a.to.id);
      if (!target || target.archived) {
        return {
          ok: false,
          failure: {
            kind: 'association',
            message: `No ${SINGULAR[to]} with ID ${a.to.id} exists to associate with.`,
          },
        };
      }
      list.push({ to, toId: a.to.id, typeId: t.associationTypeId });
    }
  }
  return { ok: true, list };
}

export function applyAssociations(
  state: SimState,
  record: SimRecord,
  list: readonly PendingAssociation[],
): void {
  for (const a of list) {
    const info = associationType(record.type, a.to, a.typeId);
    if (info) state.associations.add(info, record.id, a.toId);
  }
}

function uniqueConflictMessage(
  type: SimObjectType,
  f: Extract<InputFailure, { kind: 'unique-conflict' }>,
): string {
  return `A ${SINGULAR[type]} with ${f.property} "${f.value}" already exists. Existing ID: ${f.existingId}`;
}

export function notFoundMessage(type: SimObjectType): string {
  return `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`;
}

/** The error a failure becomes when the whole request is rejected (single writes, 'reject-batch'). */
export function failureToHttpError(
  state: SimState,
  type: SimObjectType,
  failure: InputFailure,
): SimHttpError {
  switch (failure.kind) {
    case 'validation':
      return validationError(propertyIssuesMessage(failure.issues));
    case 'email-conflict':
      return new SimHttpError(
        409,
        errorBody('CONFLICT', `Contact already exists. Existing ID: ${failure.existingId}`),
      );
    case 'unique-conflict':
      if (state.settings.uniqueValueConflictStatus === 409) {
        return new SimHttpError(409, errorBody('CONFLICT', uniqueConflictMessage(type, failure)));
      }
      return validationError(
        propertyIssuesMessage([
          {
            isValid: false,
            message: `${failure.value} already has that value: ${uniqueConflictMessage(type, failure)}`,
            error: 'DUPLICATE_UNIQUE_VALUE',
            name: failure.property,
            localizedErrorMessage: uniqueConflictMessage(type, failure),
          },
        ]),
      );
    case 'not-found':
      return new SimHttpError(
        404,
        errorBody('OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.'),
      );
    case 'association':
      return validationError(failure.message);
  }
}

/** The `StandardError` a failure becomes inside a 207 body. */
export function failureToStandardError(
  state: SimState,
  type: SimObjectType,
  failure: InputFailure,
  traceId: string | undefined,
): StandardError {
  const http = failureToHttpError(state, type, failure);
  const context: Record<string, string[]> = {};
  if (traceId !== undefined) context['objectWriteTraceId'] = [traceId];
  if (failure.kind === 'not-found') {
    context['ids'] = [failure.id];
    return standardError('OBJECT_NOT_FOUND', notFoundMessage(type), context);
  }
  if (failure.kind === 'email-conflict' || failure.kind === 'unique-conflict') {
    context['existingId'] = [failure.existingId];
  }
  return standardError(String(http.body['category']), http.body.message, context);
}

/**
 * Applies the batch-validation policy: with failures, either reject the whole request (the first
 * failure's error) or answer 207 — the latter only in 'multi-status' mode when every input carries an
 * `objectWriteTraceId`. Not-found failures are always reported per input.
 */
export function decideBatchFailures(
  state: SimState,
  type: SimObjectType,
  failures: readonly { index: number; failure: InputFailure }[],
  traceIds: readonly (string | undefined)[],
): void {
  const rejectable = failures.find((f) => f.failure.kind !== 'not-found');
  if (!rejectable) return;
  const multiStatus =
    state.settings.batchValidation === 'multi-status' && traceIds.every((t) => t !== undefined);
  if (!multiStatus) throw failureToHttpError(state, type, rejectable.failure);
}

export function batchTooLarge(count: number, max = 100): void {
  if (count > max) {
    throw validationError(
      max === 100
        ? 'The maximum number of inputs supported in a batch is 100. Please reduce the number of items and try again'
        : 'The maximum number of inputs supported in a batch request for property histories is 50',
    );
  }
}

/** The 400 for an `idProperty` that is not a unique property (reference §1.1, [FIELD]). */
export function nonUniqueIdProperty(state: SimState, type: SimObjectType, property: string): SimHttpError {
  return validationError(
    `Unable to perform update/upsert by non-unique ${OBJECT_TYPE_IDS[type]} property ${property} in portal ID ${state.settings.portalId}`,
  );
}

export function duplicateIds(ids: readonly string[]): SimHttpError {
  return validationError(`Duplicate IDs found in batch input: [${ids.join(', ')}]. IDs must be unique`, {
    context: { ids: [...ids] },
  });
}
