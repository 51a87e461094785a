import { ManualClock } from '../core/manual-clock.js';
import { InMemoryLeaseStore } from './in-memory-lease-store.js';
import { leaseStoreContract } from './lease-store.contract.js';

leaseStoreContract('InMemoryLeaseStore', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1), { auto: false });
  return { store: new InMemoryLeaseStore(clock), advance: (ms) => clock.advance(ms) };
});
