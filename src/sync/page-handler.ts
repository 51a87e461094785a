/**
 * Handles one page end to end: map → look up the id map → plan → upsert in chunks of ≤ 100 → associate
 * contacts → ONE atomic store commit (batch row, audit rows, id map, cursor). Shared by sync and replay.
 *
 * Crash safety: the only durable effect is the final commit. If anything throws before it, nothing of
 * the page is recorded and the cursor stays where it was, so the next run re-reads the page; the writes
 * that did reach HubSpot are idempotent upserts keyed by source id, so re-sending them is harmless.
 */
import { chunk } from './batching.js';
import { type ActionCounts, countActions } from './counts.js';
import { advanceCursor, pageEndPosition } from './cursor.js';
import { batchStatusOf } from './decisions.js';
import { describeError } from './error-category.js';
import type { SyncEvents } from './events.js';
import { safeEmit } from './events.js';
import type { EntityKind, RecordAction, StreamCursor } from './model.js';
import { idsToLookUp, isPlannedWrite, type PlannedRecord, planPage } from './plan.js';
import type {
  AuditEntry,
  Destination,
  IdMapEntry,
  RecordMapper,
  SourcePage,
  SyncStore,
  UpsertOutcome,
} from './ports.js';
import type { FailureLine } from './result.js';
import { objectTypeOf } from './streams.js';

