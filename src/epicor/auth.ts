import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Redactor } from '../core/redact.js';
import { EpicorResponseError } from './errors.js';
import type { AuthProvider, EpicorRequester } from './requester.js';
import type { EpicorAuthSettings, EpicorSettings } from './settings.js';
import { type IssuedToken, TokenCache } from './token-cache.js';
import { displayUrl, normaliseBaseUrl } from './urls.js';

/**
 * The three ways to prove the user's identity (the API key is added separately, on every request):
 * Basic, Epicor's TokenResource.svc bearer token, and OAuth2 client credentials.
 */

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function createAuthProvider(
  settings: EpicorSettings,
  tenantUrl: string,
  requester: EpicorRequester,
  clock: Clock,
  redactor: Redactor,
): AuthProvider & { readonly tokenCache?: TokenCache } {
  const auth: EpicorAuthSettings = settings.auth;
  switch (auth.mode) {
    case 'basic': {
      const header = basic(auth.username, auth.password);
      return { mode: 'basic', authorization: async () => ({ header }), invalidate: () => {} };
    }
    case 'tokenResource':
    case 'oauth2': {
      const fetchToken =
        auth.mode === 'tokenResource'
          ? () => fetchTokenResource(auth, tenantUrl, requester)
          : () => fetchOAuth2(auth, settings.allowInsecureHttp, requester);
      const cache = new TokenCache(
        async () => {
          const issued = await fetchToken();
          redactor.add(issued.accessToken);
          return issued;
        },
        clock,
        settings.tokenRefreshSkewSeconds * 1000,
      );
      return {
        mode: auth.mode,
        tokenCache: cache,
        authorization: async () => {
          const token = await cache.get();
          return { header: `Bearer ${token}`, token };
        },
        invalidate: (token) => cache.invalidate(token),
      };
    }
  }
}

const seconds = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number),
]);

/** `{"AccessToken","ExpiresIn","TokenType"}` (field casing varies a little between releases). */
const epicorTokenBody = z.looseObject({ AccessToken: z.string().min(1), ExpiresIn: seconds.optional() });
const oauthTokenBody = z.looseObject({ access_token: z.string().min(1), expires_in: seconds.optional() });

/** Used when a token endpoint states no lifetime: the 3600 s observed live on Kinetic 2026.1. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

async function fetchTokenResource(
  auth: Extract<EpicorAuthSettings, { mode: 'tokenResource' }>,
  tenantUrl: string,
  requester: EpicorRequester,
): Promise<IssuedToken> {
  const url = `${tenantUrl}/${auth.tokenPath.replace(/^\/+/, '')}`;
  const headers: Record<string, string> = {};
  let body: string | undefined = '';
  switch (auth.requestStyle) {
    case 'headers':
      headers['username'] = auth.username;
      headers['password'] = auth.password;
      break;
    case 'basic':
      headers['authorization'] = basic(auth.username, auth.password);
      break;
    case 'form-password-grant':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({
        grant_type: 'password',
        username: auth.username,
        password: auth.password,
      }).toString();
      break;
    case 'form-credentials':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ Username: auth.username, Password: auth.password }).toString();
      break;
  }
  const response = await requester.send({
    url,
    method: 'POST',
    headers,
    body,
    authenticate: false,
    apiKey: auth.sendApiKey,
    purpose: 'tokenResource',
  });
  return readToken(response.text, url);
}

async function fetchOAuth2(
  auth: Extract<EpicorAuthSettings, { mode: 'oauth2' }>,
  allowInsecureHttp: boolean,
  requester: EpicorRequester,
): Promise<IssuedToken> {
  const url = normaliseBaseUrl(auth.tokenUrl, 'auth.tokenUrl', allowInsecureHttp);
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope !== '') form.set('scope', auth.scope);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth.clientAuth === 'basic') {
    headers['authorization'] = basic(
      encodeURIComponent(auth.clientId),
      encodeURIComponent(auth.clientSecret),
    );
  } else {
    form.set('client_id', auth.clientId);
    form.set('client_secret', auth.clientSecret);
  }
  const response = await requester.send({
    url,
    method: 'POST',
    headers,
    body: form.toString(),
    authenticate: false,
    apiKey: false,
    purpose: 'oauth2',
  });
  return readToken(response.text, url);
}

function readToken(text: string, url: string): IssuedToken {
  let json: unknown;
  const xml = /<AccessToken>([^<]+)<\/AccessToken>/i.exec(text);
  if (xml?.[1]) {
    const expires = /<ExpiresIn>(\d+)<\/ExpiresIn>/i.exec(text)?.[1];
    return {
      accessToken: xml[1],
      expiresInSeconds: expires ? Number(expires) : DEFAULT_TOKEN_LIFETIME_SECONDS,
    };
  }
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EpicorResponseError(
      `The token endpoint ${displayUrl(url)} did not answer with JSON`,
      { url },
      error,
    );
  }
  const epicor = epicorTokenBody.safeParse(json);
  if (epicor.success) {
    return {
      accessToken: epicor.data.AccessToken,
      expiresInSeconds: epicor.data.ExpiresIn ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    };
  }
  const oauth = oauthTokenBody.safeParse(json);
  if (oauth.success) {
    return {
      accessToken: oauth.data.access_token,
      expiresInSeconds: oauth.data.expires_in ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    };
  }
  throw new EpicorResponseError(`The token endpoint ${displayUrl(url)} answered without an access token`, {
    url,
  });
}
