import { EDM_TYPES } from './odata/values.js';
import {
  ENTITY_SETS,
  type EntitySetDef,
  fieldsOf,
  type MissingColumns,
  SERVICES,
  type ServiceName,
} from './schema.js';

/** CSDL ($metadata) and service documents, one per service (each service is its own OData root). */

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function entityTypeXml(
  set: EntitySetDef,
  updatedOnColumn: string | undefined,
  missing: readonly string[] | undefined,
): string {
  const lines = [`      <EntityType Name="${set.rowType}">`, '        <Key>'];
  for (const key of set.keys) lines.push(`          <PropertyRef Name="${key}" />`);
  lines.push('        </Key>');
  for (const field of fieldsOf(set, updatedOnColumn, missing)) {
    const nullable = set.keys.includes(field.name) ? ' Nullable="false"' : '';
    const extra = field.type === 'decimal' ? ' Precision="38" Scale="Variable"' : '';
    lines.push(
      `        <Property Name="${escapeXml(field.name)}" Type="${EDM_TYPES[field.type]}"${nullable}${extra} />`,
    );
  }
  for (const nav of set.navigations) {
    lines.push(
      `        <NavigationProperty Name="${nav.name}" Type="Collection(Erp.Tablesets.${ENTITY_SETS[nav.target].rowType})" />`,
    );
  }
  lines.push('      </EntityType>');
  return lines.join('\n');
}

/** `missing`: columns this tenant lacks (the simulator's `missingColumns` option); left out of the types. */
export function metadataXml(
  service: ServiceName,
  updatedOnColumn: string | undefined,
  missing: MissingColumns = {},
): string {
  const sets = SERVICES[service].map((name) => ENTITY_SETS[name]);
  const container = service.replace(/^Erp\.BO\./, '');
  const entitySets = sets.map((set) => {
    const bindings = set.navigations.map(
      (nav) => `          <NavigationPropertyBinding Path="${nav.name}" Target="${nav.target}" />`,
    );
    return bindings.length === 0
      ? `        <EntitySet Name="${set.name}" EntityType="Erp.Tablesets.${set.rowType}" />`
      : [
          `        <EntitySet Name="${set.name}" EntityType="Erp.Tablesets.${set.rowType}">`,
          ...bindings,
          '        </EntitySet>',
        ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    '    <Schema Namespace="Erp.Tablesets" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ...sets.map((set) => entityTypeXml(set, updatedOnColumn, missing[set.name])),
    '    </Schema>',
    `    <Schema Namespace="${service}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
    `      <EntityContainer Name="${container}">`,
    ...entitySets,
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}

export function serviceDocument(service: ServiceName, serviceUrl: string): string {
  return JSON.stringify({
    '@odata.context': `${serviceUrl}/$metadata`,
    value: SERVICES[service].map((name) => ({ name, kind: 'EntitySet', url: name })),
  });
}
