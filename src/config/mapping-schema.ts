/**
 * The `mapping:` block of a connection: user field mappings, transforms, value rules. Parses straight
 * into the mapper's own `MappingSettings`, so a config error is reported with its path before any sync.
 */
import { z } from 'zod';
import {
  DERIVED_FIELDS,
  type FieldMapping,
  type KindMappingSettings,
  type MappingSettings,
  parseTransform,
  TRANSFORM_SYNTAX,
  type Transform,
  VALUE_TYPES,
} from '../sync/mapping/index.js';

export const propertyNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a HubSpot internal property name: lower-case letters, digits and _');

const DERIVED = new Set<string>(DERIVED_FIELDS);

export const epicorFieldSchema = z
  .string()
  .regex(/^@?[A-Za-z_][A-Za-z0-9_]*$/, 'an Epicor field name such as Name or Week1Pymt_c')
  .refine((name) => !name.startsWith('@') || DERIVED.has(name), {
    message: `derived fields are ${DERIVED_FIELDS.join(', ')}`,
  });

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** One transform: `trim`, `truncate:40`, … or the object forms `{ truncate: 40 }`, `{ constant: X }`, `{ map: {…} }`. */
const transformSchema = z
  .union([
    z.string(),
    z.strictObject({
      truncate: z.number().int().positive().optional(),
      constant: scalar.optional(),
      default: scalar.optional(),
      map: z.record(z.string(), scalar).optional(),
    }),
  ])
  .transform((input, ctx): Transform => {
    if (typeof input === 'string') {
      const parsed = parseTransform(input);
      if (typeof parsed !== 'string') return parsed;
      ctx.issues.push({ code: 'custom', input, message: parsed });
      return z.NEVER;
    }
    const keys = Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined);
    if (keys.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input,
        message: `give exactly one transform per entry; use ${TRANSFORM_SYNTAX}`,
      });
      return z.NEVER;
    }
    if (input.truncate !== undefined) return { op: 'truncate', length: input.truncate };
    if (input.constant !== undefined) return { op: 'constant', value: input.constant };
    if (input.default !== undefined) return { op: 'default', value: input.default };
    return { op: 'map', values: input.map ?? {} };
  });

/** A single value or a list; a single value is read as a list of one. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item));

export const fieldMappingSchema = z
  .strictObject({
    to: propertyNameSchema,
    from: oneOrMany(epicorFieldSchema).optional(),
    combine: z.enum(['first', 'join']).optional(),
    separator: z.string().optional(),
    transform: oneOrMany(transformSchema).optional(),
    type: z.enum(VALUE_TYPES).optional(),
    options: z.array(scalar).min(1).optional(),
    maxLength: z.number().int().positive().max(65_536).optional(),
    label: z.string().trim().min(1).optional(),
  })
  .check((ctx) => {
    const m = ctx.value;
    const issue = (path: string, message: string) =>
      ctx.issues.push({ code: 'custom', input: m, path: [path], message });
    if (m.to === 'epicor_source_id')
      issue('to', 'epicor_source_id is the upsert key and is always set by the connector');
    const hasConstant = (m.transform ?? []).some((t) => t.op === 'constant');
    if ((m.from === undefined || m.from.length === 0) && !hasConstant) {
      issue('from', 'Required (an Epicor field), unless a constant:VALUE transform gives the value');
    }
    if (m.type === 'enumeration' && m.to.startsWith('epicor_') && m.options === undefined) {
      issue('options', 'an enumeration property the connector creates needs its options');
    }
    if (m.options !== undefined && m.type !== undefined && m.type !== 'enumeration') {
      issue('options', 'options only apply to type: enumeration');
    }
  })
  .transform((m): FieldMapping => {
    const out: { -readonly [K in keyof FieldMapping]: FieldMapping[K] } = { to: m.to, from: m.from ?? [] };
    if (m.combine !== undefined) out.combine = m.combine;
    if (m.separator !== undefined) out.separator = m.separator;
    if (m.transform !== undefined) out.transforms = m.transform;
    if (m.type !== undefined) out.type = m.type;
    if (m.options !== undefined) {
      out.options = m.options;
      out.type ??= 'enumeration';
    }
    if (m.maxLength !== undefined) out.maxLength = m.maxLength;
    if (m.label !== undefined) out.label = m.label;
    return out;
  });

const ruleSchema = z.enum(['drop', 'set-aside']);
export const rulesSchema = z.strictObject({
  invalidEmail: ruleSchema.optional(),
  tooLong: z.enum(['truncate', 'drop', 'set-aside']).optional(),
  invalidOption: ruleSchema.optional(),
  invalidNumber: ruleSchema.optional(),
  invalidDate: ruleSchema.optional(),
});

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const kindShape = {
  fields: z.array(fieldMappingSchema).optional(),
  drop: z.array(propertyNameSchema).optional(),
  rules: rulesSchema.optional(),
};

const kindSchema = z.strictObject(kindShape).transform((k): KindMappingSettings => dropUndefined(k));

const customerKindSchema = z
  .strictObject({
    ...kindShape,
    classification: z
      .union([z.literal('none'), z.strictObject({ property: propertyNameSchema, value: scalar })])
      .optional(),
  })
  .transform((k): KindMappingSettings => dropUndefined(k));

export const mappingSchema = z
  .strictObject({
    rules: rulesSchema.optional(),
    textMaxLength: z.number().int().positive().max(65_536).optional(),
    nameMaxLength: z.number().int().positive().max(65_536).optional(),
    emptyValues: z.enum(['clear', 'omit']).optional(),
    vendors: kindSchema.optional(),
    customers: customerKindSchema.optional(),
    vendorContacts: kindSchema.optional(),
    customerContacts: kindSchema.optional(),
  })
  .transform((m): MappingSettings => dropUndefined(m));
