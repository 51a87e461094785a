import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { LeaseStore } from './ports.js';

/** The slice of the store's `leases` repository the scheduler needs (`src/store/repos/leases.ts`). */
export interface StoreLeases {
  acquire(
    name: string,
    holder: string,
    ttlMs: number,
    now?: number,
  ): Promise<{ readonly acquired: true } | { readonly acquired: false; readonly heldBy: string }>;
  renew(name: string, holder: string, ttlMs: number, now?: number): Promise<boolean>;
  release(name: string, holder: string): Promise<boolean>;
}

export interface StoreLeaseStoreOptions {
  /** Times come from this clock (the store's own clock otherwise). */
  readonly clock?: Clock;
  /**
   * True when a holder is certainly dead (a process on this host that no longer exists): its lease is taken
   * over at once instead of blocking the connection until the TTL runs out. Default: never.
   */
  readonly isDeadHolder?: (holder: string) => boolean;
  readonly logger?: Logger;
}

/**
 * The scheduler's `LeaseStore` port over the store's `leases` table: each call is one conditional statement,
 * atomic across every process that shares the database (SQLite file or PostgreSQL schema).
 */
export function storeLeaseStore(leases: StoreLeases, options: StoreLeaseStoreOptions = {}): LeaseStore {
  const now = (): number | undefined => options.clock?.now();
  const logger = options.logger ?? silentLogger;
  return {
    async acquire(name, holder, ttlMs) {
      const result = await leases.acquire(name, holder, ttlMs, now());
      if (result.acquired) return true;
      if (options.isDeadHolder?.(result.heldBy) !== true) return false;
      logger.warn(
        { lease: name, deadHolder: result.heldBy },
        'taking over the lease of a process that is gone',
      );
      await leases.release(name, result.heldBy);
      return (await leases.acquire(name, holder, ttlMs, now())).acquired;
    },
    renew: (name, holder, ttlMs) => leases.renew(name, holder, ttlMs, now()),
    release: async (name, holder) => {
      await leases.release(name, holder);
    },
  };
}
