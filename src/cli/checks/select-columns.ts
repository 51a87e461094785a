/**
 * The `select:<stream>` line of `ping`: do the columns of the stream's `$select` exist on the entity
 * (per `$metadata`)? A failure names the missing columns, which HubSpot properties the mapping fills from
 * them, and the three ways out: correct the mapping's `from`, drop the field, or `select: all`.
 */
import type { StreamKey } from '../../config/index.js';
import type { EntityCheck, SelectCheck } from '../../epicor/index.js';
import {
  effectiveMappings,
  type FieldMapping,
  type MappingSettings,
  sourceFieldsFor,
} from '../../sync/mapping/index.js';
import type { EntityKind } from '../../sync/model.js';
import type { PingCheck } from './types.js';

export const SELECT_COLUMNS_CODE = 'ERR_EPICOR_SELECT_COLUMNS';

/**
 * The Epicor columns one mapping reads, derived `@` fields resolved the way `$select` resolves them: by
 * asking `sourceFieldsFor` about a mapping made of that one field alone.
 */
function columnsReadBy(kind: EntityKind, key: StreamKey, m: FieldMapping): readonly string[] {
  const onlyThis: MappingSettings = {
    [key]: { drop: effectiveMappings(kind, {}).map((d) => d.to), fields: [m] },
  };
  return sourceFieldsFor(kind, onlyThis);
}

export interface ColumnReader {
  /** HubSpot property filled from the column. */
  readonly to: string;
  /** `fields`: a `mapping.<stream>.fields` entry; `default`: a default mapping. */
  readonly origin: 'fields' | 'default';
}

/**
 * Which mappings read `column` for `kind`. Without `mapping` (the connection's `mapping:` block), only
 * the default mappings are known; a column none of them reads then comes back with no reader.
 */
export function readersOf(
  kind: EntityKind,
  key: StreamKey,
  column: string,
  mapping: MappingSettings | undefined,
): ColumnReader[] {
  const userTargets = new Set((mapping?.[key]?.fields ?? []).map((m) => m.to));
  return effectiveMappings(kind, mapping ?? {})
    .filter((m) => columnsReadBy(kind, key, m).includes(column))
    .map((m) => ({ to: m.to, origin: userTargets.has(m.to) ? 'fields' : 'default' }));
}

function readerText(
  kind: EntityKind,
  key: StreamKey,
  column: string,
  mapping: MappingSettings | undefined,
): string {
  const readers = readersOf(kind, key, column, mapping);
  if (readers.length === 0) {
    return `${column} is not read by the default mapping: it comes from a mapping.${key}.fields entry (from: ${column}) or from a streams.${key}.select list`;
  }
  const parts = readers.map((r) =>
    r.origin === 'fields' ? `${r.to} (mapping.${key}.fields)` : `${r.to} (default mapping)`,
  );
  return `${column} is read for ${parts.join(', ')}`;
}

function fixText(
  select: SelectCheck,
  kind: EntityKind,
  key: StreamKey,
  mapping: MappingSettings | undefined,
): string {
  const readers = select.missing.map((column) => readerText(kind, key, column, mapping));
  const targets = [
    ...new Set(select.missing.flatMap((column) => readersOf(kind, key, column, mapping).map((r) => r.to))),
  ];
  const drop = targets.length === 0 ? '[<property>]' : `[${targets.join(', ')}]`;
  const to = targets.length === 1 ? targets[0] : '<property>';
  return (
    `${readers.join('; ')}. Either point the mapping's \`from\` at the column this tenant has ` +
    `(a mapping.${key}.fields entry { to: ${to}, from: <column> }), drop the field with ` +
    `mapping.${key}.drop: ${drop}, or set streams.${key}.select: all (every column is read; ` +
    'a column the tenant lacks then maps as empty)'
  );
}

/** The `select:<stream>` line for an entity that was read; undefined when it was not. */
export function selectColumnsCheck(
  entity: EntityCheck,
  key: StreamKey,
  mapping: MappingSettings | undefined,
): PingCheck | undefined {
  const select = entity.select;
  if (select === undefined) return undefined;
  const name = `select:${key}`;
  switch (select.status) {
    case 'pass':
      return { name, status: 'pass', message: select.message };
    case 'skipped':
      return {
        name,
        status: 'warn',
        message: select.message,
        fix: entity.path.startsWith('BaqSvc/')
          ? `make sure the BAQ returns every column in streams.${key}.select (named Table_Field), or set streams.${key}.select: all`
          : `rerun ping once $metadata can be read, or set streams.${key}.select: all so the stream does not depend on column names`,
      };
    case 'fail':
      return {
        name,
        status: 'fail',
        code: SELECT_COLUMNS_CODE,
        message: select.message,
        fix: fixText(select, entity.kind, key, mapping),
      };
  }
}
