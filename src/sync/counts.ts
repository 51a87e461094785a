import type { EntityKind, RecordAction } from './model.js';

/** How many records ended in each action. */
export type ActionCounts = Record<RecordAction, number>;

export function emptyCounts(): ActionCounts {
  return { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };
}

export function addCounts(into: ActionCounts, from: Readonly<ActionCounts>): void {
  for (const action of Object.keys(into) as RecordAction[]) into[action] += from[action];
}

export function countActions(actions: Iterable<RecordAction>): ActionCounts {
  const counts = emptyCounts();
  for (const action of actions) counts[action]++;
  return counts;
}

export type StreamCounts = Partial<Record<EntityKind, ActionCounts>>;

export function totalCounts(streams: StreamCounts): ActionCounts {
  const total = emptyCounts();
  for (const counts of Object.values(streams)) if (counts) addCounts(total, counts);
  return total;
}
