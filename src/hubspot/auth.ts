import { createHash } from 'node:crypto';
import { z } from 'zod';
import { backoffDelay } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import type { HttpTransport } from '../core/http.js';
import type { Random } from '../core/random.js';
import { parseErrorBody } from './error-body.js';
import { HubSpotAuthError, HubSpotHttpError } from './errors.js';
import { parseRetryAfter } from './retry-timing.js';

/** Supplies the Bearer token for each request, refreshing it when it is an OAuth access token. */
export interface AccessTokenProvider {
  readonly kind: 'private-app' | 'oauth';
  /** A non-secret identity (hash) for rate-limiter keys: same app + same portal → same identity. */
  readonly identity: string;
  token(signal?: AbortSignal): Promise<string>;
  /**
   * Called after a 401 EXPIRED_AUTHENTICATION for `rejected`. Returns true when a different token is
   * now available (refreshed here, or already by a concurrent caller), false when refreshing cannot help.
   */
  refreshAfterRejection(rejected: string, signal?: AbortSignal): Promise<boolean>;
  /** Every secret this provider holds, for the redactor. */
  secrets(): string[];
}

export function hashIdentity(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** A private-app token or Service Key: a static Bearer token that does not expire. */
export class StaticTokenProvider implements AccessTokenProvider {
  readonly kind = 'private-app' as const;
  readonly identity: string;
  readonly #token: string;

  constructor(token: string) {
    if (token.trim() === '')
      throw new HubSpotAuthError(
        'ERR_HUBSPOT_AUTH',
        'The HubSpot private app token is empty; set it in the connector credentials.',
      );
    this.#token = token.trim();
    this.identity = `pat:${hashIdentity(this.#token)}`;
  }

  async token(): Promise<string> {
    return this.#token;
  }

  async refreshAfterRejection(): Promise<boolean> {
    return false;
  }

  secrets(): string[] {
    return [this.#token];
  }
}

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Token endpoint, normally `${baseUrl}/oauth/v1/token`. */
  tokenUrl: string;
  /** Refresh this long before `expires_in` runs out (default 5 min of HubSpot's 30). */
  refreshLeewayMs: number;
  /** Attempts for the token call on 429/5xx/network errors. */
  maxAttempts: number;
  /** Called when HubSpot returns a different refresh token, so the caller can store it. */
  onRefreshTokenRotated?: ((refreshToken: string) => void | Promise<void>) | undefined;
  transport: HttpTransport;
  clock: Clock;
  random: Random;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

/**
 * OAuth 2.0 refresh-token flow against `POST /oauth/v1/token` (form-encoded). Tokens are refreshed
 * shortly before expiry and once after a 401 EXPIRED_AUTHENTICATION; only one refresh is in flight at
 * a time, and concurrent callers share its result (single-flight).
 */
export class OAuthTokenProvider implements AccessTokenProvider {
  readonly kind = 'oauth' as const;
  readonly identity: string;
  readonly #options: OAuthOptions;
  #refreshToken: string;
  #accessToken: string | undefined;
  #expiresAt = 0;
  #inflight: Promise<string> | undefined;
  /** Number of token calls that succeeded; useful for tests and metrics. */
  refreshCount = 0;

  constructor(options: OAuthOptions) {
    this.#options = options;
    this.#refreshToken = options.refreshToken;
    // The refresh token identifies the installation (app × portal); it may rotate, the identity must not.
    this.identity = `oauth:${hashIdentity(options.clientId, options.refreshToken)}`;
  }

  async token(signal?: AbortSignal): Promise<string> {
    const now = this.#options.clock.now();
    if (this.#accessToken !== undefined && now < this.#expiresAt - this.#options.refreshLeewayMs) {
      return this.#accessToken;
    }
    return this.#refresh(signal);
  }

  async refreshAfterRejection(rejected: string, signal?: AbortSignal): Promise<boolean> {
    if (this.#inflight) {
      await this.#inflight;
      return true;
    }
    if (this.#accessToken !== undefined && this.#accessToken !== rejected) return true;
    await this.#refresh(signal);
    return true;
  }

  secrets(): string[] {
    return [
      this.#options.clientSecret,
      this.#refreshToken,
      ...(this.#accessToken ? [this.#accessToken] : []),
    ];
  }

  #refresh(signal?: AbortSignal): Promise<string> {
    if (!this.#inflight) {
      this.#inflight = this.#requestToken(signal).finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  async #requestToken(signal?: AbortSignal): Promise<string> {
    const { clock, transport, random } = this.#options;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: this.#options.clientId,
      client_secret: this.#options.clientSecret,
      refresh_token: this.#refreshToken,
    });
    let lastProblem = 'no attempt made';
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      let response: Response;
      try {
        response = await transport(this.#options.tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        lastProblem = 'network error';
        await clock.sleep(backoffDelay(attempt, { baseMs: 500, maxMs: 10_000 }, random), signal);
        continue;
      }
      const text = await response.text();
      if (response.ok) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const parsed = tokenResponseSchema.safeParse(json);
        if (!parsed.success) {
          throw new HubSpotAuthError(
            'ERR_HUBSPOT_AUTH',
            'HubSpot answered the OAuth token refresh without a usable access_token/expires_in; check the token URL.',
            { status: response.status },
          );
        }
        this.#accessToken = parsed.data.access_token;
        this.#expiresAt = clock.now() + parsed.data.expires_in * 1000;
        this.refreshCount++;
        const rotated = parsed.data.refresh_token;
        if (rotated && rotated !== this.#refreshToken) {
          this.#refreshToken = rotated;
          await this.#options.onRefreshTokenRotated?.(rotated);
        }
        return parsed.data.access_token;
      }
      const body = parseErrorBody(text);
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable) {
        throw new HubSpotAuthError(
          'ERR_HUBSPOT_AUTH',
          `HubSpot refused the OAuth token refresh (HTTP ${response.status}${body.message ? `: ${body.message}` : ''}). ` +
            'Check the client id/secret, or re-authorise the app to get a new refresh token.',
          {
            status: response.status,
            ...(body.category ? { category: body.category } : {}),
            ...(body.correlationId ? { correlationId: body.correlationId } : {}),
          },
        );
      }
      lastProblem = `HTTP ${response.status}`;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
      await clock.sleep(retryAfter ?? backoffDelay(attempt, { baseMs: 500, maxMs: 10_000 }, random), signal);
    }
    throw new HubSpotHttpError(
      'ERR_HUBSPOT_HTTP',
      `Could not refresh the HubSpot OAuth token after ${this.#options.maxAttempts} attempts (${lastProblem}); HubSpot may be unavailable, try again later.`,
      { retryable: true },
    );
  }
}