export interface PageContext {
  readonly runId: string;
  readonly kind: EntityKind;
  readonly mapper: RecordMapper;
  readonly store: SyncStore;
  readonly destination: Destination;
  readonly events: SyncEvents | undefined;
  readonly batchSize: number;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

/** Sync pages advance the cursor; replay pages supersede a failed batch and never touch the cursor. */
export type PageMode =
  | { readonly type: 'sync'; readonly cursor: StreamCursor | null; readonly version: number }
  | { readonly type: 'replay'; readonly replayOf: string; readonly attempts: number };

export interface PageOutcome {
  readonly batchId: string;
  readonly counts: ActionCounts;
  readonly failures: readonly FailureLine[];
  /** Stored cursor and version after the commit (sync mode). */
  readonly cursor: StreamCursor | null;
  readonly version: number;
  /** Set when the whole batch failed: the page was recorded failed; the caller stops the stream. */
  readonly fatal?: unknown;
}

/** Maps and plans a page (no writes). Used by the page handler and by dry runs. */
export async function planSourcePage(
  page: Pick<SourcePage, 'records'>,
  context: Pick<PageContext, 'mapper' | 'store'>,
  parentPlanned?: (sourceId: string) => boolean,
): Promise<PlannedRecord[]> {
  const results = page.records.map((record) => context.mapper.map(record));
  const idMap = await context.store.lookupIdMap(idsToLookUp(results));
  return planPage(results, idMap, parentPlanned ? { parentPlanned } : {});
}

type Landed = Required<Pick<UpsertOutcome, 'hubspotId'>> & { readonly status: 'created' | 'updated' };

/** Upserts (and for contacts associates) the planned writes; stops at the first whole-call failure. */
async function write(
  plan: readonly PlannedRecord[],
  context: PageContext,
): Promise<{
  landed: Map<string, Landed>;
  rejected: Map<string, { category: string; message: string }>;
  fatal?: unknown;
}> {
  const landed = new Map<string, Landed>();
  const rejected = new Map<string, { category: string; message: string }>();
  const writes = plan.filter(isPlannedWrite);
  const objectType = objectTypeOf(context.kind);
  try {
    for (const part of chunk(writes, context.batchSize)) {
      context.signal.throwIfAborted();
      const outcomes = await context.destination.upsert(
        objectType,
        part.map((item) => item.record),
        context.signal,
      );
      const bySourceId = new Map(outcomes.map((outcome) => [outcome.sourceId, outcome]));
      const chunkLanded = new Map<string, Landed>();
      for (const item of part) {
        const outcome = bySourceId.get(item.sourceId);
        if (outcome === undefined) {
          rejected.set(item.sourceId, {
            category: 'no_outcome',
            message: 'The destination returned no outcome for it',
          });
        } else if (outcome.status === 'failed') {
          rejected.set(item.sourceId, {
            category: outcome.errorCategory ?? 'rejected',
            message: outcome.errorMessage ?? 'Rejected by HubSpot',
          });
        } else if (outcome.hubspotId === undefined) {
          rejected.set(item.sourceId, {
            category: 'no_outcome',
            message: 'The destination returned no HubSpot id',
          });
        } else {
          chunkLanded.set(item.sourceId, { status: outcome.status, hubspotId: outcome.hubspotId });
        }
      }
      const pairs = part.flatMap((item) => {
        const done = chunkLanded.get(item.sourceId);
        return done && item.parentHubspotId !== undefined
          ? [{ companyId: item.parentHubspotId, contactId: done.hubspotId, sourceId: item.sourceId }]
          : [];
      });
      if (pairs.length > 0) {
        // Only after associations succeed does a contact count as landed: otherwise its hash would make
        // the next cycle skip it and the association would never be made.
        const failures = await context.destination.associate(
          pairs.map(({ companyId, contactId }) => ({ companyId, contactId })),
          context.signal,
        );
        const failedContacts = new Map(failures.map((failure) => [failure.contactId, failure]));
        for (const pair of pairs) {
          const failure = failedContacts.get(pair.contactId);
          if (failure === undefined) continue;
          chunkLanded.delete(pair.sourceId);
          rejected.set(pair.sourceId, {
            category: `association:${failure.errorCategory}`,
            message: failure.errorMessage,
          });
        }
      }
      for (const [sourceId, done] of chunkLanded) landed.set(sourceId, done);
    }
    return { landed, rejected };
  } catch (fatal) {
    return { landed, rejected, fatal };
  }
}

/** A page that was planned and written to HubSpot but not yet committed to the store. */
export interface WrittenPage {
  readonly page: SourcePage;
  readonly plan: readonly PlannedRecord[];
  readonly landed: ReadonlyMap<string, Landed>;
  readonly rejected: ReadonlyMap<string, { category: string; message: string }>;
  readonly fatal?: unknown;
}

/** Plans, writes and checkpoints one page. Throws only when the commit itself fails. */
export async function handlePage(
  page: SourcePage,
  mode: PageMode,
  context: PageContext,
): Promise<PageOutcome> {
  return commitWrittenPage(await writePage(page, context), mode, context);
}

/**
 * First half of `handlePage`: plans the page and writes it to HubSpot. Nothing durable happens here, so
 * the engine may run it for the next page while the previous one is still being written or committed.
 */
export async function writePage(page: SourcePage, context: PageContext): Promise<WrittenPage> {
  const plan = await planSourcePage(page, context);
  const written = await write(plan, context);
  return { page, plan, ...written };
}

/** Second half of `handlePage`: ONE atomic store commit for a written page, then its events. */
export async function commitWrittenPage(
  written: WrittenPage,
  mode: PageMode,
  context: PageContext,
): Promise<PageOutcome> {
  const { page, plan, landed, rejected, fatal } = written;
  const fatalInfo = fatal === undefined ? undefined : describeError(fatal, context.signal);

  const audit: AuditEntry[] = [];
  const idMap: IdMapEntry[] = [];
  const failures: FailureLine[] = [];
  for (const item of plan) {
    const base = {
      kind: item.kind,
      sourceId: item.sourceId,
      ...(item.label === undefined ? {} : { label: item.label }),
    };
    if (item.decision === 'unchanged') {
      audit.push({
        ...base,
        action: 'unchanged',
        hubspotId: item.hubspotId,
        contentHash: item.record.contentHash,
      });
    } else if (isPlannedWrite(item)) {
      const done = landed.get(item.sourceId);
      const contentHash = item.record.contentHash;
      if (done) {
        audit.push({ ...base, action: done.status, hubspotId: done.hubspotId, contentHash });
        idMap.push({ sourceId: item.sourceId, kind: item.kind, hubspotId: done.hubspotId, contentHash });
      } else {
        const why = rejected.get(item.sourceId) ??
          (fatalInfo
            ? { category: fatalInfo.code, message: `Batch failed: ${fatalInfo.message}` }
            : undefined) ?? {
            category: 'no_outcome',
            message: 'Not written',
          };
        audit.push({
          ...base,
          action: 'failed',
          errorCategory: why.category,
          errorMessage: why.message,
          contentHash,
        });
        failures.push({
          kind: item.kind,
          sourceId: item.sourceId,
          category: why.category,
          message: why.message,
        });
      }
    } else {
      audit.push({
        ...base,
        action: item.decision,
        errorCategory: item.category,
        errorMessage: item.message,
        ...(item.contentHash === undefined ? {} : { contentHash: item.contentHash }),
      });
      if (item.decision === 'failed')
        failures.push({
          kind: item.kind,
          sourceId: item.sourceId,
          category: item.category,
          message: item.message,
        });
    }
  }

  const actions: RecordAction[] = audit.map((entry) => entry.action);
  const status = batchStatusOf(actions, fatal !== undefined);
  const next =
    mode.type === 'sync' && fatal === undefined ? advanceCursor(mode.cursor, pageEndPosition(page)) : null;
  const committed = await context.store.commitPage({
    runId: context.runId,
    kind: context.kind,
    status,
    query: page.query,
    attempts: mode.type === 'replay' ? mode.attempts : 1,
    ...(fatalInfo ? { error: { category: fatalInfo.code, message: fatalInfo.message } } : {}),
    audit,
    idMap,
    ...(next && mode.type === 'sync' ? { cursor: { expectedVersion: mode.version, next } } : {}),
    ...(mode.type === 'replay' ? { replayOf: mode.replayOf } : {}),
    at: context.now(),
  });

  const counts = countActions(actions);
  const cursor = mode.type === 'sync' ? (next ?? mode.cursor) : null;
  const withBatch = failures.map((failure) => ({ ...failure, batchId: committed.batchId }));
  for (const failure of withBatch) {
    safeEmit(context.events, 'record:failed', { runId: context.runId, ...failure });
  }
  safeEmit(context.events, 'batch:written', {
    runId: context.runId,
    kind: context.kind,
    batchId: committed.batchId,
    status,
    counts,
    cursor,
    ...(mode.type === 'replay' ? { replayOf: mode.replayOf } : {}),
  });
  return {
    batchId: committed.batchId,
    counts,
    failures: withBatch,
    cursor,
    version: committed.cursorVersion ?? (mode.type === 'sync' ? mode.version : 0),
    ...(fatal === undefined ? {} : { fatal }),
  };
}
