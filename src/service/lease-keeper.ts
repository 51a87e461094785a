import type { Clock } from '../core/clock.js';
import { coerceError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { LeaseStore } from './ports.js';

export interface LeaseKeeperOptions {
  readonly leases: LeaseStore;
  readonly name: string;
  readonly holder: string;
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Ends the keeper (the run is over). */
  readonly signal: AbortSignal;
  /** Called once when the lease is gone: renew said "not yours", or errors lasted past the expiry. */
  readonly onLost: () => void;
}

/**
 * Renews a held lease every `renewEveryMs` until `signal` aborts. A failed renewal (store unreachable) is
 * retried on the next beat; only when the lease has certainly expired, or the store says another holder has
 * it, is the run told to stop. Resolves when it ends; never rejects.
 */
export async function keepLease(options: LeaseKeeperOptions): Promise<void> {
  const { leases, name, holder, ttlMs, clock, signal } = options;
  let expiresAt = clock.now() + ttlMs;
  while (!signal.aborted) {
    try {
      await clock.sleep(options.renewEveryMs, signal);
    } catch {
      return;
    }
    if (signal.aborted) return;
    try {
      if (await leases.renew(name, holder, ttlMs)) {
        expiresAt = clock.now() + ttlMs;
        continue;
      }
      options.logger.warn({ lease: name }, 'lease taken over by another holder');
    } catch (error) {
      options.logger.warn({ lease: name, err: coerceError(error).message }, 'lease renewal failed');
      if (clock.now() < expiresAt) continue;
    }
    if (!signal.aborted) options.onLost();
    return;
  }
}
