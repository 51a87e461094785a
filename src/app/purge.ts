/**
 * Deleting everything the store holds for one connection: its row and, by cascade, its credentials,
 * cursors, id map, runs, batches and audit trail. Shared by `connections remove --purge` and
 * `DELETE /api/connections/:id?purge=true`; both remove the connection from the config file first, so no
 * new run starts for it.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/index.js';
import { acquireConnectionLease } from './lease.js';

export interface PurgeConnectionOptions {
  readonly store: Store;
  /** The connection id from the config (the store row's name). */
  readonly connectionId: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * True when the store held the connection and it is gone now; false when it held nothing. Takes the
 * connection's run lease first, so it never deletes under a run that is still stopping: then it throws
 * `LeaseHeldError` (`ERR_LEASE_HELD`, retryable) and deletes nothing.
 */
export async function purgeConnectionState(options: PurgeConnectionOptions): Promise<boolean> {
  const { store, connectionId, clock, logger } = options;
  if ((await store.connections.getByName(connectionId)) === undefined) return false;
  const lease = await acquireConnectionLease({ store, connectionId, clock, logger });
  try {
    // Read again under the lease: another process may have purged it meanwhile.
    const row = await store.connections.getByName(connectionId);
    return row === undefined ? false : await store.connections.delete(row.id);
  } finally {
    await lease.release();
  }
}
