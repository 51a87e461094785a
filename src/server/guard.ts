/**
 * Authentication and CSRF rules, as fastify hooks.
 *
 * - Public: `/healthz`, `/readyz`, `/login`, `/assets/*`. Everything else needs the token (Bearer, Basic
 *   password, or the session cookie set by the login form).
 * - Unsafe methods (POST): a request from another site (`Sec-Fetch-Site: cross-site|same-site`) is refused.
 *   Browser-borne credentials (the session cookie, and Basic, which browsers replay on their own) must also
 *   carry the CSRF token (`_csrf` form field or `x-csrf-token` header), unless a Basic request is JSON
 *   (`Content-Type: application/json` cannot be sent cross-site without a CORS preflight, which this server
 *   never grants). A Bearer header is never sent by a browser on its own, so it needs neither.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Authenticator, type AuthMethod, SESSION_COOKIE } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    authMethod: AuthMethod | undefined;
  }
}

const PUBLIC = new Set(['/healthz', '/readyz', '/login']);

export function isPublicPath(path: string): boolean {
  return PUBLIC.has(path) || path.startsWith('/assets/');
}

function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

export function installGuard(app: FastifyInstance, auth: Authenticator): void {
  app.decorateRequest('authMethod', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    if (isPublicPath(path)) return;
    const method = auth.authenticate(request.headers.authorization, request.cookies[SESSION_COOKIE]);
    if (method === undefined) {
      if (request.method === 'GET' && wantsHtml(request)) {
        const next = path === '/' ? '' : `?next=${encodeURIComponent(request.url)}`;
        return reply.redirect(`/login${next}`, 303);
      }
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="ml-connector"')
        .send({
          error: { code: 'ERR_UNAUTHORIZED', message: 'Send the API token: Authorization: Bearer <token>' },
        });
    }
    request.authMethod = method;
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      return reply
        .code(403)
        .send({ error: { code: 'ERR_CSRF', message: 'Cross-site requests are refused' } });
    }
    const method = request.authMethod;
    if (method === 'bearer' || method === undefined) return; // undefined: public route (login has its own check)
    const json = (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
    if (method === 'basic' && json) return;
    // csrfProtection is synchronous: it calls back when the token is valid, or answers 403 itself.
    let valid = false;
    app.csrfProtection(request, reply, () => {
      valid = true;
    });
    if (!valid) return reply;
  });
}
