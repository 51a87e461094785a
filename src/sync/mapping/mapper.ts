/**
 * Epicor row -> HubSpot properties. Pure apart from the optional clock: the same record and settings
 * always give the same properties and content hash. Never throws for bad data: a record either maps
 * (possibly with warnings) or is set aside with a reason.
 */
import type { Clock } from '../../core/clock.js';
import { contentHash } from '../content-hash.js';
import type { EntityKind, HubSpotObjectType, MappedRecord, MapResult, SourceRecord } from '../model.js';
import { buildSourceId, parentSourceId, parseRecordKey, SOURCE_TYPE_BY_KIND } from '../source-id.js';
import { type CheckContext, type CheckedSpec, checkValue } from './check-value.js';
import { DEFAULT_MAPPINGS } from './defaults.js';
import { derivedFields } from './derived.js';
import { builtInPropertySpec, STANDARD_PROPERTIES } from './properties.js';
import {
  DEFAULT_NAME_MAX_LENGTH,
  DEFAULT_RULES,
  DEFAULT_TEXT_MAX_LENGTH,
  type FieldMapping,
  type MappingSettings,
  SETTINGS_KEY_BY_KIND,
} from './settings.js';
import { excerpt } from './text.js';
import { applyTransforms } from './transforms.js';
import { toText } from './values.js';

export interface MapperOptions {
  /** The Epicor Company of the connection (first segment of every source id). */
  readonly company: string;
  /** The connection's `mapping:` settings; defaults apply where absent. */
  readonly mapping?: MappingSettings;
  /**
   * Enumeration options as read from the portal (`GET /crm/v3/properties/{objectType}/{name}`), e.g.
   * `{ companies: { type: [...] } }`. They replace the built-in defaults for those properties.
   */
  readonly propertyOptions?: Partial<Record<HubSpotObjectType, Readonly<Record<string, readonly string[]>>>>;
  /** IANA zone of the Epicor server, for date-times without an offset. Default `UTC`. */
  readonly timeZone?: string;
  /** When given, each record is stamped with `epicor_last_synced_at` (excluded from the content hash). */
  readonly clock?: Clock;
}

export interface RecordMapper {
  map(record: SourceRecord): MapResult;
}

interface PreparedField {
  readonly mapping: FieldMapping;
  readonly spec: CheckedSpec;
}

const OBJECT_TYPE: Readonly<Record<EntityKind, HubSpotObjectType>> = {
  vendor: 'companies',
  customer: 'companies',
  vendorContact: 'contacts',
  customerContact: 'contacts',
};

/** Defaults, then the customer classification, minus `drop`, then the user's fields (by `to`). */
export function effectiveMappings(kind: EntityKind, settings: MappingSettings = {}): FieldMapping[] {
  const kindSettings = settings[SETTINGS_KEY_BY_KIND[kind]] ?? {};
  const byTo = new Map(DEFAULT_MAPPINGS[kind].map((m) => [m.to, m]));
  const classification = kindSettings.classification ?? 'none';
  if (kind === 'customer' && classification !== 'none') {
    byTo.set(classification.property, {
      to: classification.property,
      from: [],
      transforms: [{ op: 'constant', value: classification.value }],
    });
  }
  for (const name of kindSettings.drop ?? []) byTo.delete(name);
  for (const m of kindSettings.fields ?? []) byTo.set(m.to, m);
  // The upsert key is not the user's to change.
  byTo.delete('epicor_source_id');
  return [...byTo.values()];
}

function specFor(
  objectType: HubSpotObjectType,
  m: FieldMapping,
  portalOptions: Readonly<Record<string, readonly string[]>> | undefined,
): CheckedSpec {
  const known = STANDARD_PROPERTIES[objectType][m.to] ?? builtInPropertySpec(objectType, m.to);
  const type = m.type ?? known?.type ?? 'text';
  const options = portalOptions?.[m.to] ?? m.options ?? (known?.type === type ? known.options : undefined);
  return { type, ...(options === undefined ? {} : { options }), maxLength: m.maxLength };
}

