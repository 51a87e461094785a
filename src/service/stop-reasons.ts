import { ConnectorError } from '../core/errors.js';

/**
 * Abort reasons the scheduler puts on a run's signals. The engine switches on `code`:
 * ERR_STOP_GRACEFUL → finish or checkpoint the batch in flight, then return; anything else → stop now.
 */
export class GracefulStopRequested extends ConnectorError {
  constructor(why = 'the service is shutting down') {
    super(
      'ERR_STOP_GRACEFUL',
      `Stop requested (${why}): finish or checkpoint the batch in flight, then stop`,
    );
  }
}

export class ImmediateStopRequested extends ConnectorError {
  constructor() {
    super('ERR_STOP_IMMEDIATE', 'Immediate stop requested: abandon the batch in flight');
  }
}

/** Our lease expired and another process may now be syncing the same connection: stop writing at once. */
export class LeaseLost extends ConnectorError {
  constructor(connectionId: string) {
    super('ERR_LEASE_LOST', `Lost the lease for connection "${connectionId}"; stopping this run`, {
      retryable: true,
    });
  }
}

export function isGracefulStop(reason: unknown): boolean {
  return reason instanceof ConnectorError && reason.code === 'ERR_STOP_GRACEFUL';
}
