import { notFoundError } from '../errors.js';
import type { RouteContext, RouteResult, SimRoute } from '../route-types.js';

function formOf(body: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) out[k] = typeof v === 'string' ? v : undefined;
  }
  return out;
}

function token(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  return { status: 200, body: state.tokens.refresh(formOf(ctx.body), state.now(), state.settings.portalId) };
}

function accessTokenInfo(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const info = state.tokens.accessTokenInfo(ctx.params['token'] ?? '', state.now(), state.settings.portalId);
  if (!info) throw notFoundError('Access token not found or expired.');
  return { status: 200, body: info };
}

function refreshTokenInfo(ctx: RouteContext): RouteResult {
  const { state } = ctx;
  const info = state.tokens.refreshTokenInfo(ctx.params['token'] ?? '', state.settings.portalId);
  if (!info) throw notFoundError('Refresh token not found.');
  return { status: 200, body: info };
}

export const oauthRoutes: SimRoute[] = [
  { method: 'POST', url: '/oauth/v1/token', auth: 'none', rate: 'none', handler: token },
  {
    method: 'GET',
    url: '/oauth/v1/access-tokens/:token',
    auth: 'none',
    rate: 'none',
    handler: accessTokenInfo,
  },
  {
    method: 'GET',
    url: '/oauth/v1/refresh-tokens/:token',
    auth: 'none',
    rate: 'none',
    handler: refreshTokenInfo,
  },
];
