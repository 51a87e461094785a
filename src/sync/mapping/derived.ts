/**
 * Derived fields a mapping can read next to the Epicor row's own fields. Their names start with `@`,
 * which no Epicor column does, so they never shadow a real field.
 */
import type { EntityKind } from '../model.js';
import { SOURCE_TYPE_BY_KIND } from '../source-id.js';
import { personName } from './names.js';

export const DERIVED_FIELDS = [
  '@SourceId',
  '@ParentSourceId',
  '@Company',
  '@RecordType',
  '@FirstName',
  '@LastName',
] as const;

export interface DerivedInput {
  readonly kind: EntityKind;
  readonly company: string;
  readonly sourceId: string;
  readonly parentSourceId: string | undefined;
  readonly fields: Readonly<Record<string, unknown>>;
}

export function derivedFields(input: DerivedInput): Record<(typeof DERIVED_FIELDS)[number], string> {
  const isContact = input.kind === 'vendorContact' || input.kind === 'customerContact';
  const name = isContact ? personName(input.fields) : { firstName: '', lastName: '' };
  return {
    '@SourceId': input.sourceId,
    '@ParentSourceId': input.parentSourceId ?? '',
    '@Company': input.company,
    '@RecordType': SOURCE_TYPE_BY_KIND[input.kind],
    '@FirstName': name.firstName,
    '@LastName': name.lastName,
  };
}
