/**
 * Who may use the HTTP server: anyone presenting the API token, as a Bearer header, as the password of
 * Basic auth (any user name), or through a browser session cookie obtained by typing the token into the
 * login form. Sessions are stateless: the cookie carries its expiry and an HMAC keyed from the token, so
 * they survive a restart and die when the token changes. The token itself is never sent to a browser.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';

export type AuthMethod = 'bearer' | 'basic' | 'session';

export const SESSION_COOKIE = 'mlc_session';
const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000;

export interface AuthenticatorOptions {
  readonly token: string;
  readonly clock: Clock;
  /** How long a browser session lasts. Default 12 h. */
  readonly sessionTtlMs?: number;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison that does not leak the length either (both sides are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export class Authenticator {
  readonly #token: string;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #sessionKey: Buffer;
  /** Sessions ended by "log out" before their expiry (kept until they would have expired). */
  readonly #revoked = new Map<string, number>();

  constructor(options: AuthenticatorOptions) {
    if (options.token.length < 16) throw new RangeError('The API token must be at least 16 characters long');
    this.#token = options.token;
    this.#clock = options.clock;
    this.#ttlMs = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
    this.#sessionKey = createHmac('sha256', options.token).update('ml-connector session v1').digest();
  }

  get sessionTtlMs(): number {
    return this.#ttlMs;
  }

  /** Checks a typed-in or presented token. */
  checkToken(given: string): boolean {
    return sameSecret(given, this.#token);
  }

  /** How the request proved itself, or undefined. */
  authenticate(authorization: string | undefined, sessionCookie: string | undefined): AuthMethod | undefined {
    if (authorization !== undefined) {
      const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
      if (scheme?.toLowerCase() === 'bearer') return this.checkToken(value) ? 'bearer' : undefined;
      if (scheme?.toLowerCase() === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        return colon >= 0 && this.checkToken(decoded.slice(colon + 1)) ? 'basic' : undefined;
      }
      return undefined;
    }
    if (sessionCookie !== undefined && this.#validSession(sessionCookie)) return 'session';
    return undefined;
  }

  /** A new session cookie value. */
  issueSession(): string {
    const expires = this.#clock.now() + this.#ttlMs;
    const body = `${expires}.${randomBytes(12).toString('base64url')}`;
    return `${body}.${this.#sign(body)}`;
  }

  revokeSession(value: string): void {
    const expires = Number(value.split('.')[0]);
    if (!Number.isFinite(expires)) return;
    const now = this.#clock.now();
    for (const [key, until] of this.#revoked) if (until <= now) this.#revoked.delete(key);
    this.#revoked.set(value, expires);
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#sessionKey).update(body).digest('base64url');
  }

  #validSession(value: string): boolean {
    const match = /^(\d{1,16})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (match === null) return false;
    const body = `${match[1]}.${match[2]}`;
    if (!sameSecret(match[3] ?? '', this.#sign(body))) return false;
    if (Number(match[1]) <= this.#clock.now()) return false;
    return !this.#revoked.has(value);
  }
}

/** Throttles failed logins: at most `max` in any `windowMs`, across all clients (the server is local). */
export class LoginThrottle {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #windowMs: number;
  #failures: number[] = [];

  constructor(clock: Clock, max = 20, windowMs = 60_000) {
    this.#clock = clock;
    this.#max = max;
    this.#windowMs = windowMs;
  }

  blocked(): boolean {
    const since = this.#clock.now() - this.#windowMs;
    this.#failures = this.#failures.filter((at) => at > since);
    return this.#failures.length >= this.#max;
  }

  fail(): void {
    this.#failures.push(this.#clock.now());
  }
}
