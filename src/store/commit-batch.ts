import type { StreamCursor } from '../sync/model.js';
import type { Repositories } from './repositories.js';
import { type AuditInput, type BatchStatus, type Id, type IdMapUpsert, zeroCounts } from './types.js';

export interface CommitBatchInput {
  readonly connectionId: Id;
  readonly runId: Id;
  readonly batchId: Id;
  /** Final status of the batch. */
  readonly status: BatchStatus;
  readonly error?: string | null;
  readonly recordCount?: number;
  readonly addAttempts?: number;
  /** One row per record of the batch; also added to the run's running counts. */
  readonly audit: readonly AuditInput[];
  /** Records written to HubSpot (created/updated), so the next run can skip them when unchanged. */
  readonly idMap?: readonly IdMapUpsert[];
  /** Advance the stream cursor past this batch, if its version is still `expectedVersion`. */
  readonly cursor?: {
    readonly stream: string;
    readonly position: StreamCursor | null;
    readonly expectedVersion: number;
  };
}

export type CommitBatchResult =
  | { readonly ok: true; readonly cursorVersion: number | null }
  | { readonly ok: false; readonly conflict: 'cursor'; readonly actualVersion: number };

/** Thrown inside the transaction to roll it back when the cursor moved under us. */
export class CursorConflictSignal extends Error {
  readonly actualVersion: number;
  constructor(actualVersion: number) {
    super('cursor version conflict');
    this.actualVersion = actualVersion;
  }
}

/**
 * The "durably handled" step for one batch. Must run inside a transaction (Store.commitBatch does
 * that). The cursor check goes first: it is a write, so on SQLite the transaction takes the write
 * lock at once, and a conflict aborts before anything else is written.
 */
export async function commitBatchIn(
  repos: Repositories,
  at: number,
  input: CommitBatchInput,
): Promise<number | null> {
  let cursorVersion: number | null = null;
  if (input.cursor !== undefined) {
    const { stream, position, expectedVersion } = input.cursor;
    const advanced = await repos.cursors.advance(input.connectionId, stream, position, expectedVersion);
    if (!advanced.ok) throw new CursorConflictSignal(advanced.actualVersion);
    cursorVersion = advanced.version;
  }
  await repos.batches.update(input.batchId, {
    status: input.status,
    ...(input.error === undefined ? {} : { error: input.error }),
    ...(input.recordCount === undefined ? {} : { recordCount: input.recordCount }),
    ...(input.addAttempts === undefined ? {} : { addAttempts: input.addAttempts }),
  });
  if (input.idMap !== undefined) await repos.idMap.upsertMany(input.connectionId, input.idMap);
  await repos.audit.append(
    { runId: input.runId, batchId: input.batchId, connectionId: input.connectionId, at },
    input.audit,
  );
  const counts = zeroCounts();
  for (const entry of input.audit) counts[entry.action] += 1;
  await repos.runs.addCounts(input.runId, counts);
  return cursorVersion;
}
