import { DateTime } from 'luxon';

/**
 * Timestamps of accepted requests in a rolling window. Pure: callers pass `now`, so tests drive it with
 * plain numbers. Stored as a growable ring (array + head index) so a long benchmark stays O(1) per call.
 */
export class RollingWindow {
  readonly windowMs: number;
  #times: number[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  #evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.#head < this.#times.length && (this.#times[this.#head] ?? 0) <= cutoff) this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Requests counted in (now - windowMs, now]. */
  count(now: number): number {
    this.#evict(now);
    return this.#times.length - this.#head;
  }

  /** Requests counted in (now - ms, now], for ms <= windowMs (the legacy "secondly" header). */
  countWithin(now: number, ms: number): number {
    this.#evict(now);
    let n = 0;
    for (let i = this.#times.length - 1; i >= this.#head; i--) {
      if ((this.#times[i] ?? 0) > now - ms) n++;
      else break;
    }
    return n;
  }

  add(now: number): void {
    this.#times.push(now);
  }

  /** Milliseconds until one slot frees up (0 when a slot is free now). */
  msUntilSlot(now: number, max: number): number {
    const count = this.count(now);
    if (count < max) return 0;
    const oldestBlocking = this.#times[this.#head + (count - max)] ?? now;
    return Math.max(1, oldestBlocking + this.windowMs - now);
  }

  clear(): void {
    this.#times = [];
    this.#head = 0;
  }
}

/** A per-portal daily counter that resets at midnight in the portal's time zone. */
export class DailyCounter {
  #used = 0;
  #resetsAt = Number.NEGATIVE_INFINITY;
  #timeZone: string;

  constructor(timeZone: string) {
    this.#timeZone = timeZone;
  }

  setTimeZone(timeZone: string): void {
    if (timeZone === this.#timeZone) return;
    this.#timeZone = timeZone;
    this.#resetsAt = Number.NEGATIVE_INFINITY;
  }

  #roll(now: number): void {
    if (now < this.#resetsAt) return;
    this.#used = 0;
    this.#resetsAt = nextMidnight(now, this.#timeZone);
  }

  used(now: number): number {
    this.#roll(now);
    return this.#used;
  }

  resetsAt(now: number): number {
    this.#roll(now);
    return this.#resetsAt;
  }

  add(now: number, n = 1): void {
    this.#roll(now);
    this.#used += n;
  }

  /** Sets today's usage (control API: exhaust the daily budget). */
  setUsed(now: number, used: number): void {
    this.#roll(now);
    this.#used = used;
  }

  clear(): void {
    this.#used = 0;
    this.#resetsAt = Number.NEGATIVE_INFINITY;
  }
}

export function nextMidnight(now: number, timeZone: string): number {
  const local = DateTime.fromMillis(now, { zone: timeZone });
  const zoned = local.isValid ? local : DateTime.fromMillis(now, { zone: 'UTC' });
  return zoned.startOf('day').plus({ days: 1 }).toMillis();
}

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | {
      ok: false;
      policyName: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
      retryAfterMs: number;
      headers: Record<string, string>;
    };

export interface RateLimitConfig {
  tenSecondly: number;
  oauthTenSecondly: number;
  daily: number;
  searchPerSecond: number;
  enabled: boolean;
}

/**
 * All rate-limit state of one simulated portal: a rolling 10 s window per app, one daily counter per
 * portal, and a 1 s search window per portal (search is exempt from the 10 s bucket and gets no headers).
 */
export class RateLimiter {
  readonly #apps = new Map<string, RollingWindow>();
  readonly #search = new RollingWindow(1000);
  readonly #daily: DailyCounter;

  constructor(timeZone: string) {
    this.#daily = new DailyCounter(timeZone);
  }

  get daily(): DailyCounter {
    return this.#daily;
  }

  #window(appKey: string): RollingWindow {
    let w = this.#apps.get(appKey);
    if (!w) {
      w = new RollingWindow(10_000);
      this.#apps.set(appKey, w);
    }
    return w;
  }

  /** Decides one standard (non-search) request and records it when accepted. */
  standard(
    now: number,
    appKey: string,
    isOAuth: boolean,
    config: RateLimitConfig,
    force?: 'TEN_SECONDLY_ROLLING' | 'DAILY',
  ): RateDecision {
    const max = isOAuth ? config.oauthTenSecondly : config.tenSecondly;
    const window = this.#window(appKey);
    const dailyUsed = this.#daily.used(now);
    const inWindow = window.count(now);
    const dailyExceeded = force === 'DAILY' || (config.enabled && dailyUsed >= config.daily);
    const burstExceeded = force === 'TEN_SECONDLY_ROLLING' || (config.enabled && inWindow >= max);
    if (dailyExceeded || burstExceeded) {
      const headers = rateHeaders({
        isOAuth,
        max,
        remaining: Math.max(0, max - inWindow),
        secondlyRemaining: Math.max(0, Math.ceil(max / 10) - window.countWithin(now, 1000)),
        daily: config.daily,
        dailyRemaining: Math.max(0, config.daily - dailyUsed),
      });
      if (dailyExceeded) {
        return { ok: false, policyName: 'DAILY', retryAfterMs: this.#daily.resetsAt(now) - now, headers };
      }
      return {
        ok: false,
        policyName: 'TEN_SECONDLY_ROLLING',
        retryAfterMs: Math.max(1, window.msUntilSlot(now, max)),
        headers,
      };
    }
    window.add(now);
    this.#daily.add(now);
    return {
      ok: true,
      headers: rateHeaders({
        isOAuth,
        max,
        remaining: Math.max(0, max - inWindow - 1),
        secondlyRemaining: Math.max(0, Math.ceil(max / 10) - window.countWithin(now, 1000)),
        daily: config.daily,
        dailyRemaining: Math.max(0, config.daily - dailyUsed - 1),
      }),
    };
  }

  /** Decides one search request (5/s per portal); counts toward the daily total when accepted. */
  search(now: number, config: RateLimitConfig): RateDecision {
    const inWindow = this.#search.count(now);
    if (config.enabled && inWindow >= config.searchPerSecond) {
      return {
        ok: false,
        policyName: 'SECONDLY',
        retryAfterMs: this.#search.msUntilSlot(now, config.searchPerSecond),
        headers: {},
      };
    }
    this.#search.add(now);
    this.#daily.add(now);
    return { ok: true, headers: {} };
  }

  clear(): void {
    this.#apps.clear();
    this.#search.clear();
    this.#daily.clear();
  }
}

export function rateHeaders(input: {
  isOAuth: boolean;
  max: number;
  remaining: number;
  secondlyRemaining: number;
  daily: number;
  dailyRemaining: number;
}): Record<string, string> {
  const headers: Record<string, string> = {
    'x-hubspot-ratelimit-interval-milliseconds': '10000',
    'x-hubspot-ratelimit-max': String(input.max),
    'x-hubspot-ratelimit-remaining': String(input.remaining),
    'x-hubspot-ratelimit-secondly': String(Math.ceil(input.max / 10)),
    'x-hubspot-ratelimit-secondly-remaining': String(input.secondlyRemaining),
  };
  if (!input.isOAuth) {
    headers['x-hubspot-ratelimit-daily'] = String(input.daily);
    headers['x-hubspot-ratelimit-daily-remaining'] = String(input.dailyRemaining);
  }
  return headers;
}

export const RATE_LIMIT_MESSAGES = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
} as const;
