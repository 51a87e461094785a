import type { Random } from './random.js';

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound for any single delay. */
  maxMs: number;
  /** Growth per attempt; 2 doubles. */
  factor?: number;
}

/**
 * Exponential backoff with "full jitter" (uniform in [0, capped exponential]): spreads retries from many
 * workers so they do not hit a recovering server in lockstep. `attempt` counts retries from 1.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: Random): number {
  const factor = options.factor ?? 2;
  const exponential = options.baseMs * factor ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxMs, exponential);
  return Math.round(capped * random());
}

/** The same schedule without jitter, for messages such as "retrying in up to 8 s". */
export function backoffCeiling(attempt: number, options: BackoffOptions): number {
  const factor = options.factor ?? 2;
  return Math.min(options.maxMs, options.baseMs * factor ** Math.max(0, attempt - 1));
}
