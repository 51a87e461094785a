import type { Clock } from '../core/clock.js';
import type { RateLimitHeaders } from './retry-timing.js';

export interface SlidingWindowOptions {
  /** Requests HubSpot allows per window (e.g. 190 per 10 s on Professional). */
  limit: number;
  intervalMs: number;
  /**
   * Fraction of `limit` kept unused to absorb other callers and rounding (0.02 → 186 of 190). The
   * effective capacity is `floor(limit × (1 − ratio))`, never below 1.
   */
  safetyMarginRatio: number;
  /**
   * Extra time each request stays in the window beyond `intervalMs`. HubSpot counts a request when it
   * arrives, we count it when we send it; this margin covers latency and clock skew between the two.
   */
  safetyMarginMs: number;
  /** Follow `X-HubSpot-RateLimit-Max` / `-Interval-Milliseconds` / `-Remaining` when responses carry them. */
  adaptToHeaders: boolean;
}

export interface LimiterSnapshot {
  limit: number;
  intervalMs: number;
  capacity: number;
  inWindow: number;
  /** Requests added because the server reported more usage than this process made. */
  externalUsage: number;
  blockedUntil: number;
}

/**
 * A sliding-window log of request start times. A request may start only while fewer than `capacity`
 * starts lie within the last `intervalMs + safetyMarginMs`. Because starts are logged before the request
 * is sent, requests in flight are always counted. Retries acquire again, so they count too.
 *
 * Simpler to reason about than a token bucket: the invariant "never more than capacity starts in any
 * window" is exactly what HubSpot's rolling 10-second policy checks.
 */
export class SlidingWindowLimiter {
  readonly #clock: Clock;
  #options: SlidingWindowOptions;
  #starts: number[] = [];
  #blockedUntil = 0;
  #externalUsage = 0;

  constructor(options: SlidingWindowOptions, clock: Clock) {
    if (!(options.limit >= 1) || !(options.intervalMs > 0)) {
      throw new RangeError(
        `A rate limit needs limit ≥ 1 and intervalMs > 0 (got ${options.limit}/${options.intervalMs}).`,
      );
    }
    this.#options = { ...options };
    this.#clock = clock;
  }

  get capacity(): number {
    const { limit, safetyMarginRatio } = this.#options;
    return Math.max(1, Math.floor(limit * (1 - Math.min(0.9, Math.max(0, safetyMarginRatio)))));
  }

  get #span(): number {
    return this.#options.intervalMs + this.#options.safetyMarginMs;
  }

  #prune(now: number): void {
    const cutoff = now - this.#span;
    let drop = 0;
    while (drop < this.#starts.length && (this.#starts[drop] ?? Number.POSITIVE_INFINITY) <= cutoff) drop++;
    if (drop > 0) this.#starts.splice(0, drop);
  }

  /** Milliseconds until a slot frees up; 0 when a request may start now. */
  waitTime(now = this.#clock.now()): number {
    this.#prune(now);
    const blocked = Math.max(0, this.#blockedUntil - now);
    if (this.#starts.length < this.capacity) return blocked;
    // The (length − capacity + 1)-th oldest start must leave the window first.
    const index = this.#starts.length - this.capacity;
    const freeAt = (this.#starts[index] ?? now) + this.#span;
    return Math.max(blocked, freeAt - now, 1);
  }

  /** Waits for a slot, records the start and returns its time. Rejects if `signal` aborts while waiting. */
  async acquire(signal?: AbortSignal): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const wait = this.waitTime(now);
      if (wait <= 0) {
        this.#starts.push(now);
        return now;
      }
      await this.#clock.sleep(wait, signal);
    }
  }

  /** Time until the oldest logged start leaves HubSpot's window (for a 429 without Retry-After). */
  windowRemainingMs(now = this.#clock.now()): number {
    this.#prune(now);
    const oldest = this.#starts[0];
    return oldest === undefined ? 0 : Math.max(0, oldest + this.#options.intervalMs - now);
  }

  /** Holds every caller of this limiter until `until` (after a 429, so concurrent requests also pause). */
  blockUntil(until: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, until);
  }

  /**
   * Adapts to the headers of a response to a request started at `sentAt`: a different Max or Interval
   * replaces ours. A Remaining lower than our own count implies (another process or another app on the
   * same budget used it) books the difference as phantom starts at `sentAt`, so we slow down rather
   * than meet a 429. An answer to a request started longer ago than the safety margin is not compared:
   * the window has moved since HubSpot counted.
   */
  observe(headers: RateLimitHeaders, sentAt?: number): void {
    if (!this.#options.adaptToHeaders) return;
    if (headers.max !== undefined && headers.max !== this.#options.limit) this.#options.limit = headers.max;
    if (headers.intervalMs !== undefined && headers.intervalMs !== this.#options.intervalMs) {
      this.#options.intervalMs = headers.intervalMs;
    }
    if (headers.max === undefined || headers.remaining === undefined) return;
    const now = this.#clock.now();
    const at = sentAt ?? now;
    if (now - at > this.#options.safetyMarginMs) return;
    this.#prune(now);
    // Every start we logged counts as known, even those HubSpot may not have seen yet: concurrent
    // requests arrive out of order, and counting only earlier starts books phantoms that never existed.
    const missing = headers.max - headers.remaining - this.#starts.length;
    if (missing <= 0) return;
    this.#externalUsage += missing;
    const index = this.#starts.findIndex((start) => start > at);
    const phantoms = new Array<number>(missing).fill(at);
    if (index < 0) this.#starts.push(...phantoms);
    else this.#starts.splice(index, 0, ...phantoms);
  }

  snapshot(): LimiterSnapshot {
    const now = this.#clock.now();
    this.#prune(now);
    return {
      limit: this.#options.limit,
      intervalMs: this.#options.intervalMs,
      capacity: this.capacity,
      inWindow: this.#starts.length,
      externalUsage: this.#externalUsage,
      blockedUntil: this.#blockedUntil,
    };
  }
}

/**
 * Limiters shared by every client of the same portal in this process. HubSpot's 10-second limit is per
 * app per account, so two clients with the same base URL and credential identity must draw from one
 * budget; keys never contain a secret (callers pass a hash).
 */
export class RateLimiterRegistry {
  readonly #limiters = new Map<string, SlidingWindowLimiter>();

  get(key: string, create: () => SlidingWindowLimiter): SlidingWindowLimiter {
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      limiter = create();
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }

  get size(): number {
    return this.#limiters.size;
  }

  clear(): void {
    this.#limiters.clear();
  }
}

/** The process-wide registry used when a client is not given one. */
export const defaultLimiterRegistry = new RateLimiterRegistry();
