/** Public surface of the sync engine (the mapping has its own: `./mapping/index.js`). */
export { chunk, dedupeBySourceId, MAX_BATCH_SIZE } from './batching.js';
export { type ActionCounts, emptyCounts, type StreamCounts } from './counts.js';
export { advanceCursor, compareCursors, pageEndPosition } from './cursor.js';
export { batchStatusOf, decideWrite, type WriteDecision } from './decisions.js';
export {
  createSyncEngine,
  type ReconcileOptions,
  type SyncEngine,
  type SyncEngineConfig,
  type SyncEngineDeps,
  type SyncOptions,
} from './engine.js';
export { BatchFailedError, CursorConflictError, ReplayTargetError } from './errors.js';
export { type SyncEventMap, type SyncEventName, SyncEvents, type SyncListener, safeEmit } from './events.js';
export * from './model.js';
export * from './ports.js';
export type { ReconcileMode } from './reconcile.js';
export { isReplayable, selectReplayBatches } from './replay-selection.js';
export type { FailureLine, OrphanLine, PlanLine, RunResult } from './result.js';
export { createStoreAdapter } from './store-adapter.js';
export { isContactKind, objectTypeOf, PARENT_KIND, planLanes } from './streams.js';
