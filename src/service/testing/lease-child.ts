/**
 * Test-only child process: a Scheduler over the store's leases (SQLite file shared with a sibling process)
 * whose "sync" holds an exclusive marker file for a while. If two processes ever ran the same connection at
 * once, the marker would already exist and an OVERLAP line is written.
 *
 * argv: <sqlitePath> <logFile> <markerFile> <holder> <durationMs> <runMs>
 */
import { appendFileSync, closeSync, openSync, rmSync } from 'node:fs';
import { systemClock } from '../../core/clock.js';
import { openStore } from '../../store/index.js';
import { Scheduler } from '../scheduler.js';
import { storeLeaseStore } from '../store-lease-store.js';

const [sqlitePath = '', logFile = '', marker = '', holder = '', durationText = '1000', runText = '50'] =
  process.argv.slice(2);
const log = (line: string): void => appendFileSync(logFile, `${holder} ${line}\n`);

const store = await openStore({ sqlitePath });
const scheduler = new Scheduler({
  clock: systemClock,
  leases: storeLeaseStore(store.leases),
  holder,
  leaseTtlMs: 10_000,
  overlap: 'skip',
  launch: async () => {
    try {
      closeSync(openSync(marker, 'wx'));
    } catch {
      log('OVERLAP');
      return { status: 'failed', error: 'overlap' };
    }
    log(`start ${Date.now()}`);
    await systemClock.sleep(Number(runText));
    log(`end ${Date.now()}`);
    rmSync(marker);
    return { status: 'succeeded' };
  },
});
scheduler.on('run:skipped', ({ reason }) => log(`skipped ${reason}`));
scheduler.upsertConnection({ id: 'shared', schedule: { every: '1h' } });
scheduler.start();
const until = Date.now() + Number(durationText);
while (Date.now() < until) {
  await scheduler.triggerNow('shared');
  await systemClock.sleep(5);
}
await scheduler.stop({ graceful: true });
await store.close();
log('done');
