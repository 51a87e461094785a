import { withTimeout } from '../core/abort.js';
import type { Clock } from '../core/clock.js';
import type { HttpTransport } from '../core/http.js';
import type { Logger } from '../core/logger.js';
import type { Random } from '../core/random.js';
import type { Redactor } from '../core/redact.js';
import type { AccessTokenProvider } from './auth.js';
import {
  extractMissingScopes,
  type HubSpotErrorBody,
  isDailyLimit,
  isNonUniqueIdPropertyError,
  parseErrorBody,
} from './error-body.js';
import {
  HubSpotAuthError,
  HubSpotDailyLimitError,
  HubSpotHttpError,
  HubSpotRateLimitError,
  HubSpotScopesError,
  HubSpotUniquePropertyError,
  HubSpotValidationError,
} from './errors.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import {
  decideRetry,
  nextPortalMidnight,
  parseRateLimitHeaders,
  parseRetryAfter,
  type RetryTimingOptions,
} from './retry-timing.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HubSpotRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with '/'. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Search endpoints have their own per-second limit and no rate-limit headers. */
  limiter?: 'standard' | 'search';
  signal?: AbortSignal;
}

export interface HubSpotResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface HubSpotHttpStats {
  requests: number;
  retries: number;
  rateLimited429: number;
  tokenRefreshesAfter401: number;
  byStatus: Record<string, number>;
}

export type HubSpotHttpEvent =
  | { type: 'retry'; status: number | undefined; delayMs: number; reason: string; path: string }
  | { type: 'response'; status: number; method: HttpMethod; path: string; durationMs: number };

export interface HubSpotHttpOptions {
  baseUrl: string;
  auth: AccessTokenProvider;
  transport: HttpTransport;
  clock: Clock;
  random: Random;
  logger: Logger;
  redactor: Redactor;
  limiter: SlidingWindowLimiter;
  searchLimiter: SlidingWindowLimiter;
  retry: RetryTimingOptions;
  /** Retries for 5xx, 423, 477 and network errors. */
  maxRetries: number;
  /** Retries for 429 (other than DAILY), counted separately. */
  maxRateLimitRetries: number;
  requestTimeoutMs: number;
  /** IANA zone of the portal, for the daily-limit reset time (UNCONFIRMED: HubSpot uses the portal's zone). */
  portalTimeZone: string;
  onEvent?: ((event: HubSpotHttpEvent) => void) | undefined;
}

/**
 * One HubSpot request with everything around it: rate limiting (each attempt acquires a slot), the
 * Bearer token (refreshed once on 401 EXPIRED_AUTHENTICATION), retries by HubSpot's rules, and typed
 * errors. 2xx answers (200, 201, 204, 207) are returned; everything else throws a HubSpotError.
 */
export class HubSpotHttp {
  readonly #o: HubSpotHttpOptions;
  readonly stats: HubSpotHttpStats = {
    requests: 0,
    retries: 0,
    rateLimited429: 0,
    tokenRefreshesAfter401: 0,
    byStatus: {},
  };

  constructor(options: HubSpotHttpOptions) {
    this.#o = options;
  }

