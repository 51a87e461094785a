import { z } from 'zod';
import { validationError } from './errors.js';

/** Request bodies as HubSpot accepts them (lenient where real clients differ from the spec). */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const idValue = z.union([z.string(), z.number()]).transform((v) => String(v));

export const propertiesInput = z.record(z.string(), scalar);

export const associationTypeInput = z.object({
  associationCategory: z.string().default('HUBSPOT_DEFINED'),
  associationTypeId: z.coerce.number().int(),
});

export const createAssociationInput = z.object({
  to: z.object({ id: idValue }),
  types: z.array(associationTypeInput),
});

export const createBody = z.object({
  properties: propertiesInput.default({}),
  associations: z.array(createAssociationInput).optional(),
  objectWriteTraceId: z.string().optional(),
});

export const updateBody = z.object({ properties: propertiesInput.default({}) });

export const batchCreateBody = z.object({ inputs: z.array(createBody) });

export const batchUpdateBody = z.object({
  inputs: z.array(
    z.object({
      id: idValue,
      idProperty: z.string().optional(),
      properties: propertiesInput.default({}),
      objectWriteTraceId: z.string().optional(),
    }),
  ),
});

export const batchUpsertBody = z.object({
  inputs: z.array(
    z.object({
      id: idValue,
      idProperty: z.string().optional(),
      properties: propertiesInput.default({}),
      objectWriteTraceId: z.string().optional(),
    }),
  ),
});

export const batchReadBody = z.object({
  inputs: z.array(z.object({ id: idValue })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

export const batchArchiveBody = z.object({ inputs: z.array(z.object({ id: idValue })) });

const filterValue = z.union([z.string(), z.number(), z.boolean()]);
export const searchBody = z.object({
  filterGroups: z
    .array(
      z.object({
        filters: z.array(
          z.object({
            propertyName: z.string(),
            operator: z.string(),
            value: filterValue.optional(),
            highValue: filterValue.optional(),
            values: z.array(filterValue).optional(),
          }),
        ),
      }),
    )
    .default([]),
  sorts: z.array(z.unknown()).optional(),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.coerce.number().int().optional(),
  after: z.union([z.string(), z.number()]).optional(),
});

export const propertyCreateBody = z.object({
  name: z.string().optional(),
  label: z.string().optional(),
  type: z.string().optional(),
  fieldType: z.string().optional(),
  groupName: z.string().optional(),
  description: z.string().optional(),
  options: z
    .array(
      z.object({
        label: z.string(),
        value: z.string(),
        hidden: z.boolean().optional(),
        displayOrder: z.number().int().optional(),
        description: z.string().optional(),
      }),
    )
    .optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  displayOrder: z.number().int().optional(),
});

export const groupBody = z.object({
  name: z.string().optional(),
  label: z.string().optional(),
  displayOrder: z.number().int().optional(),
});

const publicObjectId = z.object({ id: idValue });

export const assocDefaultBody = z.object({
  inputs: z.array(z.object({ from: publicObjectId, to: publicObjectId })),
});

export const assocCreateBody = z.object({
  inputs: z.array(
    z.object({ from: publicObjectId, to: publicObjectId, types: z.array(associationTypeInput) }),
  ),
});

export const assocReadBody = z.object({
  inputs: z.array(z.object({ id: idValue, after: z.string().optional() })),
});

export const assocArchiveBody = z.object({
  inputs: z.array(z.object({ from: publicObjectId, to: z.array(publicObjectId) })),
});

export const labelsArchiveBody = assocCreateBody;

/** Parses a body or throws HubSpot's 400 "Invalid input JSON" with the first issue. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? first.path.join('.') : 'body';
  throw validationError(`Invalid input JSON on field ${where}: ${first?.message ?? 'malformed body'}`, {
    context: { field: [where] },
  });
}
