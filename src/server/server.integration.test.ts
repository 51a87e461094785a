import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.js';
import { type HttpServer, startHttpServer } from './server.js';
import { FakeBackend } from './testing/fake-backend.js';

const TOKEN = 'test-token-0123456789-abcdefghij';
const LABEL = 'Acme "Best" <Tools> & Co 🚀';

/** A tiny cookie jar over fetch (the server is real, on 127.0.0.1, port 0). */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly setCookieHeaders: string[] = [];
  constructor(readonly base: string) {}
  async fetch(
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(this.base + path, {
      redirect: 'manual',
      ...init,
      headers: { accept: 'text/html', ...(cookie === '' ? {} : { cookie }), ...init.headers },
    });
    for (const header of response.headers.getSetCookie()) {
      this.setCookieHeaders.push(header);
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
  form(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  assert.ok(match?.[1], 'the page carries a CSRF token');
  return match[1];
}

describe('HTTP server', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 10), { auto: false });
  const backend = new FakeBackend(LABEL);
  let server: HttpServer;
  const bearer = { authorization: `Bearer ${TOKEN}` };
  const basic = { authorization: `Basic ${Buffer.from(`ml-connector:${TOKEN}`).toString('base64')}` };

  before(async () => {
    server = await startHttpServer({
      backend,
      metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', text: async () => 'up 1\n' },
      token: TOKEN,
      clock,
      port: 0,
    });
  });
  after(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, { headers, redirect: 'manual' });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      redirect: 'manual',
    });

  it('binds to 127.0.0.1 by default', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers the health checks without a token', async () => {
    const health = await get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    assert.equal((await get('/readyz')).status, 200);
    backend.ready = { store: false, scheduler: true };
    const notReady = await get('/readyz');
    assert.equal(notReady.status, 503);
    assert.deepEqual(await notReady.json(), { status: 'not ready', store: false, scheduler: true });
    backend.ready = { store: true, scheduler: true };
  });

  it('rejects every other route without the token, or with a wrong one', async () => {
    const before = backend.calls.length;
    for (const path of [
      '/metrics',
      '/api/connections',
      '/api/runs',
      '/api/audit',
      '/api/live',
      '/api/failures',
    ]) {
      const res = await get(path, { accept: 'application/json' });
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal((await get(path, { authorization: 'Bearer wrong-token-wrong-token' })).status, 401, path);
    }
    for (const path of ['/api/connections/epic06/sync', '/api/connections/epic06/replay', '/api/reload']) {
      assert.equal((await post(path, {})).status, 401, path);
      assert.equal(
        (await post(path, {}, { authorization: `Basic ${btoa('x:nope-nope-nope')}` })).status,
        401,
      );
    }
    assert.equal(backend.calls.length, before, 'no action reached the backend');
    const page = await get('/', { accept: 'text/html' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login');
  });

  it('serves the API and metrics with a Bearer token or Basic auth', async () => {
    const list = await get('/api/connections', bearer);
    assert.equal(list.status, 200);
    const body = (await list.json()) as { connections: { id: string; name: string }[] };
    assert.equal(body.connections[0]?.name, LABEL);
    assert.equal((await get('/api/connections/epic06', basic)).status, 200);
    assert.equal((await get('/api/connections/nope', bearer)).status, 404);
    const metrics = await get('/metrics', bearer);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(await metrics.text(), 'up 1\n');
    const run = (await (await get('/api/runs/1', bearer)).json()) as { run: { batches: unknown[] } };
    assert.equal(run.run.batches.length, 1);
    const failures = (await (await get('/api/failures?connection=epic06', bearer)).json()) as {
      failures: { records: unknown[] }[];
    };
    assert.equal(failures.failures[0]?.records.length, 1);
    const audit = (await (
      await get(`/api/audit?label=${encodeURIComponent('best')}&action=failed`, bearer)
    ).json()) as {
      rows: { sourceId: string }[];
    };
    assert.deepEqual(
      audit.rows.map((r) => r.sourceId),
      ['EPIC06:vendor:7'],
    );
  });

  it('validates every input and performs actions', async () => {
    const started = await post('/api/connections/epic06/sync', undefined, bearer);
    assert.equal(started.status, 202);
    assert.deepEqual(await started.json(), { connectionId: 'epic06', outcome: 'started' });
    const replay = await post('/api/connections/epic06/replay', { batchId: '3' }, bearer);
    assert.equal(replay.status, 202);
    assert.deepEqual(backend.calls.at(-1), {
      action: 'replay',
      connectionId: 'epic06',
      target: { batchId: '3' },
    });
    assert.equal((await post('/api/connections/epic06/replay', { allFailed: true }, bearer)).status, 202);
    assert.equal((await post('/api/connections/epic06/pause', {}, bearer)).status, 200);
    assert.equal((await post('/api/connections/other/sync', {}, bearer)).status, 404);

    const calls = backend.calls.length;
    for (const [path, body] of [
      ['/api/connections/EPIC06%3Cx%3E/sync', {}],
      ['/api/connections/epic06/replay', { batchId: 'abc' }],
      ['/api/connections/epic06/replay', { batchId: '3', runId: '1' }],
      ['/api/connections/epic06/replay', {}],
      ['/api/connections/epic06/sync', { extra: 1 }],
    ] as const) {
      const res = await post(path, body, bearer);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
      const error = (await res.json()) as { error: { code: string; issues: unknown[] } };
      assert.equal(error.error.code, 'ERR_VALIDATION');
      assert.ok(error.error.issues.length > 0);
    }
    const badJson = await fetch(`${server.url}/api/connections/epic06/sync`, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.equal(badJson.status, 400);
    assert.equal((await get('/api/runs?limit=100000', bearer)).status, 400);
    assert.equal((await get('/api/audit?action=deleted', bearer)).status, 400);
    assert.equal((await get('/api/audit?cursor=zzz', bearer)).status, 400);
    assert.equal(backend.calls.length, calls, 'invalid requests never reach the backend');
  });

  it('refuses cross-site posts and form posts authenticated by Basic without a CSRF token', async () => {
    const calls = backend.calls.length;
    const crossSite = await post(
      '/api/connections/epic06/sync',
      {},
      { ...bearer, 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(crossSite.status, 403);
    const basicForm = await fetch(`${server.url}/api/connections/epic06/sync`, {
      method: 'POST',
      headers: { ...basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    assert.equal(basicForm.status, 403);
    assert.equal(backend.calls.length, calls);
    assert.equal(
      (await post('/api/connections/epic06/sync', {}, basic)).status,
      202,
      'Basic with JSON is fine',
    );
  });

  it('manages connections behind the token and the CSRF rules, with validated inputs', async () => {
    const calls = backend.calls.length;
    const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(server.url + path, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    for (const [method, path] of [
      ['POST', '/api/connections'],
      ['PUT', '/api/connections/epic06'],
      ['DELETE', '/api/connections/epic06'],
    ] as const) {
      assert.equal((await send(method, path, method === 'DELETE' ? undefined : { id: 'x' })).status, 401);
      const crossSite = await send(method, path, method === 'DELETE' ? undefined : { id: 'x' }, {
        ...bearer,
        'sec-fetch-site': 'cross-site',
      });
      assert.equal(crossSite.status, 403, `${method} ${path} cross-site`);
    }
    assert.equal(backend.calls.length, calls, 'nothing reached the backend');

    const added = await send('POST', '/api/connections', { id: 'second', epicor: {} }, bearer);
    assert.equal(added.status, 201);
    assert.equal(((await added.json()) as { change: string }).change, 'added');
    assert.equal((await send('POST', '/api/connections', { id: 'epic06' }, bearer)).status, 409);
    const invalid = await send('POST', '/api/connections', { id: 'invalid' }, bearer);
    assert.equal(invalid.status, 422);
    const problem = (await invalid.json()) as { error: { code: string; issues: string[] } };
    assert.equal(problem.error.code, 'ERR_CONFIG');
    assert.deepEqual(problem.error.issues, [
      'connections[1].epicor.company: Required',
      'connections[1].colour: unknown key',
    ]);
    assert.equal((await send('POST', '/api/connections', ['not', 'an', 'object'], bearer)).status, 400);
    assert.equal((await send('PUT', '/api/connections/epic06', { name: 'x' }, bearer)).status, 200);
    assert.equal((await send('PUT', '/api/connections/nope', { name: 'x' }, bearer)).status, 404);
    assert.equal((await send('PUT', '/api/connections/Bad%20Id', {}, bearer)).status, 400);
    const removed = await send('DELETE', '/api/connections/epic06', undefined, bearer);
    assert.equal(removed.status, 200);
    assert.equal(((await removed.json()) as { change: string }).change, 'removed');
    assert.equal((await send('DELETE', '/api/connections/nope', undefined, bearer)).status, 404);
    assert.deepEqual(
      backend.calls.slice(calls).map((c) => `${c.action}:${c.connectionId}`),
      [
        'add:second',
        'add:epic06',
        'add:invalid',
        'replace:epic06',
        'replace:nope',
        'remove:epic06',
        'remove:nope',
      ],
    );
  });

  it('removes with ?purge=true behind the same token and CSRF rules, and validates the flag', async () => {
    const calls = backend.calls.length;
    const del = (path: string, headers: Record<string, string>) =>
      fetch(server.url + path, { method: 'DELETE', headers, redirect: 'manual' });
    assert.equal((await del('/api/connections/epic06?purge=true', {})).status, 401);
    assert.equal(
      (await del('/api/connections/epic06?purge=true', { ...bearer, 'sec-fetch-site': 'cross-site' })).status,
      403,
    );
    // Basic credentials are replayed by browsers: without JSON or a CSRF token the request is refused.
    const noCsrf = await del('/api/connections/epic06?purge=true', basic);
    assert.equal(noCsrf.status, 403);
    assert.equal(((await noCsrf.json()) as { error: { code: string } }).error.code, 'ERR_CSRF');
    for (const bad of ['maybe', '', 'TRUE']) {
      const refused = await del(`/api/connections/epic06?purge=${bad}`, bearer);
      assert.equal(refused.status, 400, `purge=${bad}`);
    }
    assert.equal((await del('/api/connections/epic06?purge=true&force=1', bearer)).status, 400);
    assert.equal(backend.calls.length, calls, 'nothing reached the backend');

    const purged = await del('/api/connections/epic06?purge=true', bearer);
    assert.equal(purged.status, 200);
    assert.deepEqual((await purged.json()) as Record<string, unknown>, {
      connectionId: 'epic06',
      change: 'removed',
      reload: { added: [], updated: [], removed: ['epic06'], unchanged: [] },
      removedFromConfig: true,
      purged: true,
    });
    assert.equal((await del('/api/connections/epic06?purge=false', bearer)).status, 200);
    assert.equal(
      (await del('/api/connections/epic06?purge=1', { ...basic, 'content-type': 'application/json' })).status,
      200,
      'Basic with a JSON content type needs no CSRF token (it cannot come cross-site without a preflight)',
    );
    assert.equal((await del('/api/connections/nope?purge=true', bearer)).status, 404);
    assert.deepEqual(
      backend.calls.slice(calls).map((c) => `${c.action}:${c.connectionId}`),
      ['remove+purge:epic06', 'remove:epic06', 'remove+purge:epic06', 'remove+purge:nope'],
    );
  });

  it('logs a browser in with a session cookie and never sends the token to it', async () => {
    const browser = new Browser(server.url);
    const loginPage = await browser.fetch('/login');
    assert.equal(loginPage.status, 200);
    const loginHtml = await loginPage.text();
    const csrf = csrfOf(loginHtml);

    const noCsrf = await browser.form('/login', { token: TOKEN });
    assert.equal(noCsrf.status, 403);
    const wrong = await browser.form('/login', { token: 'not-the-token-at-all', _csrf: csrf });
    assert.equal(wrong.status, 401);
    assert.equal(browser.cookies.has('mlc_session'), false);

    const ok = await browser.form('/login', { token: TOKEN, _csrf: csrf, next: '//evil.example/' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/', 'an off-site "next" is ignored');
    const session = browser.setCookieHeaders.find((h) => h.startsWith('mlc_session='));
    assert.ok(session);
    assert.match(session, /HttpOnly/i);
    assert.match(session, /SameSite=Strict/i);
    assert.doesNotMatch(session, new RegExp(TOKEN));

    const home = await browser.fetch('/');
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const page = await home.text();
    assert.ok(page.includes('Acme &quot;Best&quot; &lt;Tools&gt; &amp; Co 🚀'), 'the name is escaped');
    assert.ok(!page.includes('<Tools>'), 'no raw markup from data');
    assert.ok(!page.includes(TOKEN), 'the token is not in the page');
    for (const path of [
      '/connections/epic06',
      '/runs/1',
      '/failures',
      `/audit?q=${encodeURIComponent('<Tools>')}`,
    ]) {
      const res = await browser.fetch(path);
      assert.equal(res.status, 200, path);
      const text = await res.text();
      assert.ok(!text.includes('<Tools>'), `${path} escapes`);
      assert.ok(!text.includes(TOKEN), `${path} has no token`);
    }
    const audit = await (await browser.fetch('/audit?q=EPIC06%3Avendor%3A7')).text();
    assert.match(audit, /data-testid="audit-row"/);
    assert.equal((await browser.fetch('/connections/nope')).status, 404);
    assert.equal((await browser.fetch('/api/live', { headers: { accept: 'application/json' } })).status, 200);

    // Actions from the browser need the CSRF token.
    const calls = backend.calls.length;
    const forged = await browser.form('/connections/epic06/sync', {});
    assert.equal(forged.status, 403);
    const forgedApi = await browser.fetch('/api/connections/epic06/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(forgedApi.status, 403, 'a session cookie alone cannot call the API');
    assert.equal(backend.calls.length, calls);
    const pageCsrf = csrfOf(page);
    const replay = await browser.form('/connections/epic06/replay', {
      target: 'batch',
      id: '3',
      _csrf: pageCsrf,
    });
    assert.equal(replay.status, 303);
    assert.equal(replay.headers.get('location'), '/connections/epic06?notice=started');
    assert.deepEqual(backend.calls.at(-1), {
      action: 'replay',
      connectionId: 'epic06',
      target: { batchId: '3' },
    });
    const bad = await browser.form('/connections/epic06/replay', {
      target: 'batch',
      id: 'x',
      _csrf: pageCsrf,
    });
    assert.equal(bad.status, 400);
    const notice = await (await browser.fetch('/connections/epic06?notice=%3Cscript%3E')).text();
    assert.ok(!notice.includes('<script>'), 'unknown notices are not reflected');

    const out = await browser.form('/logout', { _csrf: pageCsrf });
    assert.equal(out.status, 303);
    assert.equal(browser.cookies.has('mlc_session'), false);
    const session2 = session.split(';')[0] ?? '';
    const replayed = await fetch(`${server.url}/api/live`, { headers: { cookie: session2 } });
    assert.equal(replayed.status, 401, 'a logged-out session is dead');
  });

  it('expires sessions', async () => {
    const browser = new Browser(server.url);
    const csrf = csrfOf(await (await browser.fetch('/login')).text());
    await browser.form('/login', { token: TOKEN, _csrf: csrf });
    assert.equal((await browser.fetch('/api/live')).status, 200);
    await clock.advance(13 * 3_600_000);
    assert.equal((await browser.fetch('/api/live', { headers: { accept: 'application/json' } })).status, 401);
  });
});
