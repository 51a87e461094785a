/**
 * What a user can change about the mapping (the `mapping:` block of a connection in the config file,
 * already validated by `src/config/`). Plain data: the mapper never reads the config file itself.
 */
import type { EntityKind } from '../model.js';
import type { Transform } from './transforms.js';

/**
 * How a mapped value is checked and written:
 * - `text`: single-line text, at most `textMaxLength` characters;
 * - `name`: text with the lower `nameMaxLength` limit (company `name`, contact `firstname`/`lastname`);
 * - `email`: must look like an address HubSpot accepts;
 * - `number`: written as a plain decimal string;
 * - `bool`: written `true`/`false`;
 * - `date`: `YYYY-MM-DD`; `datetime`: ISO 8601 instant in UTC;
 * - `enumeration`: must be one of the property's options (internal values).
 */
export const VALUE_TYPES = [
  'text',
  'name',
  'email',
  'number',
  'bool',
  'date',
  'datetime',
  'enumeration',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** `drop`: leave the property out, keep the record, add a warning. `set-aside`: do not write the record. */
export type ValueRule = 'drop' | 'set-aside';
/** `truncate`: cut to the limit at a character boundary and add a warning. */
export type TooLongRule = 'truncate' | ValueRule;

export interface ValueRules {
  readonly invalidEmail: ValueRule;
  readonly tooLong: TooLongRule;
  readonly invalidOption: ValueRule;
  readonly invalidNumber: ValueRule;
  readonly invalidDate: ValueRule;
}

export const DEFAULT_RULES: ValueRules = Object.freeze({
  invalidEmail: 'drop',
  tooLong: 'truncate',
  invalidOption: 'set-aside',
  invalidNumber: 'drop',
  invalidDate: 'drop',
});

/** HubSpot's single-line text limit. */
export const DEFAULT_TEXT_MAX_LENGTH = 65_536;
/** Lower limit for names (UNCONFIRMED what HubSpot enforces; configurable as `mapping.nameMaxLength`). */
export const DEFAULT_NAME_MAX_LENGTH = 255;

/** One HubSpot property filled from Epicor fields. */
export interface FieldMapping {
  /** HubSpot property internal name. */
  readonly to: string;
  /**
   * Epicor field names exactly as Epicor spells them (UD fields end in `_c`), or derived fields
   * (`@SourceId`, `@ParentSourceId`, `@Company`, `@RecordType`, `@FirstName`, `@LastName`).
   * Empty: the value comes from a `constant:` transform.
   */
  readonly from: readonly string[];
  /** With several `from` fields: take the first non-empty one (default) or join the non-empty ones. */
  readonly combine?: 'first' | 'join';
  /** Separator for `combine: join` (default a single space). */
  readonly separator?: string;
  readonly transforms?: readonly Transform[];
  /** Overrides the type known for the property (see `STANDARD_PROPERTIES`), default `text`. */
  readonly type?: ValueType;
  /** Allowed internal values when `type` is `enumeration`. */
  readonly options?: readonly string[];
  /** Overrides the text/name length limit for this property. */
  readonly maxLength?: number;
  /** Label for an `epicor_*` property the connector creates (default derived from the name). */
  readonly label?: string;
}

/** Standard-property classification for customers, e.g. `lifecyclestage = customer`. */
export type CustomerClassification = 'none' | { readonly property: string; readonly value: string };

export interface KindMappingSettings {
  /** Added to the defaults; an entry whose `to` matches a default replaces it. */
  readonly fields?: readonly FieldMapping[];
  /** HubSpot property names whose default mapping is removed. */
  readonly drop?: readonly string[];
  /** Overrides of `MappingSettings.rules` for this kind. */
  readonly rules?: Partial<ValueRules>;
  /** Customers only. Default `none`. */
  readonly classification?: CustomerClassification;
}

export interface MappingSettings {
  readonly rules?: Partial<ValueRules>;
  readonly textMaxLength?: number;
  readonly nameMaxLength?: number;
  /** Empty source values clear the HubSpot value (`clear`, writes `""`, default) or are left out (`omit`). */
  readonly emptyValues?: 'clear' | 'omit';
  readonly vendors?: KindMappingSettings;
  readonly customers?: KindMappingSettings;
  readonly vendorContacts?: KindMappingSettings;
  readonly customerContacts?: KindMappingSettings;
}

export type MappingSettingsKey = 'vendors' | 'customers' | 'vendorContacts' | 'customerContacts';

export const SETTINGS_KEY_BY_KIND = {
  vendor: 'vendors',
  customer: 'customers',
  vendorContact: 'vendorContacts',
  customerContact: 'customerContacts',
} as const satisfies Record<EntityKind, MappingSettingsKey>;
