/**
 * "One run per connection at a time", across processes sharing the store: the same lease name the
 * scheduler uses (`sync:<connection id>`), renewed while the run lasts. A lease left behind by a process
 * on this host that no longer exists (kill -9) is taken over at once instead of waiting for it to expire.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import { ConnectorError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { keepLease } from '../service/lease-keeper.js';
import { LEASE_PREFIX } from '../service/scheduler.js';
import type { Store } from '../store/index.js';

export const LEASE_TTL_MS = 60_000;

export class LeaseHeldError extends ConnectorError {
  readonly holder: string;
  constructor(connectionId: string, holder: string, expiresAt: number) {
    super(
      'ERR_LEASE_HELD',
      `Another run of connection "${connectionId}" is in progress (held by ${holder} until ` +
        `${new Date(expiresAt).toISOString()} unless renewed); wait for it to finish, then run again.`,
      { retryable: true },
    );
    this.holder = holder;
  }
}

export interface HeldLease {
  readonly name: string;
  readonly holder: string;
  /** Aborts when the lease was lost (another holder took it over); the run should stop. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export function processHolder(prefix = 'cli'): string {
  return `${prefix}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** True when `holder` names a process on this host that no longer exists. */
export function isDeadLocalHolder(holder: string): boolean {
  const match = /^(?:[a-z]+:)?(.+):(\d+):[^:]+$/.exec(holder);
  if (match === null || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function acquireConnectionLease(options: {
  readonly store: Store;
  readonly connectionId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ttlMs?: number;
}): Promise<HeldLease> {
  const { store, connectionId, clock, logger } = options;
  const ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  const name = LEASE_PREFIX + connectionId;
  const holder = processHolder();
  let result = await store.leases.acquire(name, holder, ttlMs);
  if (!result.acquired && isDeadLocalHolder(result.heldBy)) {
    logger.warn(
      { lease: name, deadHolder: result.heldBy },
      'taking over the lease of a process that is gone',
    );
    await store.leases.release(name, result.heldBy);
    result = await store.leases.acquire(name, holder, ttlMs);
  }
  if (!result.acquired) throw new LeaseHeldError(connectionId, result.heldBy, result.expiresAt);

  const stop = new AbortController();
  const lost = new AbortController();
  const keeper = keepLease({
    leases: {
      acquire: async (n, h, t) => (await store.leases.acquire(n, h, t)).acquired,
      renew: (n, h, t) => store.leases.renew(n, h, t),
      release: async (n, h) => {
        await store.leases.release(n, h);
      },
    },
    name,
    holder,
    ttlMs,
    renewEveryMs: Math.max(1, Math.floor(ttlMs / 3)),
    clock,
    logger,
    signal: stop.signal,
    onLost: () => lost.abort(new ConnectorError('ERR_LEASE_LOST', `The run lease ${name} was lost.`)),
  });
  let released = false;
  return {
    name,
    holder,
    lost: lost.signal,
    release: async () => {
      if (released) return;
      released = true;
      stop.abort();
      await keeper;
      await store.leases.release(name, holder).catch(() => false);
    },
  };
}
