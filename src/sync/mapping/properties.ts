/**
 * What the mapper knows about HubSpot properties: the value type of the standard properties it writes
 * (so values are checked before HubSpot sees them) and the custom `epicor_*` properties the connector
 * creates (so the HubSpot setup can create them).
 */
import type { HubSpotObjectType } from '../model.js';
import type { FieldMapping, MappingSettings, ValueType } from './settings.js';

export interface PropertySpec {
  readonly type: ValueType;
  readonly options?: readonly string[];
}

/**
 * Company `type` options in a portal nobody has edited (UNCONFIRMED from HubSpot itself; admins can
 * change them — pass the portal's real options to the mapper via `MapperOptions.propertyOptions`).
 */
export const COMPANY_TYPE_OPTIONS = ['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER'] as const;

/** Default `lifecyclestage` internal values; portals can add stages with numeric ids. */
export const LIFECYCLE_STAGE_OPTIONS = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;

export const COMPANY_RECORD_TYPES = ['vendor', 'customer'] as const;
export const CONTACT_RECORD_TYPES = ['vendor-contact', 'customer-contact'] as const;

/** Standard HubSpot properties whose type matters for checking; anything not listed is `text`. */
export const STANDARD_PROPERTIES: Readonly<
  Record<HubSpotObjectType, Readonly<Record<string, PropertySpec>>>
> = {
  companies: {
    name: { type: 'name' },
    type: { type: 'enumeration', options: COMPANY_TYPE_OPTIONS },
    lifecyclestage: { type: 'enumeration', options: LIFECYCLE_STAGE_OPTIONS },
    numberofemployees: { type: 'number' },
    annualrevenue: { type: 'number' },
    founded_year: { type: 'text' },
  },
  contacts: {
    email: { type: 'email' },
    firstname: { type: 'name' },
    lastname: { type: 'name' },
    lifecyclestage: { type: 'enumeration', options: LIFECYCLE_STAGE_OPTIONS },
    date_of_birth: { type: 'text' },
  },
};

export type HubSpotPropertyType = 'string' | 'number' | 'bool' | 'date' | 'datetime' | 'enumeration';
export type HubSpotFieldType = 'text' | 'number' | 'booleancheckbox' | 'date' | 'select';

export interface PropertyOption {
  readonly label: string;
  readonly value: string;
  readonly displayOrder: number;
  readonly hidden: false;
}

/** A body for `POST /crm/v3/properties/{objectType}` (plus the object type it belongs to). */
export interface CustomPropertyDefinition {
  readonly objectType: HubSpotObjectType;
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly groupName: string;
  readonly type: HubSpotPropertyType;
  readonly fieldType: HubSpotFieldType;
  readonly hasUniqueValue?: true;
  readonly options?: readonly PropertyOption[];
}

export const PROPERTY_GROUP = Object.freeze({
  name: 'ml_connector',
  label: 'ml-connector',
  displayOrder: -1,
});

/** Prefix of every property the connector creates. */
export const CUSTOM_PROPERTY_PREFIX = 'epicor_';

const options = (values: readonly (readonly [string, string])[]): PropertyOption[] =>
  values.map(([value, label], displayOrder) => ({ value, label, displayOrder, hidden: false }));

const BOOL_OPTIONS = options([
  ['true', 'Yes'],
  ['false', 'No'],
]);

type Def = Omit<CustomPropertyDefinition, 'objectType' | 'groupName'>;

const COMMON: readonly Def[] = [
  {
    name: 'epicor_source_id',
    label: 'Epicor source ID',
    description:
      'Company, record type and immutable Epicor key, e.g. EPIC06:vendor:204. Set by ml-connector.',
    type: 'string',
    fieldType: 'text',
    hasUniqueValue: true,
  },
  {
    name: 'epicor_company',
    label: 'Epicor company',
    description: 'The Epicor Company the record comes from.',
    type: 'string',
    fieldType: 'text',
  },
  {
    name: 'epicor_inactive',
    label: 'Epicor inactive',
    description: 'The record is flagged Inactive in Epicor.',
    type: 'bool',
    fieldType: 'booleancheckbox',
    options: BOOL_OPTIONS,
  },
  {
    name: 'epicor_last_synced_at',
    label: 'Epicor last synced at',
    description: 'When ml-connector last wrote this record.',
    type: 'datetime',
    fieldType: 'date',
  },
];

