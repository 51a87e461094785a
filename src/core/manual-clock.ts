import type { Clock } from './clock.js';

/**
 * A clock for tests. In `auto` mode every sleep advances time at once (so retry loops finish instantly
 * and tests can assert on the delays asked for); otherwise sleeps wait until `advance()` passes them.
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #auto: boolean;
  readonly #waiters: { until: number; resolve: () => void }[] = [];
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1), options: { auto?: boolean } = {}) {
    this.#now = start;
    this.#auto = options.auto ?? true;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#auto) {
      this.#now += Math.max(0, ms);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        // Only a sleeper still waiting can be cancelled; one already woken by advance() is gone from the list
        // (splicing index -1 would drop an unrelated sleeper).
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter = {
        until: this.#now + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward and wakes every sleeper whose deadline has passed. */
  advance(ms: number): void {
    this.#now += ms;
    for (const waiter of [...this.#waiters]) {
      if (waiter.until <= this.#now) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  set(epochMs: number): void {
    this.advance(epochMs - this.#now);
  }
}
