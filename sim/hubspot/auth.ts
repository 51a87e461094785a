import { randomBytes } from 'node:crypto';
import { errorBody, SimHttpError } from './errors.js';

export interface AuthPrincipal {
  kind: 'private-app' | 'oauth';
  token: string;
  scopes: ReadonlySet<string>;
  /** Rate-limit bucket: one per private app token, one per OAuth client (the "app"). */
  appKey: string;
  expiresAt?: number;
}

interface OAuthClient {
  clientId: string;
  clientSecret: string;
  refreshTokens: Set<string>;
  scopes: string[];
  lifetimeMs: number;
}

interface AccessToken {
  token: string;
  scopes: string[];
  expiresAt: number;
  clientId: string;
}

const INVALID_AUTH_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** Private-app tokens, the OAuth client with its refresh tokens, and the access tokens it issued. */
export class TokenRegistry {
  readonly #privateTokens = new Map<string, Set<string>>();
  readonly #access = new Map<string, AccessToken>();
  #client: OAuthClient;
  #issued = 0;

  constructor(
    privateTokens: { token: string; scopes: readonly string[] }[],
    client: {
      clientId: string;
      clientSecret: string;
      refreshTokens: readonly string[];
      scopes: readonly string[];
      lifetimeSeconds: number;
    },
  ) {
    for (const t of privateTokens) this.#privateTokens.set(t.token, new Set(t.scopes));
    this.#client = {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshTokens: new Set(client.refreshTokens),
      scopes: [...client.scopes],
      lifetimeMs: client.lifetimeSeconds * 1000,
    };
  }

  get oauthClientId(): string {
    return this.#client.clientId;
  }

  get accessTokenLifetimeMs(): number {
    return this.#client.lifetimeMs;
  }

  addPrivateAppToken(token: string, scopes: readonly string[]): void {
    this.#privateTokens.set(token, new Set(scopes));
  }

  revoke(token: string): void {
    this.#privateTokens.delete(token);
    this.#access.delete(token);
    this.#client.refreshTokens.delete(token);
  }

  /** Makes every issued access token expire at `now` (control API). */
  expireAccessTokens(now: number): void {
    for (const t of this.#access.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  /** Resolves an `Authorization` header value; throws the 401 HubSpot sends when it cannot. */
  authenticate(header: string | undefined, now: number): AuthPrincipal {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const token = match?.[1];
    if (!token) throw invalidAuthentication();
    const scopes = this.#privateTokens.get(token);
    if (scopes) return { kind: 'private-app', token, scopes, appKey: `private:${token}` };
    const access = this.#access.get(token);
    if (!access) throw invalidAuthentication();
    if (now >= access.expiresAt) {
      const ago = Math.floor((now - access.expiresAt) / 1000);
      throw new SimHttpError(
        401,
        errorBody(
          'EXPIRED_AUTHENTICATION',
          `The OAuth token used to make this call expired ${ago} second(s) ago.`,
          { context: { 'expire time': [new Date(access.expiresAt).toISOString()] } },
        ),
        { 'x-hubspot-auth-failure': '401 Unauthorized' },
      );
    }
    return {
      kind: 'oauth',
      token,
      scopes: new Set(access.scopes),
      appKey: `oauth:${access.clientId}`,
      expiresAt: access.expiresAt,
    };
  }

  /** `grant_type=refresh_token`; returns the token response or throws the 400 HubSpot sends. */
  refresh(form: Record<string, string | undefined>, now: number, portalId: number): Record<string, unknown> {
    const grantType = form['grant_type'];
    if (grantType !== 'refresh_token') {
      throw new SimHttpError(400, {
        status: 'UNSUPPORTED_GRANT_TYPE',
        category: 'UNSUPPORTED_GRANT_TYPE',
        message: `grant_type ${grantType ?? '(missing)'} is not supported by this simulator; use refresh_token`,
        correlationId: '',
      });
    }
    if (form['client_id'] !== this.#client.clientId || form['client_secret'] !== this.#client.clientSecret) {
      throw new SimHttpError(400, {
        status: 'BAD_CLIENT_ID',
        category: 'BAD_CLIENT_ID',
        message: 'missing or unknown client id',
        correlationId: '',
      });
    }
    const refreshToken = form['refresh_token'];
    if (!refreshToken || !this.#client.refreshTokens.has(refreshToken)) {
      throw new SimHttpError(400, {
        status: 'BAD_REFRESH_TOKEN',
        category: 'BAD_REFRESH_TOKEN',
        message: 'missing or invalid refresh token',
        correlationId: '',
      });
    }
    this.#issued++;
    const token = `sim-oat-${this.#issued}-${randomBytes(24).toString('hex')}`;
    this.#access.set(token, {
      token,
      scopes: this.#client.scopes,
      expiresAt: now + this.#client.lifetimeMs,
      clientId: this.#client.clientId,
    });
    return {
      token_type: 'bearer',
      token_use: 'access_token',
      access_token: token,
      refresh_token: refreshToken,
      expires_in: Math.floor(this.#client.lifetimeMs / 1000),
      hub_id: portalId,
      scopes: this.#client.scopes,
    };
  }

  /** `GET /oauth/v1/access-tokens/{token}`; undefined when unknown or expired. */
  accessTokenInfo(token: string, now: number, portalId: number): Record<string, unknown> | undefined {
    const access = this.#access.get(token);
    if (!access || now >= access.expiresAt) return undefined;
    return {
      token,
      user: 'sim-user@example.com',
      hub_domain: `sim-portal-${portalId}.example.com`,
      scopes: access.scopes,
      hub_id: portalId,
      app_id: 1234567,
      expires_in: Math.floor((access.expiresAt - now) / 1000),
      user_id: 7654321,
      token_type: 'access',
    };
  }

  refreshTokenInfo(token: string, portalId: number): Record<string, unknown> | undefined {
    if (!this.#client.refreshTokens.has(token)) return undefined;
    return {
      token,
      user: 'sim-user@example.com',
      hub_domain: `sim-portal-${portalId}.example.com`,
      scopes: this.#client.scopes,
      hub_id: portalId,
      client_id: this.#client.clientId,
      user_id: 7654321,
      token_type: 'refresh',
    };
  }
}

export function invalidAuthentication(): SimHttpError {
  return new SimHttpError(401, errorBody('INVALID_AUTHENTICATION', INVALID_AUTH_MESSAGE), {
    'x-hubspot-auth-failure': '401 Unauthorized',
  });
}

/** 403 when none of `anyOf` is granted (reference §5). */
export function requireScopes(principal: AuthPrincipal, anyOf: readonly string[]): void {
  if (anyOf.length === 0 || anyOf.some((s) => principal.scopes.has(s))) return;
  throw new SimHttpError(
    403,
    errorBody(
      'MISSING_SCOPES',
      "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      {
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: [...anyOf] },
          },
        ],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
      },
    ),
  );
}
