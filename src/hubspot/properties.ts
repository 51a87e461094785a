import { z } from 'zod';
import type { HubSpotObjectType } from '../sync/model.js';

/**
 * The connector's own HubSpot properties, and the pure check that an existing property is compatible.
 * Enumeration values are internal values (lower-case), labels are for people.
 */

export type PropertyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'enumeration'
  | 'date'
  | 'datetime'
  | 'phone_number';
export type FieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'booleancheckbox'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'date'
  | 'phonenumber'
  | 'html'
  | 'file'
  | 'calculation_equation';

export interface PropertyOption {
  label: string;
  value: string;
  hidden?: boolean;
  displayOrder?: number;
  description?: string;
}

export interface PropertyDefinition {
  objectType: HubSpotObjectType;
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  description?: string;
  hasUniqueValue?: boolean;
  options?: PropertyOption[];
}

export const DEFAULT_GROUP = { name: 'ml_connector', label: 'ml-connector (Epicor)' } as const;

const BOOL_OPTIONS: PropertyOption[] = [
  { label: 'Yes', value: 'true', hidden: false, displayOrder: 0 },
  { label: 'No', value: 'false', hidden: false, displayOrder: 1 },
];

function text(
  objectType: HubSpotObjectType,
  name: string,
  label: string,
  description: string,
): PropertyDefinition {
  return { objectType, name, label, type: 'string', fieldType: 'text', description };
}

/**
 * Properties the connector needs on companies and contacts. `epicor_record_type` exists on both, with
 * vendor/customer on companies and vendor_contact/customer_contact on contacts (one name, one meaning:
 * "which Epicor table this record came from").
 */
export function connectorPropertyDefinitions(sourceIdProperty = 'epicor_source_id'): PropertyDefinition[] {
  const out: PropertyDefinition[] = [];
  const recordTypes: Record<HubSpotObjectType, PropertyOption[]> = {
    companies: [
      { label: 'Vendor', value: 'vendor', hidden: false, displayOrder: 0 },
      { label: 'Customer', value: 'customer', hidden: false, displayOrder: 1 },
    ],
    contacts: [
      { label: 'Vendor contact', value: 'vendor_contact', hidden: false, displayOrder: 0 },
      { label: 'Customer contact', value: 'customer_contact', hidden: false, displayOrder: 1 },
    ],
  };
  for (const objectType of ['companies', 'contacts'] as const) {
    out.push(
      {
        ...text(
          objectType,
          sourceIdProperty,
          'Epicor source ID',
          'Immutable Epicor key written by ml-connector; the upsert key. Do not edit.',
        ),
        hasUniqueValue: true,
      },
      {
        objectType,
        name: 'epicor_record_type',
        label: 'Epicor record type',
        type: 'enumeration',
        fieldType: 'select',
        description: 'Which Epicor table the record comes from.',
        options: recordTypes[objectType],
      },
      text(objectType, 'epicor_vendor_id', 'Epicor vendor ID', 'Epicor VendorID (changeable display id).'),
      text(objectType, 'epicor_cust_id', 'Epicor customer ID', 'Epicor CustID (changeable display id).'),
      text(objectType, 'epicor_company', 'Epicor company', 'Epicor company code the record belongs to.'),
      {
        objectType,
        name: 'epicor_inactive',
        label: 'Inactive in Epicor',
        type: 'bool',
        fieldType: 'booleancheckbox',
        description: 'True when the record is inactive in Epicor.',
        options: BOOL_OPTIONS,
      },
      {
        objectType,
        name: 'epicor_last_synced_at',
        label: 'Last synced from Epicor',
        type: 'datetime',
        fieldType: 'date',
        description: 'When ml-connector last wrote this record.',
      },
    );
    if (objectType === 'companies') {
      out.push(text(objectType, 'epicor_terms_code', 'Epicor terms code', 'Epicor payment terms code.'));
    }
  }
  return out;
}

/** The body of `POST /crm/v3/properties/{objectType}` (`PropertyCreate`). */
export function propertyCreateBody(
  definition: PropertyDefinition,
  groupName: string,
): Record<string, unknown> {
  return {
    name: definition.name,
    label: definition.label,
    type: definition.type,
    fieldType: definition.fieldType,
    groupName,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    ...(definition.hasUniqueValue ? { hasUniqueValue: true } : {}),
    ...(definition.options ? { options: definition.options.map(optionInput) } : {}),
    formField: false,
    hidden: false,
    displayOrder: -1,
  };
}

function optionInput(option: PropertyOption): Record<string, unknown> {
  return {
    label: option.label,
    value: option.value,
    hidden: option.hidden ?? false,
    ...(option.displayOrder === undefined ? {} : { displayOrder: option.displayOrder }),
    ...(option.description === undefined ? {} : { description: option.description }),
  };
}

export const existingPropertySchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  fieldType: z.string().optional(),
  hasUniqueValue: z.boolean().optional(),
  archived: z.boolean().optional(),
  options: z
    .array(
      z.looseObject({
        label: z.string(),
        value: z.string(),
        hidden: z.boolean().optional(),
        displayOrder: z.number().optional(),
        description: z.string().optional(),
      }),
    )
    .optional(),
});
export type ExistingProperty = z.infer<typeof existingPropertySchema>;

export type PropertyCheck =
  | { kind: 'ok' }
  | { kind: 'not-unique' }
  | { kind: 'wrong-type'; actual: string }
  /** An enumeration lacks some of our options: PATCH with the merged list (a safe, additive change). */
  | { kind: 'missing-options'; options: Record<string, unknown>[] };

/** Compares an existing property with what the connector needs (pure). */
export function checkProperty(expected: PropertyDefinition, actual: ExistingProperty): PropertyCheck {
  if (actual.type !== expected.type)
    return { kind: 'wrong-type', actual: `${actual.type}/${actual.fieldType ?? '?'}` };
  if (expected.hasUniqueValue && actual.hasUniqueValue !== true) return { kind: 'not-unique' };
  if (expected.type === 'enumeration' && expected.options) {
    const have = new Set((actual.options ?? []).map((o) => o.value));
    const missing = expected.options.filter((o) => !have.has(o.value));
    if (missing.length > 0) {
      return {
        kind: 'missing-options',
        options: [...(actual.options ?? []).map(optionInput), ...missing.map(optionInput)],
      };
    }
  }
  return { kind: 'ok' };
}
