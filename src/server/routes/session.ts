/** Browser login/logout: the token is typed into a form once; the browser then holds only a session cookie. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Authenticator, type LoginThrottle, SESSION_COOKIE } from '../auth.js';
import { loginPage } from '../dashboard/layout.js';
import { loginForm } from '../schemas.js';
import { parseInput } from '../validate.js';

/** Only same-site paths may be a post-login destination (no `//host`, no scheme). */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

export function registerSessionRoutes(
  app: FastifyInstance,
  auth: Authenticator,
  throttle: LoginThrottle,
  secureCookies: boolean,
): void {
  const page = (reply: FastifyReply, status: number, options: { error?: string; next?: string }) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(loginPage(reply.generateCsrf(), options).toString());

  app.get('/login', async (request, reply) => {
    const next = (request.query as { next?: unknown } | undefined)?.next;
    return page(reply, 200, typeof next === 'string' && next.length <= 500 ? { next: safeNext(next) } : {});
  });

  app.post('/login', async (request, reply) => {
    let valid = false;
    app.csrfProtection(request, reply, () => {
      valid = true;
    });
    if (!valid) return reply;
    const form = parseInput(loginForm, request.body, 'form');
    const next = safeNext(form.next);
    if (throttle.blocked()) {
      return page(reply, 429, { error: 'Too many failed attempts; wait a minute and try again.', next });
    }
    if (!auth.checkToken(form.token.trim())) {
      throttle.fail();
      return page(reply, 401, { error: 'That is not the API token.', next });
    }
    reply.setCookie(SESSION_COOKIE, auth.issueSession(), {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookies,
      maxAge: Math.floor(auth.sessionTtlMs / 1000),
    });
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie !== undefined) auth.revokeSession(cookie);
    reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookies,
    });
    return reply.redirect('/login', 303);
  });
}
