import type { ReplaySelector } from '../sync/ports.js';
import type { RunTrigger } from './ports.js';

/** What one launch of a connection should do. */
export interface Work {
  readonly sync: boolean;
  readonly replays: readonly ReplaySelector[];
}

/**
 * Work asked for between runs, per connection. The scheduler knows only "run connection X"; replays asked
 * for through the API are queued here and done by the next launch (which starts at once, or right after
 * the run in flight). Replays run first, then the sync when one is due: a scheduled slot, an explicit
 * "sync now", or a launch with nothing else to do.
 */
export class PendingWork {
  readonly #sync = new Set<string>();
  readonly #replays = new Map<string, ReplaySelector[]>();

  requestSync(connectionId: string): void {
    this.#sync.add(connectionId);
  }

  requestReplay(connectionId: string, selector: ReplaySelector): void {
    const list = this.#replays.get(connectionId) ?? [];
    if (!list.some((s) => JSON.stringify(s) === JSON.stringify(selector))) list.push(selector);
    this.#replays.set(connectionId, list);
  }

  /** Forgets a request that could not be started (paused, leased elsewhere, stopping). */
  cancelReplay(connectionId: string, selector: ReplaySelector): void {
    const list = (this.#replays.get(connectionId) ?? []).filter(
      (s) => JSON.stringify(s) !== JSON.stringify(selector),
    );
    if (list.length === 0) this.#replays.delete(connectionId);
    else this.#replays.set(connectionId, list);
  }

  cancelSync(connectionId: string): void {
    this.#sync.delete(connectionId);
  }

  hasReplays(connectionId: string): boolean {
    return (this.#replays.get(connectionId)?.length ?? 0) > 0;
  }

  /** Takes everything queued for the connection; `trigger` says whether a scheduled sync is due too. */
  take(connectionId: string, trigger: RunTrigger): Work {
    const replays = this.#replays.get(connectionId) ?? [];
    const sync = this.#sync.has(connectionId) || trigger === 'schedule' || replays.length === 0;
    this.#replays.delete(connectionId);
    this.#sync.delete(connectionId);
    return { sync, replays };
  }

  forget(connectionId: string): void {
    this.#replays.delete(connectionId);
    this.#sync.delete(connectionId);
  }
}
