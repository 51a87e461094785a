import type { SimObjectType } from './object-types.js';

export type PropertyType =
  | 'bool'
  | 'date'
  | 'datetime'
  | 'enumeration'
  | 'number'
  | 'phone_number'
  | 'string';

export interface PropertyOption {
  label: string;
  value: string;
  hidden: boolean;
  displayOrder: number;
  description?: string;
}

/** The simulator's property definition; serialised as the spec's `Property`. */
export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hubspotDefined: boolean;
  /** Values the API may not write (silently ignored on write, like calculated properties). */
  readOnlyValue: boolean;
  textDisplayHint?: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface PropertyGroupDefinition {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const SEEDED_AT = '2020-01-01T00:00:00.000Z';

function options(pairs: readonly (readonly [string, string])[]): PropertyOption[] {
  return pairs.map(([value, label], i) => ({ label, value, hidden: false, displayOrder: i }));
}

export const LIFECYCLE_STAGES = options([
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
]);

export const COMPANY_TYPES = options([
  ['PROSPECT', 'Prospect'],
  ['PARTNER', 'Partner'],
  ['RESELLER', 'Reseller'],
  ['VENDOR', 'Vendor'],
  ['OTHER', 'Other'],
]);

interface Seed {
  name: string;
  label: string;
  type?: PropertyType;
  fieldType?: string;
  options?: PropertyOption[];
  readOnly?: boolean;
  hint?: string;
}

function define(group: string, seed: Seed, order: number): PropertyDefinition {
  const type = seed.type ?? 'string';
  return {
    name: seed.name,
    label: seed.label,
    type,
    fieldType:
      seed.fieldType ??
      (type === 'enumeration'
        ? 'select'
        : type === 'number'
          ? 'number'
          : type === 'datetime' || type === 'date'
            ? 'date'
            : type === 'bool'
              ? 'booleancheckbox'
              : type === 'phone_number'
                ? 'phonenumber'
                : 'text'),
    groupName: group,
    description: '',
    options: seed.options ?? [],
    hasUniqueValue: false,
    hidden: false,
    formField: !seed.readOnly,
    displayOrder: order,
    calculated: false,
    externalOptions: false,
    hubspotDefined: true,
    readOnlyValue: seed.readOnly ?? false,
    ...(seed.hint ? { textDisplayHint: seed.hint } : {}),
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    archived: false,
  };
}

const COMMON_ADDRESS: Seed[] = [
  { name: 'phone', label: 'Phone Number', type: 'phone_number' },
  { name: 'address', label: 'Street Address' },
  { name: 'address2', label: 'Street Address 2' },
  { name: 'city', label: 'City' },
  { name: 'state', label: 'State/Region' },
  { name: 'zip', label: 'Postal Code' },
  { name: 'country', label: 'Country/Region' },
  { name: 'website', label: 'Website URL' },
  {
    name: 'lifecyclestage',
    label: 'Lifecycle Stage',
    type: 'enumeration',
    fieldType: 'radio',
    options: LIFECYCLE_STAGES,
  },
];

const SYSTEM: Seed[] = [
  { name: 'hs_object_id', label: 'Record ID', type: 'number', readOnly: true },
  { name: 'createdate', label: 'Create Date', type: 'datetime', readOnly: true },
  { name: 'hs_lastmodifieddate', label: 'Last Modified Date', type: 'datetime', readOnly: true },
];

const SEEDS: Record<SimObjectType, { group: string; groupLabel: string; props: Seed[] }> = {
  companies: {
    group: 'companyinformation',
    groupLabel: 'Company information',
    props: [
      { name: 'name', label: 'Company name' },
      { name: 'domain', label: 'Company Domain Name', hint: 'domain_name' },
      ...COMMON_ADDRESS,
      { name: 'type', label: 'Type', type: 'enumeration', options: COMPANY_TYPES },
      { name: 'description', label: 'Description', fieldType: 'textarea' },
      { name: 'industry', label: 'Industry' },
      { name: 'numberofemployees', label: 'Number of Employees', type: 'number' },
      { name: 'annualrevenue', label: 'Annual Revenue', type: 'number' },
      { name: 'timezone', label: 'Time Zone' },
      { name: 'hs_additional_domains', label: 'Additional Domains', fieldType: 'textarea' },
      ...SYSTEM,
    ],
  },
  contacts: {
    group: 'contactinformation',
    groupLabel: 'Contact information',
    props: [
      { name: 'email', label: 'Email', hint: 'email' },
      { name: 'firstname', label: 'First Name' },
      { name: 'lastname', label: 'Last Name' },
      { name: 'mobilephone', label: 'Mobile Phone Number', type: 'phone_number' },
      { name: 'fax', label: 'Fax Number', type: 'phone_number' },
      { name: 'jobtitle', label: 'Job Title' },
      { name: 'company', label: 'Company Name' },
      { name: 'salutation', label: 'Salutation' },
      {
        name: 'hs_additional_emails',
        label: 'Additional email addresses',
        fieldType: 'textarea',
        readOnly: true,
      },
      ...COMMON_ADDRESS,
      ...SYSTEM,
      { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', readOnly: true },
    ],
  },
};

export function seedProperties(type: SimObjectType): {
  groups: PropertyGroupDefinition[];
  properties: PropertyDefinition[];
} {
  const seed = SEEDS[type];
  return {
    groups: [{ name: seed.group, label: seed.groupLabel, displayOrder: 0, archived: false }],
    properties: seed.props.map((p, i) => define(seed.group, p, i)),
  };
}
