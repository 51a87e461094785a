import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import type { ChangeStrategy } from './settings.js';

/**
 * `$metadata` (OData CSDL XML) reading and the change-strategy recommendation `ping` reports. Each
 * Epicor service is its own OData root with its own `$metadata`.
 */

export interface EntityProperty {
  readonly name: string;
  /** EDM type, e.g. `Edm.DateTimeOffset`, `Edm.Int64`. */
  readonly type: string;
  readonly nullable: boolean;
}

const ARRAY_TAGS = new Set([
  'Schema',
  'EntityType',
  'EntityContainer',
  'EntitySet',
  'Property',
  'Key',
  'PropertyRef',
]);

/**
 * Only `ping` and the metadata probe read `$metadata`, so the XML parser is loaded on first use, not
 * when a sync imports the Epicor client. `require` keeps `parseEntityProperties` synchronous (the
 * package ships a one-file CommonJS build).
 */
let parser: XMLParser | undefined;
function xmlParser(): XMLParser {
  if (parser === undefined) {
    const { XMLParser: Parser } = createRequire(import.meta.url)(
      'fast-xml-parser',
    ) as typeof import('fast-xml-parser');
    parser = new Parser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      removeNSPrefix: true,
      isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ARRAY_TAGS.has(name),
    });
  }
  return parser;
}

type Node = Record<string, unknown>;

function nodes(value: unknown): Node[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as Node[]) : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Properties of the entity type behind `entitySet` (or of the entity type named `entitySet` when no such
 * set exists). Empty when the document has neither.
 */
export function parseEntityProperties(xml: string, entitySet: string): EntityProperty[] {
  const doc = xmlParser().parse(xml) as Node;
  const edmx = (doc['Edmx'] ?? doc) as Node;
  const services = (edmx['DataServices'] ?? edmx) as Node;
  const schemas = nodes(services['Schema']);
  let typeName: string | undefined;
  for (const schema of schemas) {
    for (const container of nodes(schema['EntityContainer'])) {
      for (const set of nodes(container['EntitySet'])) {
        if (text(set['Name']) === entitySet) typeName = text(set['EntityType']);
      }
    }
  }
  const wanted = typeName ?? entitySet;
  const shortName = wanted.slice(wanted.lastIndexOf('.') + 1);
  for (const schema of schemas) {
    const namespace = text(schema['Namespace']) ?? '';
    for (const type of nodes(schema['EntityType'])) {
      const name = text(type['Name']) ?? '';
      if (
        name !== shortName ||
        (typeName !== undefined && namespace !== '' && `${namespace}.${name}` !== wanted)
      ) {
        continue;
      }
      return nodes(type['Property']).map((p) => ({
        name: text(p['Name']) ?? '',
        type: text(p['Type']) ?? '',
        nullable: text(p['Nullable']) !== 'false',
      }));
    }
  }
  return [];
}

/** Property names inferred from one data row (for BAQs, or when `$metadata` is unavailable). */
export function propertiesFromRow(row: Readonly<Record<string, unknown>>): EntityProperty[] {
  return Object.entries(row)
    .filter(([name]) => !name.startsWith('@odata.'))
    .map(([name, value]) => ({
      name,
      type:
        typeof value === 'number' ? 'Edm.Int32' : typeof value === 'boolean' ? 'Edm.Boolean' : 'Edm.String',
      nullable: true,
    }));
}

export interface ChangeFieldsFound {
  readonly updatedOn: boolean;
  readonly changeDate: boolean;
  readonly changeTime: boolean;
  readonly sysRevId: boolean;
}

export interface StrategyRecommendation {
  readonly strategy: ChangeStrategy;
  readonly found: ChangeFieldsFound;
  readonly reason: string;
}

/**
 * Picks the most precise change strategy the properties allow: a datetime column (UpdatedOn, or the
 * given custom column) → ChangeDate+ChangeTime → ChangeDate (day granularity) → SysRevID (monotonic
 * only if it is database-wide, UNCONFIRMED) → full scan.
 */
export function recommendStrategy(
  properties: readonly (EntityProperty | string)[],
  options: { readonly datetimeField?: string } = {},
): StrategyRecommendation {
  const names = new Set(properties.map((p) => (typeof p === 'string' ? p : p.name)));
  const datetimeField = options.datetimeField ?? 'UpdatedOn';
  const found: ChangeFieldsFound = {
    updatedOn: names.has('UpdatedOn'),
    changeDate: names.has('ChangeDate'),
    changeTime: names.has('ChangeTime'),
    sysRevId: names.has('SysRevID'),
  };
  if (names.has(datetimeField)) {
    return {
      strategy: { strategy: 'datetime', field: datetimeField },
      found,
      reason: `${datetimeField} is a full timestamp: precise incremental reads`,
    };
  }
  if (found.changeDate && found.changeTime) {
    return {
      strategy: { strategy: 'changeDateTime', dateField: 'ChangeDate', timeField: 'ChangeTime' },
      found,
      reason: 'ChangeDate + ChangeTime give second precision (tenant-local time)',
    };
  }
  if (found.changeDate) {
    return {
      strategy: { strategy: 'changeDate', field: 'ChangeDate' },
      found,
      reason: 'only ChangeDate exists: day granularity, the cursor day is re-read each scan',
    };
  }
  if (found.sysRevId) {
    return {
      strategy: { strategy: 'sysRevId', field: 'SysRevID' },
      found,
      reason: 'no change date; SysRevID grows on every write and serves as the cursor',
    };
  }
  return {
    strategy: { strategy: 'full' },
    found,
    reason: 'no change column: every scan reads everything and changes are found by content hash',
  };
}
