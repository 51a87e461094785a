import type { AuthService } from './auth.js';
import type { HttpAnswer } from './data-routes.js';
import { EpicorHttpError, ERROR_TYPES, unauthorized } from './errors.js';

/**
 * `POST /{instance}/TokenResource.svc/` (Epicor's own bearer tokens, reference §2.3) and
 * `POST /connect/token` (stand-in for the Epicor identity provider, §2.4).
 */

export interface TokenRequest {
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

function header(request: TokenRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function formOf(request: TokenRequest): URLSearchParams {
  const type = header(request, 'content-type') ?? '';
  if (type.includes('json')) {
    try {
      const parsed = JSON.parse(request.body) as unknown;
      if (parsed && typeof parsed === 'object') {
        return new URLSearchParams(
          Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        );
      }
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(request.body);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function handleTokenResource(
  request: TokenRequest,
  auth: AuthService,
  requireApiKey: { apiKeyRequired: boolean },
): HttpAnswer {
  if (request.method !== 'POST') {
    throw new EpicorHttpError(
      405,
      ERROR_TYPES.api,
      `The requested resource does not support http method '${request.method}'.`,
    );
  }
  if (requireApiKey.apiKeyRequired) {
    const key = header(request, 'x-api-key');
    try {
      auth.checkApiKey(key, '');
    } catch {
      throw unauthorized(`Invalid API Key ${key ?? ''}.`);
    }
  }
  const form = formOf(request);
  const candidates: [string | undefined, string | undefined][] = [
    [header(request, 'username'), header(request, 'password')],
    [form.get('username') ?? undefined, form.get('password') ?? undefined],
    [form.get('Username') ?? undefined, form.get('Password') ?? undefined],
  ];
  const authorization = header(request, 'authorization');
  let username: string | undefined;
  if (authorization?.toLowerCase().startsWith('basic '))
    username = auth.checkBasic(authorization.slice(6).trim());
  for (const [user, password] of candidates) {
    if (username) break;
    if (user !== undefined && password !== undefined) username = auth.checkPassword(user, password);
  }
  const grantType = form.get('grant_type');
  if (grantType !== null && grantType !== 'password') {
    throw new EpicorHttpError(400, ERROR_TYPES.api, `Unsupported grant_type ${grantType}.`);
  }
  if (!username) throw unauthorized(auth.messages.invalidCredentials);
  const issued = auth.issueEpicorToken(username);
  const accept = header(request, 'accept') ?? '';
  if (accept.includes('json')) {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ AccessToken: issued.token, ExpiresIn: issued.expiresIn, TokenType: 'Bearer' }),
    };
  }
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
    body:
      '<Token xmlns="http://schemas.datacontract.org/2004/07/Epicor.Ice.Lib.RestApi" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
      `<AccessToken>${escapeXml(issued.token)}</AccessToken><ExpiresIn>${issued.expiresIn}</ExpiresIn><TokenType>Bearer</TokenType></Token>`,
  };
}

function oauthError(status: number, error: string, description: string): HttpAnswer {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ error, error_description: description }),
  };
}

export function handleIdpToken(request: TokenRequest, auth: AuthService): HttpAnswer {
  if (request.method !== 'POST') return oauthError(405, 'invalid_request', 'Use POST.');
  const form = new URLSearchParams(request.body);
  let clientId = form.get('client_id') ?? undefined;
  let clientSecret = form.get('client_secret') ?? undefined;
  const authorization = header(request, 'authorization');
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  const grantType = form.get('grant_type');
  const scope = form.get('scope') ?? 'epicor_erp';
  if (grantType === 'client_credentials') {
    if (!clientId || clientSecret === undefined || !auth.checkClient(clientId, clientSecret)) {
      return oauthError(400, 'invalid_client', 'Unknown client or wrong secret.');
    }
    const issued = auth.issueIdpToken(clientId, scope);
    return tokenAnswer(issued.token, issued.expiresIn, scope);
  }
  if (grantType === 'password') {
    if (!clientId) return oauthError(400, 'invalid_client', 'client_id is required.');
    const username = auth.checkPassword(form.get('username') ?? '', form.get('password') ?? '');
    if (!username) return oauthError(400, 'invalid_grant', 'Invalid username or password.');
    const issued = auth.issueEpicorToken(username);
    return tokenAnswer(issued.token, issued.expiresIn, scope);
  }
  return oauthError(
    400,
    'unsupported_grant_type',
    `grant_type ${grantType ?? '(missing)'} is not supported.`,
  );
}

function tokenAnswer(token: string, expiresIn: number, scope: string): HttpAnswer {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer', scope }),
  };
}
