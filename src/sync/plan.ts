/**
 * Planning one page, purely: given the mapping results and the id-map entries they refer to, decide per
 * record whether it is written (create/update), left alone (unchanged), set aside (failed) or dropped
 * as an earlier copy (skipped). No I/O here; the page handler does the lookups and the writes.
 */
import { dedupeBySourceId } from './batching.js';
import { decideWrite } from './decisions.js';
import type { EntityKind, MappedRecord, MapResult } from './model.js';
import type { IdMapEntry } from './ports.js';

export interface PlannedWrite {
  readonly sourceId: string;
  readonly kind: EntityKind;
  readonly decision: 'create' | 'update';
  readonly record: MappedRecord;
  /** For contacts: the HubSpot id of the company to associate with (absent: none known yet). */
  readonly parentHubspotId?: string;
  readonly label?: string;
}

export interface PlannedUnchanged {
  readonly sourceId: string;
  readonly kind: EntityKind;
  readonly decision: 'unchanged';
  readonly record: MappedRecord;
  readonly hubspotId: string;
  readonly label?: string;
}

export interface PlannedSetAside {
  readonly sourceId: string;
  readonly kind: EntityKind;
  readonly decision: 'failed' | 'skipped';
  readonly category: string;
  readonly message: string;
  readonly contentHash?: string;
  readonly label?: string;
}

export type PlannedRecord = PlannedWrite | PlannedUnchanged | PlannedSetAside;

export function isPlannedWrite(item: PlannedRecord): item is PlannedWrite {
  return item.decision === 'create' || item.decision === 'update';
}

/** Source ids whose id-map entries planning needs: the records themselves and their parents. */
export function idsToLookUp(results: readonly MapResult[]): string[] {
  const ids = new Set<string>();
  for (const result of results) {
    if (!result.ok) continue;
    ids.add(result.record.sourceId);
    if (result.record.parentSourceId !== undefined) ids.add(result.record.parentSourceId);
  }
  return [...ids];
}

/** A short human label for the audit trail: company name, else contact e-mail or name. */
export function labelOf(record: MappedRecord): string | undefined {
  const p = record.properties;
  const name = [p['firstname'], p['lastname']].filter((part) => part !== undefined && part !== '').join(' ');
  return p['name'] || p['email'] || name || undefined;
}

export interface PlanOptions {
  /**
   * Dry run only: parents that are not in the id map but would be created earlier in the same run, so a
   * contact of a new company is planned as a create rather than a failure.
   */
  readonly parentPlanned?: (sourceId: string) => boolean;
}

export function planPage(
  results: readonly MapResult[],
  idMap: ReadonlyMap<string, IdMapEntry>,
  options: PlanOptions = {},
): PlannedRecord[] {
  const keyed = results.map((result) => ({
    sourceId: result.ok ? result.record.sourceId : result.sourceId,
    result,
  }));
  const { superseded } = dedupeBySourceId(keyed);
  const supersededSet = new Set(superseded);
  const plan: PlannedRecord[] = [];
  for (const item of keyed) {
    const { result, sourceId } = item;
    if (supersededSet.has(item)) {
      const kind = result.ok ? result.record.kind : result.kind;
      plan.push({
        sourceId,
        kind,
        decision: 'skipped',
        category: 'superseded',
        message: 'A later version of this record in the same page was used instead',
      });
      continue;
    }
    if (!result.ok) {
      plan.push({
        sourceId,
        kind: result.kind,
        decision: 'failed',
        category: 'mapping',
        message: result.reason,
      });
      continue;
    }
    const record = result.record;
    const label = labelOf(record);
    const entry = idMap.get(sourceId);
    const decision = decideWrite(record.contentHash, entry);
    if (decision === 'unchanged' && entry) {
      plan.push({ sourceId, kind: record.kind, decision, record, hubspotId: entry.hubspotId, label });
      continue;
    }
    if (decision === 'unchanged') continue; // unreachable: `unchanged` implies an entry
    const parentId = record.parentSourceId;
    const parent = parentId === undefined ? undefined : idMap.get(parentId);
    if (parentId !== undefined && parent === undefined && !options.parentPlanned?.(parentId)) {
      plan.push({
        sourceId,
        kind: record.kind,
        decision: 'failed',
        category: 'parent_not_synced',
        message: `Its company ${parentId} is not synced to HubSpot yet; replay this batch once the company has synced`,
        contentHash: record.contentHash,
        label,
      });
      continue;
    }
    plan.push(
      parent === undefined
        ? { sourceId, kind: record.kind, decision, record, label }
        : { sourceId, kind: record.kind, decision, record, parentHubspotId: parent.hubspotId, label },
    );
  }
  return plan;
}
