import type { Clock } from '../../core/clock.js';

/**
 * Suppresses repeats: a key may pass once per window. `claim` reserves the key before sending so two
 * concurrent alerts cannot both go out; `forget` gives it back when delivery failed, so the next occurrence
 * tries again.
 */
export class AlertDeduper {
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #sentAt = new Map<string, number>();

  constructor(clock: Clock, windowMs: number) {
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  claim(key: string): boolean {
    const now = this.#clock.now();
    this.#prune(now);
    const last = this.#sentAt.get(key);
    if (last !== undefined && now - last < this.#windowMs) return false;
    this.#sentAt.set(key, now);
    return true;
  }

  forget(key: string): void {
    this.#sentAt.delete(key);
  }

  #prune(now: number): void {
    for (const [key, at] of this.#sentAt) if (now - at >= this.#windowMs) this.#sentAt.delete(key);
  }
}

/** Digits vary between occurrences of the same failure ("after 3 attempts", ids, timings): ignore them. */
export function failureFingerprint(message: string): string {
  return message.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().slice(0, 200);
}
