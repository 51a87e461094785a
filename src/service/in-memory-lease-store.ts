import type { Clock } from '../core/clock.js';
import type { LeaseStore } from './ports.js';

/**
 * Leases held in this process only: the reference semantics of `LeaseStore` (the contract suite runs against
 * it) and enough for a single process without a shared database. Several schedulers sharing one instance
 * behave like several processes sharing one store.
 */
export class InMemoryLeaseStore implements LeaseStore {
  readonly #clock: Clock;
  readonly #leases = new Map<string, { holder: string; expiresAt: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.#clock.now();
    const current = this.#leases.get(name);
    if (current !== undefined && current.holder !== holder && current.expiresAt > now) return false;
    this.#leases.set(name, { holder, expiresAt: now + ttlMs });
    return true;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.#clock.now();
    const current = this.#leases.get(name);
    if (current === undefined || current.holder !== holder || current.expiresAt <= now) return false;
    current.expiresAt = now + ttlMs;
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.#leases.get(name)?.holder === holder) this.#leases.delete(name);
  }

  /** Who holds `name` right now, or undefined (for tests and the dashboard). */
  holderOf(name: string): string | undefined {
    const current = this.#leases.get(name);
    return current !== undefined && current.expiresAt > this.#clock.now() ? current.holder : undefined;
  }
}

/**
 * Adapts a store that takes `now` explicitly (as `src/store` does: `acquireLease(name, holder, ttlMs, now)`)
 * to the port, reading `now` from the injected clock. Pass the store's functions; no store type is imported.
 */
export function leaseStoreWithClock(
  store: {
    acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
    renewLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
    releaseLease(name: string, holder: string): Promise<unknown>;
  },
  clock: Clock,
): LeaseStore {
  return {
    acquire: (name, holder, ttlMs) => store.acquireLease(name, holder, ttlMs, clock.now()),
    renew: (name, holder, ttlMs) => store.renewLease(name, holder, ttlMs, clock.now()),
    release: async (name, holder) => {
      await store.releaseLease(name, holder);
    },
  };
}
