/**
 * Reconcile one stream: every id-map entry whose Epicor key is no longer listed by the source is an
 * orphan in HubSpot. Default: report it (audit action `skipped`, category `epicor_deleted`); with mode
 * `archive`: archive the HubSpot object, audit `archived`, and forget the id-map entry.
 * Memory: the set of current source ids of one stream (ids only), and one id-map page at a time.
 */
import { emptyCounts } from './counts.js';
import { type SyncEvents, safeEmit } from './events.js';
import type { EntityKind } from './model.js';
import type { AuditEntry, Destination, IdMapEntry, Source, SyncStore } from './ports.js';
import type { RunTracker } from './run-tracker.js';
import { objectTypeOf } from './streams.js';

export type ReconcileMode = 'report' | 'archive';

export interface ReconcileContext {
  readonly kind: EntityKind;
  readonly mode: ReconcileMode;
  readonly source: Source;
  readonly destination: Destination;
  readonly store: SyncStore;
  readonly sourceIdOf: (kind: EntityKind, key: string) => string;
  readonly events: SyncEvents | undefined;
  readonly tracker: RunTracker;
  /** Orphans handled (archived, audited) per group. */
  readonly pageSize: number;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

export async function reconcileStream(context: ReconcileContext): Promise<void> {
  const { kind, store, tracker } = context;
  const present = new Set<string>();
  for await (const key of context.source.listKeys(kind, context.signal))
    present.add(context.sourceIdOf(kind, key));
  tracker.countsOf(kind);

  let page: IdMapEntry[] = [];
  for await (const entry of store.idMapEntries(kind)) {
    if (present.has(entry.sourceId)) continue;
    page.push(entry);
    if (page.length >= context.pageSize) {
      await handleOrphans(context, page);
      page = [];
    }
  }
  if (page.length > 0) await handleOrphans(context, page);
}

async function handleOrphans(context: ReconcileContext, gone: readonly IdMapEntry[]): Promise<void> {
  const { kind, store, tracker } = context;
  context.signal.throwIfAborted();
  const archive = context.mode === 'archive';
  if (archive) {
    await context.destination.archive(
      objectTypeOf(kind),
      gone.map((entry) => entry.hubspotId),
      context.signal,
    );
  }
  const audit: AuditEntry[] = gone.map((entry) => ({
    kind,
    sourceId: entry.sourceId,
    hubspotId: entry.hubspotId,
    action: archive ? 'archived' : 'skipped',
    errorCategory: 'epicor_deleted',
    errorMessage: archive
      ? 'The Epicor record no longer exists; the HubSpot object was archived'
      : 'The Epicor record no longer exists; the HubSpot object was kept (reconcile mode "report")',
    contentHash: entry.contentHash,
  }));
  // Audit first, then forget: a crash in between repeats an (idempotent) archive, never loses the trail.
  await store.appendAudit(tracker.runId, audit, context.now());
  if (archive) await store.removeIdMap(gone.map((entry) => entry.sourceId));

  const counts = emptyCounts();
  counts[archive ? 'archived' : 'skipped'] = gone.length;
  tracker.add(kind, counts);
  for (const entry of gone) {
    const line = {
      kind,
      sourceId: entry.sourceId,
      hubspotId: entry.hubspotId,
      action: archive ? 'archived' : 'skipped',
    } as const;
    tracker.orphans.push(line);
    safeEmit(context.events, 'record:orphaned', { runId: tracker.runId, ...line });
  }
}
