import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../src/core/clock.js';
import { type EpicorHttpError, unauthorized } from './errors.js';

/**
 * Credentials and bearer tokens (reference §2). Every data call needs the API key plus Basic or Bearer.
 * Tokens are HS256 JWTs signed with a per-process secret; they expire on the injected clock and can all
 * be invalidated at once (fault injection).
 */

export interface SimUser {
  username: string;
  password: string;
  /**
   * Services, business objects or `BO.Method` names this user may not call, e.g. `Erp.BO.VendorSvc`,
   * `Erp.BO.Vendor` or `Erp.BO.Vendor.GetRows` → 401 "Access denied (Erp.BO.Vendor.GetRows)."
   */
  denied?: string[];
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface AuthMessages {
  invalidCredentials: string;
  /** UNCONFIRMED: Epicor's body for an expired bearer token. */
  tokenExpired: string;
  /** UNCONFIRMED: body for a bearer token the server never issued (bad signature, garbage). */
  tokenInvalid: string;
  /** UNCONFIRMED: body when no Authorization header is sent (the 401 also carries WWW-Authenticate). */
  missingAuthorization: string;
  /** UNCONFIRMED: message when no API key is sent; `{company}` is replaced. */
  missingApiKey: string;
}

export const DEFAULT_MESSAGES: AuthMessages = {
  invalidCredentials: 'Invalid username or password.',
  tokenExpired: 'Token has expired.',
  tokenInvalid: 'Invalid token.',
  missingAuthorization: 'Authorization has been denied for this request.',
  missingApiKey: 'Invalid API Key .\r\nCompany {company}.',
};

export interface AuthOptions {
  apiKey: string;
  users: SimUser[];
  oauthClients: OAuthClient[];
  tokenLifetimeSeconds: number;
  clock: Clock;
  messages: AuthMessages;
  realm: string;
  issuer: string;
}

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

interface TokenState {
  principal: string;
  expiresAtMs: number;
  revoked: boolean;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AuthService {
  readonly #options: AuthOptions;
  readonly #secret = randomBytes(32);
  readonly #tokens = new Map<string, TokenState>();
  readonly #denied = new Map<string, Set<string>>();

  constructor(options: AuthOptions) {
    this.#options = options;
    for (const user of options.users) this.#denied.set(user.username, new Set(user.denied ?? []));
  }

  get messages(): AuthMessages {
    return this.#options.messages;
  }

  checkApiKey(key: string | undefined, company: string): void {
    if (key === undefined || key === '') {
      throw unauthorized(this.#options.messages.missingApiKey.replaceAll('{company}', company));
    }
    if (!safeEqual(key, this.#options.apiKey))
      throw unauthorized(`Invalid API Key ${key}.\r\nCompany ${company}.`);
  }

  /** Returns the user name behind an Authorization header, or throws the matching 401. */
  authenticate(authorization: string | undefined): string {
    if (!authorization) {
      throw unauthorized(this.#options.messages.missingAuthorization, {
        'WWW-Authenticate': `Basic realm="${this.#options.realm}"`,
      });
    }
    const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
    const credentials = rest.join(' ');
    if (scheme.toLowerCase() === 'basic') {
      const user = this.checkBasic(credentials);
      if (!user) throw unauthorized(this.#options.messages.invalidCredentials);
      return user;
    }
    if (scheme.toLowerCase() === 'bearer') return this.verifyBearer(credentials);
    throw unauthorized(this.#options.messages.invalidCredentials);
  }

  /** Decodes `base64(user:password)`; returns the user name when it matches. */
  checkBasic(encoded: string): string | undefined {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  checkPassword(username: string, password: string): string | undefined {
    const user = this.#options.users.find((u) => u.username === username);
    return user && safeEqual(user.password, password) ? user.username : undefined;
  }

  checkClient(clientId: string, clientSecret: string): boolean {
    const client = this.#options.oauthClients.find((c) => c.clientId === clientId);
    return client !== undefined && safeEqual(client.clientSecret, clientSecret);
  }

  /** TokenResource.svc token: Epicor's payload shape, `exp`/`iat` as strings. */
  issueEpicorToken(username: string): IssuedToken {
    const nowSec = Math.floor(this.#options.clock.now() / 1000);
    const lifetime = this.#options.tokenLifetimeSeconds;
    return this.#issue(
      { exp: String(nowSec + lifetime), iat: String(nowSec), iss: 'epicor', aud: 'epicor', username },
      username,
    );
  }

  /** Stand-in Epicor IdP token (client credentials): standard numeric claims. */
  issueIdpToken(clientId: string, scope: string): IssuedToken {
    const nowSec = Math.floor(this.#options.clock.now() / 1000);
    const lifetime = this.#options.tokenLifetimeSeconds;
    return this.#issue(
      {
        iss: this.#options.issuer,
        aud: 'epicor_erp',
        client_id: clientId,
        sub: clientId,
        scope,
        nbf: nowSec,
        iat: nowSec,
        exp: nowSec + lifetime,
      },
      clientId,
    );
  }

  #issue(payload: Record<string, unknown>, principal: string): IssuedToken {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    // Same principal in the same second ⇒ the same token string; re-issuing it renews its state.
    const body = base64url(JSON.stringify(payload));
    const signature = createHmac('sha256', this.#secret).update(`${header}.${body}`).digest('base64url');
    const token = `${header}.${body}.${signature}`;
    const lifetime = this.#options.tokenLifetimeSeconds;
    this.#tokens.set(token, {
      principal,
      expiresAtMs: this.#options.clock.now() + lifetime * 1000,
      revoked: false,
    });
    return { token, expiresIn: lifetime };
  }

  verifyBearer(token: string): string {
    const state = this.#tokens.get(token);
    if (!state) throw unauthorized(this.#options.messages.tokenInvalid);
    if (state.revoked || this.#options.clock.now() >= state.expiresAtMs) {
      throw unauthorized(this.#options.messages.tokenExpired);
    }
    return state.principal;
  }

  /** Every bearer token issued so far now answers 401 "expired". */
  invalidateTokens(): void {
    for (const state of this.#tokens.values()) state.revoked = true;
  }

  setDenied(username: string, entries: readonly string[]): void {
    this.#denied.set(username, new Set(entries));
  }

  /** Throws 401 "Access denied (BO.Method)." when the user may not call it. */
  checkAccess(username: string, service: string, bo: string, method: string): void {
    const denied = this.#denied.get(username);
    if (!denied || denied.size === 0) return;
    if (denied.has(service) || denied.has(bo) || denied.has(`${bo}.${method}`)) {
      throw accessDenied(bo, method);
    }
  }
}

export function accessDenied(bo: string, method: string): EpicorHttpError {
  return unauthorized(`Access denied (${bo}.${method}).`);
}
