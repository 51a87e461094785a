/**
 * Accumulates what a run did, in bounded memory: counts per stream and action, and the first N lines of
 * failures / plan / orphans (the rest are counted, not kept — they are all in the audit trail).
 */
import { type ActionCounts, addCounts, emptyCounts, type StreamCounts, totalCounts } from './counts.js';
import type { EntityKind } from './model.js';
import type { RunKind, RunStatus } from './ports.js';
import type { FailureLine, OrphanLine, PlanLine, RunResult } from './result.js';

class CappedList<T> {
  readonly items: T[] = [];
  omitted = 0;
  constructor(readonly cap: number) {}
  push(item: T): void {
    if (this.items.length < this.cap) this.items.push(item);
    else this.omitted++;
  }
}

export class RunTracker {
  readonly streams: StreamCounts = {};
  readonly failures: CappedList<FailureLine>;
  readonly plan: CappedList<PlanLine>;
  readonly orphans: CappedList<OrphanLine>;
  error: { code: string; message: string } | undefined;

  constructor(
    readonly runId: string,
    readonly runKind: RunKind,
    readonly startedAt: number,
    maxLines: number,
  ) {
    this.failures = new CappedList(maxLines);
    this.plan = new CappedList(maxLines);
    this.orphans = new CappedList(maxLines);
  }

  countsOf(kind: EntityKind): ActionCounts {
    let counts = this.streams[kind];
    if (!counts) {
      counts = emptyCounts();
      this.streams[kind] = counts;
    }
    return counts;
  }

  add(kind: EntityKind, counts: ActionCounts, failures: readonly FailureLine[] = []): void {
    addCounts(this.countsOf(kind), counts);
    for (const failure of failures) this.failures.push(failure);
  }

  /** Keeps the first error (the cause); later ones are usually consequences. */
  fail(error: { code: string; message: string }): void {
    this.error ??= error;
  }

  status(cancelled: boolean): Exclude<RunStatus, 'running'> {
    if (cancelled) return 'cancelled';
    if (this.error) return 'failed';
    return totalCounts(this.streams).failed > 0 ? 'partial' : 'succeeded';
  }

  result(status: Exclude<RunStatus, 'running'>, finishedAt: number): RunResult {
    const result: RunResult = {
      runId: this.runId,
      runKind: this.runKind,
      status,
      startedAt: this.startedAt,
      finishedAt,
      durationMs: finishedAt - this.startedAt,
      streams: this.streams,
      totals: totalCounts(this.streams),
      failures: this.failures.items,
      failuresOmitted: this.failures.omitted,
      ...(this.runKind === 'dry-run' ? { plan: this.plan.items, planOmitted: this.plan.omitted } : {}),
      ...(this.runKind === 'reconcile'
        ? { orphans: this.orphans.items, orphansOmitted: this.orphans.omitted }
        : {}),
      ...(this.error ? { error: this.error } : {}),
    };
    return result;
  }
}
