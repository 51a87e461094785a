/** Dry run of one page: what would be created, updated, left alone or set aside. Writes nothing. */
import { countActions } from './counts.js';
import { type SyncEvents, safeEmit } from './events.js';
import type { EntityKind, RecordAction } from './model.js';
import { planSourcePage } from './page-handler.js';
import type { RecordMapper, SourcePage, SyncStore } from './ports.js';
import type { FailureLine, PlanLine } from './result.js';
import type { RunTracker } from './run-tracker.js';
import { isContactKind } from './streams.js';

const ACTION_OF: Record<PlanLine['action'], RecordAction> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  failed: 'failed',
  skipped: 'skipped',
};

export async function planDryRunPage(
  page: SourcePage,
  context: {
    readonly kind: EntityKind;
    readonly mapper: RecordMapper;
    readonly store: SyncStore;
    readonly events: SyncEvents | undefined;
    readonly tracker: RunTracker;
    /** Companies this dry run would create, so their contacts are planned as creates (ids only). */
    readonly plannedCompanies: Set<string>;
  },
): Promise<void> {
  const plan = await planSourcePage(page, context, (sourceId) => context.plannedCompanies.has(sourceId));
  const failures: FailureLine[] = [];
  for (const item of plan) {
    const line: PlanLine = {
      kind: item.kind,
      sourceId: item.sourceId,
      action: item.decision,
      ...(item.decision === 'unchanged' ? { hubspotId: item.hubspotId } : {}),
      ...(item.label === undefined ? {} : { label: item.label }),
      ...(item.decision === 'failed' || item.decision === 'skipped'
        ? { reason: `${item.category}: ${item.message}` }
        : {}),
    };
    if ((item.decision === 'create' || item.decision === 'update') && !isContactKind(item.kind)) {
      context.plannedCompanies.add(item.sourceId);
    }
    if (item.decision === 'failed') {
      failures.push({
        kind: item.kind,
        sourceId: item.sourceId,
        category: item.category,
        message: item.message,
      });
    }
    context.tracker.plan.push(line);
    safeEmit(context.events, 'record:planned', { runId: context.tracker.runId, line });
  }
  context.tracker.add(context.kind, countActions(plan.map((item) => ACTION_OF[item.decision])), failures);
}
