import { collapseDuplicates, normaliseKey, type PreparedUpsert, type RecordOutcome } from './batch.js';

/** A company to upsert: the connector's source id and the HubSpot property values (all strings). */
export interface CompanyUpsert {
  sourceId: string;
  properties: Readonly<Record<string, string>>;
}

/** A contact to upsert; `properties.email` (if any) decides the key in `email-or-source-id` mode. */
export interface ContactUpsert {
  sourceId: string;
  properties: Readonly<Record<string, string>>;
}

export type ContactKeyMode = 'email-or-source-id' | 'source-id';

/** Deliberately loose: HubSpot does the real validation; this only decides whether email can be the key. */
export function looksLikeEmail(value: string | undefined): value is string {
  return value !== undefined && /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(value.trim());
}

/** Companies key on the unique source-id property, whose value is also written into `properties`. */
export function prepareCompanies(
  records: readonly CompanyUpsert[],
  sourceIdProperty: string,
): PreparedUpsert[] {
  return collapseDuplicates(records, (r) => r.sourceId).map((record) => ({
    sourceId: record.sourceId,
    idProperty: sourceIdProperty,
    idValue: record.sourceId,
    traceId: record.sourceId,
    properties: { ...record.properties, [sourceIdProperty]: record.sourceId },
  }));
}

/**
 * Contacts key on `email` when it looks valid (HubSpot's own contact identifier), otherwise on the
 * unique source-id property. Two different source records sharing one email would resolve to the same
 * HubSpot contact; the earlier one is reported failed (DUPLICATE_EMAIL_IN_BATCH) rather than silently
 * overwritten.
 */
export function prepareContacts(
  records: readonly ContactUpsert[],
  options: { sourceIdProperty: string; mode: ContactKeyMode },
): { prepared: PreparedUpsert[]; rejected: RecordOutcome[] } {
  const latest = collapseDuplicates(records, (r) => r.sourceId);
  const prepared: PreparedUpsert[] = [];
  const rejected: RecordOutcome[] = [];
  const byEmail = new Map<string, number>();
  for (const record of latest) {
    const email = record.properties['email']?.trim();
    const useEmail = options.mode === 'email-or-source-id' && looksLikeEmail(email);
    const input: PreparedUpsert = {
      sourceId: record.sourceId,
      idProperty: useEmail ? 'email' : options.sourceIdProperty,
      idValue: useEmail ? email : record.sourceId,
      traceId: record.sourceId,
      properties: {
        ...record.properties,
        [options.sourceIdProperty]: record.sourceId,
        ...(useEmail ? { email } : {}),
      },
    };
    if (useEmail) {
      const key = normaliseKey('email', email);
      const earlier = byEmail.get(key);
      if (earlier !== undefined) {
        const previous = prepared[earlier];
        if (previous) {
          rejected.push({
            sourceId: previous.sourceId,
            status: 'failed',
            idProperty: 'email',
            errorCategory: 'VALIDATION_ERROR',
            errorCode: 'DUPLICATE_EMAIL_IN_BATCH',
            errorMessage: `Another source record (${record.sourceId}) has the same email; only the later one was written`,
          });
        }
        prepared[earlier] = input;
        continue;
      }
      byEmail.set(key, prepared.length);
    }
    prepared.push(input);
  }
  return { prepared, rejected };
}

/**
 * Whether an email-keyed contact upsert failed because its source id already belongs to a contact: the
 * contact's email changed in Epicor (or it synced without one and gained one), so HubSpot found no
 * contact with the new email, tried to create one, and the unique source-id property refused. HubSpot
 * answers either 400 `DUPLICATE_UNIQUE_VALUE` naming the property or 409 `CONFLICT` "A contact with
 * {property} … already exists" (which one is UNCONFIRMED); both are recognised.
 */
export function isSourceIdConflict(outcome: RecordOutcome, sourceIdProperty: string): boolean {
  if (outcome.status !== 'failed' || outcome.idProperty !== 'email') return false;
  const message = outcome.errorMessage ?? '';
  const namesProperty = message.includes(sourceIdProperty);
  const code = outcome.errorCode?.toUpperCase();
  const category = outcome.errorCategory?.toUpperCase();
  return namesProperty && (code === 'DUPLICATE_UNIQUE_VALUE' || category === 'CONFLICT');
}

/** The same contact input keyed by the source-id property instead (its properties, email included, unchanged). */
export function keyBySourceId(input: PreparedUpsert, sourceIdProperty: string): PreparedUpsert {
  return { ...input, idProperty: sourceIdProperty, idValue: input.sourceId };
}
