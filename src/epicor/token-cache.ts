import type { Clock } from '../core/clock.js';

export interface IssuedToken {
  readonly accessToken: string;
  /** Lifetime in seconds as the token endpoint stated it (`ExpiresIn` / `expires_in`). */
  readonly expiresInSeconds: number;
}

/**
 * Caches one bearer token. Fetched lazily; reused until `skew` before its stated expiry (skew capped at
 * 10 % of the lifetime, so short-lived tokens are still reused); `invalidate` drops it after a 401.
 * Single-flight: concurrent callers needing a token share one fetch, and an `invalidate` for a token that
 * was already replaced is ignored, so N requests failing together cause one refresh, not N.
 */
export class TokenCache {
  readonly #fetch: () => Promise<IssuedToken>;
  readonly #clock: Clock;
  readonly #skewMs: number;
  #current: { token: string; refreshAt: number } | undefined;
  #inflight: Promise<string> | undefined;
  /** Tokens fetched so far (for tests and metrics). */
  fetches = 0;

  constructor(fetch: () => Promise<IssuedToken>, clock: Clock, skewMs: number) {
    this.#fetch = fetch;
    this.#clock = clock;
    this.#skewMs = skewMs;
  }

  async get(): Promise<string> {
    const current = this.#current;
    if (current && this.#clock.now() < current.refreshAt) return current.token;
    if (!this.#inflight) {
      this.#inflight = this.#refresh().finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  /** Forgets `token` if it is still the cached one (a 401 said it is no longer accepted). */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  async #refresh(): Promise<string> {
    this.fetches++;
    const issued = await this.#fetch();
    const lifetimeMs = Math.max(0, issued.expiresInSeconds * 1000);
    const skew = Math.min(this.#skewMs, lifetimeMs * 0.1);
    this.#current = { token: issued.accessToken, refreshAt: this.#clock.now() + lifetimeMs - skew };
    return issued.accessToken;
  }
}
