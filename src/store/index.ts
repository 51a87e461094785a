export {
  type CommitBatchInput,
  type CommitBatchResult,
  CursorConflictSignal,
  commitBatchIn,
} from './commit-batch.js';
export type { StoreDialect } from './dialect.js';
export {
  StoreBadCursorError,
  StoreConflictError,
  StoreMigrationError,
  StoreNotFoundError,
  StoreOpenError,
  StoreSchemaTooNewError,
} from './errors.js';
export { DEFAULT_SQLITE_FILENAME, defaultSqlitePath, type OpenStoreOptions, openStore } from './open.js';
export type { AuditContext, AuditRepo } from './repos/audit.js';
export type { BatchesRepo, CreateBatchInput, ListFailedOptions, UpdateBatchInput } from './repos/batches.js';
export type { ConnectionInput, ConnectionPatch, ConnectionsRepo } from './repos/connections.js';
export type { CredentialsRepo } from './repos/credentials.js';
export type { CursorsRepo } from './repos/cursors.js';
export type { IdMapRepo } from './repos/id-map.js';
export type { LeasesRepo } from './repos/leases.js';
export type { FinishRunInput, ListRunsOptions, RunsRepo, StartRunInput } from './repos/runs.js';
export { Store, type StoreTx } from './store.js';
export * from './types.js';
