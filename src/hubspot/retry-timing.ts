import { DateTime } from 'luxon';
import { type BackoffOptions, backoffDelay } from '../core/backoff.js';
import type { Random } from '../core/random.js';

/**
 * Pure retry timing for HubSpot: headers in, milliseconds out. No I/O, no clock reads: callers pass
 * `now`. Rules (reference §4, §6, §9):
 * - 429 TEN_SECONDLY_ROLLING → Retry-After if sent, else the rest of the rolling window;
 * - 429 SECONDLY (search) → Retry-After, else ~1 s;
 * - 429 DAILY → stop (never retried);
 * - 423 Locked → at least 2 s ("locks last 2 seconds"), plus backoff;
 * - 477 Migration in progress → Retry-After (seconds), refuse if beyond `maxRetryAfterMs`;
 * - 5xx and network errors → exponential backoff with full jitter.
 */

export interface RateLimitHeaders {
  /** Requests allowed per window (`X-HubSpot-RateLimit-Max`). */
  max?: number;
  /** Requests left in the window (`X-HubSpot-RateLimit-Remaining`). */
  remaining?: number;
  /** Window length (`X-HubSpot-RateLimit-Interval-Milliseconds`). */
  intervalMs?: number;
  dailyMax?: number;
  dailyRemaining?: number;
}

export type HeaderGetter = (name: string) => string | null | undefined;

function intHeader(get: HeaderGetter, name: string): number | undefined {
  const raw = get(name);
  if (raw === null || raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Reads the optional `X-HubSpot-RateLimit-*` headers; absent or malformed values are left out. */
export function parseRateLimitHeaders(get: HeaderGetter): RateLimitHeaders {
  const out: RateLimitHeaders = {};
  const max = intHeader(get, 'x-hubspot-ratelimit-max');
  const remaining = intHeader(get, 'x-hubspot-ratelimit-remaining');
  const intervalMs = intHeader(get, 'x-hubspot-ratelimit-interval-milliseconds');
  const dailyMax = intHeader(get, 'x-hubspot-ratelimit-daily');
  const dailyRemaining = intHeader(get, 'x-hubspot-ratelimit-daily-remaining');
  if (max !== undefined && max > 0) out.max = max;
  if (remaining !== undefined) out.remaining = remaining;
  if (intervalMs !== undefined && intervalMs > 0) out.intervalMs = intervalMs;
  if (dailyMax !== undefined) out.dailyMax = dailyMax;
  if (dailyRemaining !== undefined) out.dailyRemaining = dailyRemaining;
  return out;
}

/** `Retry-After` as delta-seconds (fractions allowed) or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Next midnight in the portal's time zone (when HubSpot resets the daily budget). */
export function nextPortalMidnight(nowMs: number, timeZone: string): number {
  const local = DateTime.fromMillis(nowMs, { zone: timeZone });
  const zoned = local.isValid ? local : DateTime.fromMillis(nowMs, { zone: 'utc' });
  return zoned.startOf('day').plus({ days: 1 }).toMillis();
}

export interface RetryTimingOptions {
  /** Backoff for 5xx, 423 and network errors. */
  backoff: BackoffOptions;
  /** Floor for 423 Locked. HubSpot: "include a delay of at least 2 seconds". */
  lockedMinDelayMs: number;
  /** Wait after a SECONDLY 429 without Retry-After. */
  secondlyDelayMs: number;
  /** Retry-After beyond this is not waited for (the request fails instead). */
  maxRetryAfterMs: number;
  /** Added to rate-limit waits to absorb clock skew and request latency. */
  rateLimitPaddingMs: number;
}

export const defaultRetryTimingOptions: RetryTimingOptions = Object.freeze({
  backoff: Object.freeze({ baseMs: 500, maxMs: 30_000, factor: 2 }),
  lockedMinDelayMs: 2_000,
  secondlyDelayMs: 1_000,
  maxRetryAfterMs: 15 * 60_000,
  rateLimitPaddingMs: 100,
});

export interface RetryInput {
  /** HTTP status, or undefined for a network error. */
  status: number | undefined;
  /** Retry number about to be made, from 1. */
  attempt: number;
  /** `policyName` of a 429 body. */
  policyName?: string | undefined;
  /** Parsed Retry-After in ms. */
  retryAfterMs?: number | undefined;
  /** For TEN_SECONDLY_ROLLING without Retry-After: time until the oldest request leaves the window. */
  windowRemainingMs?: number | undefined;
  /** Window length to fall back on when nothing better is known. */
  intervalMs: number;
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string; rateLimited: boolean }
  | { action: 'stop-daily' }
  | { action: 'fail'; reason: string };

const RETRYABLE_5XX = new Set([500, 502, 503, 504, 521, 522, 523, 524]);

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 423 || status === 477 || RETRYABLE_5XX.has(status);
}

/** Decides whether and how long to wait before retrying one failed attempt. */
export function decideRetry(input: RetryInput, options: RetryTimingOptions, random: Random): RetryDecision {
  const { status, attempt } = input;
  const jittered = (): number => backoffDelay(attempt, options.backoff, random);
  const honour = (ms: number, reason: string, rateLimited: boolean): RetryDecision =>
    ms > options.maxRetryAfterMs
      ? {
          action: 'fail',
          reason: `${reason}: Retry-After ${Math.round(ms / 1000)} s exceeds the maximum wait`,
        }
      : { action: 'retry', delayMs: ms, reason, rateLimited };

  if (status === undefined)
    return { action: 'retry', delayMs: jittered(), reason: 'network error', rateLimited: false };
  if (status === 429) {
    const policy = input.policyName?.toUpperCase();
    if (policy === 'DAILY') return { action: 'stop-daily' };
    if (input.retryAfterMs !== undefined) {
      return honour(input.retryAfterMs + options.rateLimitPaddingMs, `429 ${policy ?? 'rate limit'}`, true);
    }
    if (policy === 'SECONDLY') {
      return honour(options.secondlyDelayMs + options.rateLimitPaddingMs, '429 SECONDLY', true);
    }
    const rest = input.windowRemainingMs ?? input.intervalMs;
    const wait = Math.max(0, Math.min(rest, input.intervalMs)) + options.rateLimitPaddingMs;
    return honour(wait, `429 ${policy ?? 'rate limit'}`, true);
  }
  if (status === 423) {
    return {
      action: 'retry',
      delayMs: Math.max(options.lockedMinDelayMs, jittered()),
      reason: '423 Locked',
      rateLimited: false,
    };
  }
  if (status === 477) {
    return honour(
      input.retryAfterMs ?? Math.max(options.lockedMinDelayMs, jittered()),
      '477 Migration',
      false,
    );
  }
  if (RETRYABLE_5XX.has(status)) {
    const base = jittered();
    const delayMs = input.retryAfterMs !== undefined ? Math.max(base, input.retryAfterMs) : base;
    return delayMs > options.maxRetryAfterMs
      ? { action: 'fail', reason: `${status}: Retry-After exceeds the maximum wait` }
      : { action: 'retry', delayMs, reason: `${status}`, rateLimited: false };
  }
  return { action: 'fail', reason: `${status} is not retryable` };
}
