export type SimObjectType = 'companies' | 'contacts';

export const OBJECT_TYPES: readonly SimObjectType[] = ['companies', 'contacts'];

/** HubSpot object type ids, used in error messages and v4 association results. */
export const OBJECT_TYPE_IDS: Record<SimObjectType, string> = { companies: '0-2', contacts: '0-1' };

export const SINGULAR: Record<SimObjectType, string> = { companies: 'company', contacts: 'contact' };

/** Accepts the plural, the singular and the type id, as HubSpot does in paths. */
export function parseObjectType(segment: string): SimObjectType | undefined {
  switch (segment.toLowerCase()) {
    case 'companies':
    case 'company':
    case '0-2':
      return 'companies';
    case 'contacts':
    case 'contact':
    case '0-1':
      return 'contacts';
    default:
      return undefined;
  }
}

/** Properties returned when a read names none (spec `info.description`). */
export const DEFAULT_RETURNED: Record<SimObjectType, readonly string[]> = {
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['firstname', 'lastname', 'email', 'createdate', 'lastmodifieddate', 'hs_object_id'],
};

/** Properties the free-text `query` of search looks at. */
export const QUERY_PROPERTIES: Record<SimObjectType, readonly string[]> = {
  companies: ['name', 'domain', 'website', 'phone'],
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
};

export function objectScopes(type: SimObjectType, access: 'read' | 'write'): string[] {
  return access === 'read'
    ? [`crm.objects.${type}.read`, `crm.objects.${type}.write`]
    : [`crm.objects.${type}.write`];
}

export function schemaScopes(type: SimObjectType, access: 'read' | 'write'): string[] {
  return access === 'read'
    ? [`crm.objects.${type}.read`, `crm.schemas.${type}.read`, `crm.schemas.${type}.write`]
    : [`crm.schemas.${type}.write`];
}
