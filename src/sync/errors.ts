import { ConnectorError } from '../core/errors.js';
import type { EntityKind } from './model.js';

/**
 * Another writer moved the stream's cursor since this run read it (two engines on one connection, or a
 * manual reset mid-run). The page's commit was rolled back; nothing is lost, the run stops.
 */
export class CursorConflictError extends ConnectorError {
  readonly kind: EntityKind;
  constructor(kind: EntityKind, expectedVersion: number, actualVersion: number) {
    super(
      'ERR_SYNC_CURSOR_CONFLICT',
      `The ${kind} cursor was changed by another writer (expected version ${expectedVersion}, found ${actualVersion}). ` +
        'Is another sync running for this connection? This run stopped without losing data; run it again.',
    );
    this.kind = kind;
  }
}

/** A whole batch failed (destination or source down, daily limit, ...); the batch is recorded failed. */
export class BatchFailedError extends ConnectorError {
  readonly kind: EntityKind;
  readonly category: string;
  constructor(kind: EntityKind, category: string, cause: unknown, message: string) {
    super('ERR_SYNC_BATCH_FAILED', `A ${kind} batch failed (${category}): ${message}`, {
      cause,
      retryable: true,
    });
    this.kind = kind;
    this.category = category;
  }
}

/** `replay({ batchId })` named a batch that does not exist for this connection or is not replayable. */
export class ReplayTargetError extends ConnectorError {
  constructor(message: string) {
    super('ERR_SYNC_REPLAY_TARGET', message);
  }
}
