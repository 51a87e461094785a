import type { Migration } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { ManualClock } from '../../core/manual-clock.js';
import type { Store } from '../store.js';

/** One database the contract suite can open (several times, when `reopenable`). */
export interface StoreTarget {
  /** Opens the same database each time (a new `:memory:` one when not reopenable). */
  open(options?: { clock?: Clock; extraMigrations?: Record<string, Migration> }): Promise<Store>;
  /** False for `:memory:`: every open is a fresh, empty database. */
  readonly reopenable: boolean;
  /** Deletes the database (drops the schema, removes the file). */
  dispose(): Promise<void>;
}

export type StoreTargetFactory = () => Promise<StoreTarget>;

export interface Harness {
  store: Store;
  clock: ManualClock;
  target: StoreTarget;
}

/** Runs `fn` against a fresh database and always cleans up, pass or fail. */
export async function withStore(
  factory: StoreTargetFactory,
  fn: (h: Harness) => Promise<void>,
): Promise<void> {
  const target = await factory();
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  try {
    const store = await target.open({ clock });
    try {
      await fn({ store, clock, target });
    } finally {
      await store.close();
    }
  } finally {
    await target.dispose();
  }
}

/** A connection, run and pending batch: the usual starting point of the sync-state tests. */
export async function seedRun(store: Store, name = 'main') {
  const connection = await store.connections.create({ name, settings: { epicorCompany: 'EPIC06' } });
  const run = await store.runs.start({ connectionId: connection.id, kind: 'sync' });
  const batch = await store.batches.create({
    runId: run.id,
    connectionId: connection.id,
    stream: 'vendor',
    query: { servicePath: 'Erp.BO.VendorSvc/Vendors', top: 100 },
  });
  return { connection, run, batch };
}
