/** Public surface of the mapping: the engine calls `createMapper`, HubSpot setup calls `customPropertyDefinitions`. */
export type { CheckContext, ValueOutcome } from './check-value.js';
export { checkValue } from './check-value.js';
export { DEFAULT_MAPPINGS } from './defaults.js';
export { DERIVED_FIELDS } from './derived.js';
export { domainFromUrl } from './domain.js';
export { checkEmail, isValidEmail } from './email.js';
export type { MapperOptions, RecordMapper } from './mapper.js';
export { createMapper, effectiveMappings } from './mapper.js';
export { personName, splitFullName } from './names.js';
export type {
  CustomPropertyDefinition,
  HubSpotFieldType,
  HubSpotPropertyType,
  PropertyOption,
  PropertySpec,
} from './properties.js';
export {
  COMPANY_RECORD_TYPES,
  COMPANY_TYPE_OPTIONS,
  CONTACT_RECORD_TYPES,
  CUSTOM_PROPERTY_PREFIX,
  customPropertyDefinitions,
  LIFECYCLE_STAGE_OPTIONS,
  PROPERTY_GROUP,
  STANDARD_PROPERTIES,
} from './properties.js';
export type {
  CustomerClassification,
  FieldMapping,
  KindMappingSettings,
  MappingSettings,
  MappingSettingsKey,
  TooLongRule,
  ValueRule,
  ValueRules,
  ValueType,
} from './settings.js';
export {
  DEFAULT_NAME_MAX_LENGTH,
  DEFAULT_RULES,
  DEFAULT_TEXT_MAX_LENGTH,
  SETTINGS_KEY_BY_KIND,
  VALUE_TYPES,
} from './settings.js';
export { sourceFieldsFor } from './source-fields.js';
export { truncateText } from './text.js';
export type { Transform } from './transforms.js';
export { applyTransforms, parseTransform, TRANSFORM_SYNTAX } from './transforms.js';
export { toBoolString, toDateString, toDateTimeString, toDecimalString, toText } from './values.js';