const BUILT_IN: Readonly<Record<HubSpotObjectType, readonly Def[]>> = {
  companies: [
    ...COMMON,
    {
      name: 'epicor_record_type',
      label: 'Epicor record type',
      description: 'Whether the company is an Epicor vendor or customer.',
      type: 'enumeration',
      fieldType: 'select',
      options: options([
        ['vendor', 'Vendor'],
        ['customer', 'Customer'],
      ]),
    },
    {
      name: 'epicor_vendor_id',
      label: 'Epicor vendor ID',
      description: 'Epicor VendorID (user-facing, can be renamed in Epicor).',
      type: 'string',
      fieldType: 'text',
    },
    {
      name: 'epicor_cust_id',
      label: 'Epicor customer ID',
      description: 'Epicor CustID (user-facing, can be renamed in Epicor).',
      type: 'string',
      fieldType: 'text',
    },
    {
      name: 'epicor_terms_code',
      label: 'Epicor terms code',
      description: 'Epicor payment terms code.',
      type: 'string',
      fieldType: 'text',
    },
  ],
  contacts: [
    ...COMMON,
    {
      name: 'epicor_record_type',
      label: 'Epicor record type',
      description: 'Whether the contact belongs to an Epicor vendor or customer.',
      type: 'enumeration',
      fieldType: 'select',
      options: options([
        ['vendor-contact', 'Vendor contact'],
        ['customer-contact', 'Customer contact'],
      ]),
    },
  ],
};

function labelFor(name: string): string {
  const words = name
    .replace(/^epicor_/, '')
    .replace(/_c$/i, '')
    .split(/[_\s]+/)
    .filter(Boolean);
  return ['Epicor', ...words].join(' ');
}

function definitionForUserMapping(objectType: HubSpotObjectType, m: FieldMapping): CustomPropertyDefinition {
  const base = {
    objectType,
    name: m.to,
    label: m.label ?? labelFor(m.to),
    description: `Mapped by ml-connector from Epicor ${m.from.join(', ') || 'a constant'}.`,
    groupName: PROPERTY_GROUP.name,
  };
  switch (m.type) {
    case 'number':
      return { ...base, type: 'number', fieldType: 'number' };
    case 'bool':
      return { ...base, type: 'bool', fieldType: 'booleancheckbox', options: BOOL_OPTIONS };
    case 'date':
      return { ...base, type: 'date', fieldType: 'date' };
    case 'datetime':
      return { ...base, type: 'datetime', fieldType: 'date' };
    case 'enumeration':
      return {
        ...base,
        type: 'enumeration',
        fieldType: 'select',
        options: options((m.options ?? []).map((v) => [v, v] as const)),
      };
    default:
      return { ...base, type: 'string', fieldType: 'text' };
  }
}

const OBJECT_TYPE_BY_SETTINGS_KEY = {
  vendors: 'companies',
  customers: 'companies',
  vendorContacts: 'contacts',
  customerContacts: 'contacts',
} as const;

/**
 * Every custom property the mapping writes: the built-in `epicor_*` ones plus any `epicor_*` target of
 * a user field mapping (created as the mapping's `type`, default single-line text). Targets without the
 * prefix must already exist in HubSpot. One definition per (object type, name); built-ins win.
 */
export function customPropertyDefinitions(settings: MappingSettings = {}): CustomPropertyDefinition[] {
  const out = new Map<string, CustomPropertyDefinition>();
  for (const objectType of ['companies', 'contacts'] as const) {
    for (const def of BUILT_IN[objectType]) {
      out.set(`${objectType}/${def.name}`, { ...def, objectType, groupName: PROPERTY_GROUP.name });
    }
  }
  for (const [key, objectType] of Object.entries(OBJECT_TYPE_BY_SETTINGS_KEY)) {
    const kindSettings = settings[key as keyof typeof OBJECT_TYPE_BY_SETTINGS_KEY];
    for (const m of kindSettings?.fields ?? []) {
      const id = `${objectType}/${m.to}`;
      if (m.to.startsWith(CUSTOM_PROPERTY_PREFIX) && !out.has(id)) {
        out.set(id, definitionForUserMapping(objectType, m));
      }
    }
  }
  return [...out.values()];
}

/** The spec of a built-in custom property, used for checking values written to it. */
export function builtInPropertySpec(objectType: HubSpotObjectType, name: string): PropertySpec | undefined {
  const def = BUILT_IN[objectType].find((d) => d.name === name);
  if (def === undefined) return undefined;
  switch (def.type) {
    case 'bool':
      return { type: 'bool' };
    case 'datetime':
      return { type: 'datetime' };
    case 'enumeration':
      return { type: 'enumeration', options: (def.options ?? []).map((o) => o.value) };
    default:
      return { type: 'text' };
  }
}