  url(path: string, query?: Record<string, string | undefined>): string {
    const url = new URL(this.#o.baseUrl.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  async request(req: HubSpotRequest): Promise<HubSpotResponse> {
    const o = this.#o;
    const limiter = req.limiter === 'search' ? o.searchLimiter : o.limiter;
    const url = this.url(req.path, req.query);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    let retries = 0;
    let rateLimitRetries = 0;
    let refreshed = false;

    for (;;) {
      const sentAt = await limiter.acquire(req.signal);
      const token = await o.auth.token(req.signal);
      const started = o.clock.now();
      let response: Response;
      let text: string;
      this.stats.requests++;
      try {
        response = await o.transport(url, {
          method: req.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(payload === undefined ? {} : { body: payload }),
          signal: withTimeout(req.signal, o.requestTimeoutMs),
        });
        text = await response.text();
      } catch (error) {
        if (req.signal?.aborted) throw error;
        const decision = decideRetry(
          { status: undefined, attempt: retries + 1, intervalMs: 1_000 },
          o.retry,
          o.random,
        );
        if (decision.action !== 'retry' || retries >= o.maxRetries) {
          throw new HubSpotHttpError(
            'ERR_HUBSPOT_HTTP',
            `Could not reach HubSpot for ${req.method} ${req.path} after ${retries + 1} attempts ` +
              `(${o.redactor.redact(error instanceof Error ? error.message : String(error))}). Check the network and the base URL.`,
            { cause: error, retryable: true },
          );
        }
        retries++;
        await this.#wait(decision.delayMs, undefined, decision.reason, req);
        continue;
      }

      const status = response.status;
      this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
      o.onEvent?.({
        type: 'response',
        status,
        method: req.method,
        path: req.path,
        durationMs: o.clock.now() - started,
      });
      if (req.limiter !== 'search')
        limiter.observe(
          parseRateLimitHeaders((name) => response.headers.get(name)),
          sentAt,
        );

      if (status >= 200 && status < 300) {
        return { status, body: parseJson(text), headers: response.headers };
      }

      const body = parseErrorBody(text);
      const common = {
        status,
        ...(body.category ? { category: body.category } : {}),
        ...(body.correlationId ? { correlationId: body.correlationId } : {}),
        body,
      };
      const hubspotMessage = o.redactor.redact(body.message ?? '(no message)');

      if (status === 401) {
        const expired = body.category === 'EXPIRED_AUTHENTICATION' || /expired/i.test(body.message ?? '');
        if (o.auth.kind === 'oauth' && !refreshed && expired) {
          refreshed = true;
          this.stats.tokenRefreshesAfter401++;
          if (await o.auth.refreshAfterRejection(token, req.signal)) continue;
        }
        throw new HubSpotAuthError(
          'ERR_HUBSPOT_AUTH',
          o.auth.kind === 'oauth'
            ? `HubSpot rejected the OAuth access token (${body.category ?? 'HTTP 401'}: ${hubspotMessage}). Re-authorise the app if this persists.`
            : `HubSpot rejected the private app token (${body.category ?? 'HTTP 401'}). Check that the token is current (it may have been rotated or deactivated) and update the credentials.`,
          common,
        );
      }
      if (status === 403 && (body.category === 'MISSING_SCOPES' || extractMissingScopes(body).length > 0)) {
        throw new HubSpotScopesError(extractMissingScopes(body), common);
      }

      if (status === 429 && isDailyLimit(body)) this.#throwDaily(response, body);
      const isRateLimit = status === 429;
      const decision = decideRetry(
        {
          status,
          attempt: (isRateLimit ? rateLimitRetries : retries) + 1,
          policyName: body.policyName,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), o.clock.now()),
          windowRemainingMs: limiter.windowRemainingMs(),
          intervalMs: limiter.snapshot().intervalMs,
        },
        o.retry,
        o.random,
      );
      if (isRateLimit) this.stats.rateLimited429++;
      if (decision.action === 'stop-daily') this.#throwDaily(response, body);
      if (decision.action === 'retry') {
        const exhausted = isRateLimit ? rateLimitRetries >= o.maxRateLimitRetries : retries >= o.maxRetries;
        if (!exhausted) {
          if (isRateLimit) rateLimitRetries++;
          else retries++;
          if (decision.rateLimited) limiter.blockUntil(o.clock.now() + decision.delayMs);
          await this.#wait(decision.delayMs, status, decision.reason, req);
          continue;
        }
        if (isRateLimit || status === 423) {
          throw new HubSpotRateLimitError(
            'ERR_HUBSPOT_RATE_LIMIT',
            `HubSpot kept answering ${status} to ${req.method} ${req.path} after ${rateLimitRetries + retries} retries. ` +
              'Another integration may be using this app’s budget; lower the configured rate limit or try later.',
            { ...common, retryable: true },
          );
        }
      }

      if (status === 400 && isNonUniqueIdPropertyError(body)) {
        throw new HubSpotUniquePropertyError(
          'ERR_HUBSPOT_UNIQUE_PROPERTY',
          `HubSpot refused to upsert by a non-unique property (${hubspotMessage}). The id property must be created ` +
            'with hasUniqueValue: true; run the connector setup, or recreate the property as unique.',
          common,
        );
      }
      if (status === 400) {
        throw new HubSpotValidationError(
          'ERR_HUBSPOT_VALIDATION',
          `HubSpot rejected ${req.method} ${req.path} (${body.category ?? 'HTTP 400'}): ${hubspotMessage}`,
          common,
        );
      }
      throw new HubSpotHttpError(
        'ERR_HUBSPOT_HTTP',
        `HubSpot answered ${status} to ${req.method} ${req.path}${body.category ? ` (${body.category})` : ''}: ${hubspotMessage}` +
          (status >= 500 || status === 423 || status === 477
            ? ' — HubSpot is having trouble; try again later.'
            : ''),
        { ...common, retryable: status >= 500 || status === 423 || status === 477 },
      );
    }
  }

  async #wait(
    delayMs: number,
    status: number | undefined,
    reason: string,
    req: HubSpotRequest,
  ): Promise<void> {
    this.stats.retries++;
    this.#o.onEvent?.({ type: 'retry', status, delayMs, reason, path: req.path });
    this.#o.logger.warn(
      { status, delayMs, reason, method: req.method, path: req.path },
      'HubSpot request will be retried',
    );
    await this.#o.clock.sleep(delayMs, req.signal);
  }

  #throwDaily(response: Response, body: HubSpotErrorBody): never {
    const now = this.#o.clock.now();
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now);
    const resetsAt =
      retryAfter !== undefined ? now + retryAfter : nextPortalMidnight(now, this.#o.portalTimeZone);
    throw new HubSpotDailyLimitError(resetsAt, {
      timeZone: this.#o.portalTimeZone,
      ...(body.correlationId ? { correlationId: body.correlationId } : {}),
    });
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
