import { withTimeout } from '../../core/abort.js';
import type { BackoffOptions } from '../../core/backoff.js';
import { backoffDelay } from '../../core/backoff.js';
import type { Clock } from '../../core/clock.js';
import { coerceError } from '../../core/errors.js';
import type { HttpTransport } from '../../core/http.js';
import type { Logger } from '../../core/logger.js';
import { silentLogger } from '../../core/logger.js';
import type { Random } from '../../core/random.js';
import type { Alert } from './alert.js';
import type { WebhookFormat } from './payload.js';
import { buildPayload } from './payload.js';

export interface DeliveryResult {
  readonly delivered: boolean;
  readonly attempts: number;
  /** Last HTTP status seen, if any response came back. */
  readonly status?: number;
  readonly error?: string;
}

/** Where alerts go; the webhook is one implementation, tests and a future e-mail sink are others. */
export interface AlertSink {
  send(alert: Alert): Promise<DeliveryResult>;
}

export interface WebhookOptions {
  /** Slack/Teams incoming-webhook URLs carry their token in the path: treat the whole URL as a secret. */
  readonly url: string;
  readonly format: WebhookFormat;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger?: Logger;
  /** Total tries including the first. Default 4. */
  readonly attempts?: number;
  readonly backoff?: BackoffOptions;
  readonly timeoutMs?: number;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Posts alerts as JSON to an incoming webhook. Retries network errors, timeouts, 408/429/5xx with full-jitter
 * backoff (honouring Retry-After within the backoff cap). Never throws: the result says what happened, and
 * logs name only the webhook's origin.
 */
export class WebhookNotifier implements AlertSink {
  readonly #options: WebhookOptions;
  readonly #logger: Logger;
  readonly #origin: string;

  constructor(options: WebhookOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#origin = new URL(options.url).origin;
  }

  async send(alert: Alert): Promise<DeliveryResult> {
    const attempts = Math.max(1, this.#options.attempts ?? 4);
    const backoff = this.#options.backoff ?? { baseMs: 1000, maxMs: 30_000 };
    const body = JSON.stringify(buildPayload(alert, this.#options.format));
    let status: number | undefined;
    let error: string | undefined;
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      made = attempt;
      let retryAfterMs: number | undefined;
      try {
        const response = await this.#options.transport(this.#options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: withTimeout(undefined, this.#options.timeoutMs ?? 10_000),
        });
        status = response.status;
        // Drain the body so the connection can be reused; its content is not needed (Slack answers "ok").
        await response.text().catch(() => '');
        if (response.ok) return { delivered: true, attempts: attempt, status };
        error = `webhook answered HTTP ${response.status}`;
        if (!RETRYABLE_STATUS.has(response.status)) break;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      } catch (caught) {
        status = undefined;
        error = `webhook request failed: ${coerceError(caught).message}`;
      }
      if (attempt === attempts) break;
      const delay = Math.min(
        backoff.maxMs,
        Math.max(retryAfterMs ?? 0, backoffDelay(attempt, backoff, this.#options.random)),
      );
      this.#logger.debug({ webhook: this.#origin, attempt, delayMs: delay, error }, 'retrying alert webhook');
      await this.#options.clock.sleep(delay);
    }
    this.#logger.warn({ webhook: this.#origin, kind: alert.kind, error }, 'alert not delivered');
    return { delivered: false, attempts: made, ...(status === undefined ? {} : { status }), error };
  }
}

/** Retry-After as delta-seconds (HTTP dates are rare on webhooks and ignored). */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}