/** Derived names start with `@`, which no Epicor column does: they are looked up apart, so no row is copied. */
function readSource(
  fields: Readonly<Record<string, unknown>>,
  derived: Readonly<Record<string, unknown>>,
  m: FieldMapping,
): string {
  const texts = m.from.map((name) => toText(name.startsWith('@') ? derived[name] : fields[name]).trim());
  if (m.combine === 'join') return texts.filter((t) => t !== '').join(m.separator ?? ' ');
  return texts.find((t) => t !== '') ?? '';
}

export function createMapper(options: MapperOptions): RecordMapper {
  const settings = options.mapping ?? {};
  const emptyValues = settings.emptyValues ?? 'clear';
  const prepared = {} as Record<EntityKind, { fields: PreparedField[]; ctx: CheckContext }>;
  for (const kind of Object.keys(OBJECT_TYPE) as EntityKind[]) {
    const objectType = OBJECT_TYPE[kind];
    const kindRules = settings[SETTINGS_KEY_BY_KIND[kind]]?.rules;
    prepared[kind] = {
      fields: effectiveMappings(kind, settings).map((mapping) => ({
        mapping,
        spec: specFor(objectType, mapping, options.propertyOptions?.[objectType]),
      })),
      ctx: {
        rules: { ...DEFAULT_RULES, ...settings.rules, ...kindRules },
        textMaxLength: settings.textMaxLength ?? DEFAULT_TEXT_MAX_LENGTH,
        nameMaxLength: settings.nameMaxLength ?? DEFAULT_NAME_MAX_LENGTH,
        timeZone: options.timeZone ?? 'UTC',
      },
    };
  }

  return {
    map(record: SourceRecord): MapResult {
      const { kind } = record;
      const keyParts = parseRecordKey(kind, record.key);
      if (keyParts === undefined || options.company === '') {
        return {
          ok: false,
          kind,
          sourceId: `${options.company}:${SOURCE_TYPE_BY_KIND[kind]}:${record.key}`,
          reason: `record key ${excerpt(record.key)} does not fit a ${kind} key`,
        };
      }
      const sourceId = buildSourceId(options.company, kind, keyParts);
      const parent =
        kind === 'vendorContact' || kind === 'customerContact' ? parentSourceId(sourceId) : undefined;
      const fields = record.fields;
      const derived: Readonly<Record<string, unknown>> = derivedFields({
        kind,
        company: options.company,
        sourceId,
        parentSourceId: parent,
        fields,
      });

      const { fields: mappings, ctx } = prepared[kind];
      const properties: Record<string, string> = {};
      const warnings: string[] = [];
      const reasons: string[] = [];
      for (const { mapping, spec } of mappings) {
        const text = applyTransforms(readSource(fields, derived, mapping), mapping.transforms ?? []).trim();
        if (text === '') {
          if (emptyValues === 'clear') properties[mapping.to] = '';
          continue;
        }
        const outcome = checkValue(mapping.to, text, spec, ctx);
        if (outcome.kind === 'set-aside') reasons.push(outcome.reason);
        else if (outcome.kind === 'drop') warnings.push(outcome.warning);
        else {
          properties[mapping.to] = outcome.value;
          if (outcome.warning !== undefined) warnings.push(outcome.warning);
        }
      }
      if (reasons.length > 0) return { ok: false, kind, sourceId, reason: reasons.join('; ') };

      properties['epicor_source_id'] = sourceId;
      if (options.clock !== undefined) {
        properties['epicor_last_synced_at'] = new Date(options.clock.now()).toISOString();
      }
      const objectType = OBJECT_TYPE[kind];
      const mapped: MappedRecord = {
        kind,
        sourceId,
        objectType,
        properties,
        ...(parent === undefined ? {} : { parentSourceId: parent }),
        contentHash: contentHash({ objectType, properties, parentSourceId: parent }),
        warnings,
      };
      return { ok: true, record: mapped };
    },
  };
}
