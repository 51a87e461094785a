import type { Logger } from '../core/logger.js';
import type { HubSpotObjectType } from '../sync/model.js';
import { HubSpotError, HubSpotPropertyTypeError, HubSpotUniquePropertyError } from './errors.js';
import type { HubSpotHttp } from './http-client.js';
import {
  checkProperty,
  existingPropertySchema,
  type PropertyDefinition,
  propertyCreateBody,
} from './properties.js';

export interface SchemaReport {
  groupsCreated: string[];
  propertiesCreated: string[];
  /** Enumerations that were missing some of our options and were extended. */
  optionsAdded: string[];
  /** Properties that already existed and were compatible. */
  unchanged: string[];
}

export interface EnsureSchemaOptions {
  group: { name: string; label: string };
  definitions: readonly PropertyDefinition[];
  logger: Logger;
  signal?: AbortSignal | undefined;
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof HubSpotError && error.status === status;
}

/**
 * Creates the connector's property group and properties where missing, and checks existing ones.
 * Idempotent: a second run only reads. Ensure = GET the property (404 → create; a 409 on create means
 * someone else created it meanwhile, so read and verify). A unique-id property that is not unique, or a
 * property of the wrong type, stops setup with a clear error: HubSpot cannot change `hasUniqueValue`,
 * so silently carrying on would let duplicates in.
 */
export async function ensureSchema(http: HubSpotHttp, options: EnsureSchemaOptions): Promise<SchemaReport> {
  const report: SchemaReport = { groupsCreated: [], propertiesCreated: [], optionsAdded: [], unchanged: [] };
  const signal = options.signal ? { signal: options.signal } : {};
  const objectTypes = [...new Set(options.definitions.map((d) => d.objectType))];
  for (const objectType of objectTypes) {
    await ensureGroup(http, objectType, options, report);
    for (const definition of options.definitions.filter((d) => d.objectType === objectType)) {
      const label = `${objectType}.${definition.name}`;
      let existing = await getProperty(http, objectType, definition.name, options.signal);
      if (!existing) {
        try {
          await http.request({
            method: 'POST',
            path: `/crm/v3/properties/${objectType}`,
            body: propertyCreateBody(definition, options.group.name),
            ...signal,
          });
          report.propertiesCreated.push(label);
          options.logger.info({ property: label }, 'Created HubSpot property');
          continue;
        } catch (error) {
          if (!isStatus(error, 409)) throw error;
          existing = await getProperty(http, objectType, definition.name, options.signal);
          if (!existing) throw error;
        }
      }
      const check = checkProperty(definition, existing);
      switch (check.kind) {
        case 'ok':
          report.unchanged.push(label);
          break;
        case 'not-unique':
          throw new HubSpotUniquePropertyError(
            'ERR_HUBSPOT_UNIQUE_PROPERTY',
            `HubSpot property ${label} exists but is not unique (hasUniqueValue is false). The connector upserts by ` +
              'it, so it must be unique, and HubSpot cannot make an existing property unique. Archive/delete that ' +
              'property in HubSpot (Settings → Properties) and run setup again, or configure a different source-id property name.',
          );
        case 'wrong-type':
          throw new HubSpotPropertyTypeError(
            'ERR_HUBSPOT_PROPERTY_TYPE',
            `HubSpot property ${label} exists with type ${check.actual}, but the connector needs ` +
              `${definition.type}/${definition.fieldType}. Rename or delete the existing property in HubSpot, then run setup again.`,
          );
        case 'missing-options':
          await http.request({
            method: 'PATCH',
            path: `/crm/v3/properties/${objectType}/${encodeURIComponent(definition.name)}`,
            body: { options: check.options },
            ...signal,
          });
          report.optionsAdded.push(label);
          break;
      }
    }
  }
  return report;
}

async function ensureGroup(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  options: EnsureSchemaOptions,
  report: SchemaReport,
): Promise<void> {
  const signal = options.signal ? { signal: options.signal } : {};
  try {
    await http.request({
      method: 'GET',
      path: `/crm/v3/properties/${objectType}/groups/${encodeURIComponent(options.group.name)}`,
      ...signal,
    });
    return;
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
  }
  try {
    await http.request({
      method: 'POST',
      path: `/crm/v3/properties/${objectType}/groups`,
      body: { name: options.group.name, label: options.group.label, displayOrder: -1 },
      ...signal,
    });
    report.groupsCreated.push(`${objectType}.${options.group.name}`);
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
  }
}

async function getProperty(
  http: HubSpotHttp,
  objectType: HubSpotObjectType,
  name: string,
  signal: AbortSignal | undefined,
) {
  try {
    const response = await http.request({
      method: 'GET',
      path: `/crm/v3/properties/${objectType}/${encodeURIComponent(name)}`,
      ...(signal ? { signal } : {}),
    });
    const parsed = existingPropertySchema.safeParse(response.body);
    if (!parsed.success) {
      throw new HubSpotPropertyTypeError(
        'ERR_HUBSPOT_PROPERTY_TYPE',
        `HubSpot returned an unreadable definition for property ${objectType}.${name}; cannot verify it.`,
      );
    }
    return parsed.data.archived === true ? undefined : parsed.data;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}
