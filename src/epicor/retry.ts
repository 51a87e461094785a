import { backoffDelay } from '../core/backoff.js';
import type { Random } from '../core/random.js';
import { type EpicorError, EpicorLicenseError } from './errors.js';
import type { RetrySettings } from './settings.js';

/**
 * Which failures are retried and after how long (pure). Retried: 5xx, 408, 429, network errors,
 * resets, timeouts (general schedule) and 400 LicenseAccessException (its own, longer schedule). Every
 * other 4xx is final. Full-jitter exponential backoff from src/core/backoff.ts; a server's Retry-After
 * (none documented for Epicor) is honoured up to `maxRetryAfterMs`.
 */

export interface RetryState {
  /** Retries already made on the general schedule. */
  general: number;
  /** Retries already made on the license schedule. */
  license: number;
}

export function newRetryState(): RetryState {
  return { general: 0, license: 0 };
}

/**
 * The delay before the next attempt, or undefined when `error` is final or its schedule is used up.
 * Mutates `state` (counts the retry) when it returns a delay.
 */
export function nextRetryDelay(
  error: EpicorError,
  state: RetryState,
  settings: RetrySettings,
  random: Random,
  retryAfterMs?: number,
): number | undefined {
  if (!error.retryable) return undefined;
  if (error instanceof EpicorLicenseError) {
    if (state.license + 1 >= settings.license.maxAttempts) return undefined;
    state.license++;
    return backoffDelay(
      state.license,
      { baseMs: settings.license.baseMs, maxMs: settings.license.maxMs },
      random,
    );
  }
  if (state.general + 1 >= settings.maxAttempts) return undefined;
  state.general++;
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), settings.maxRetryAfterMs);
  return backoffDelay(
    state.general,
    { baseMs: settings.baseMs, maxMs: settings.maxMs, factor: settings.factor },
    random,
  );
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
