import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRequestInit, HttpTransport } from '../core/http.js';
import { ManualClock } from '../core/manual-clock.js';
import { EpicorClient } from './client.js';
import type { EpicorError } from './errors.js';
import { parseEpicorSettings } from './settings.js';

/**
 * Retry schedule, 401 handling and error typing, driven by a scripted in-process transport and a
 * ManualClock (no real sleeps). Real HTTP against the simulator is in client.integration.test.ts.
 */

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error;

function scripted(replies: Reply[], fallback: Reply = { status: 200, body: '{"value":[]}' }) {
  const calls: { url: string; init: HttpRequestInit }[] = [];
  const transport: HttpTransport = async (url, init) => {
    calls.push({ url, init });
    const reply = replies.shift() ?? fallback;
    if (reply instanceof Error) throw reply;
    return new Response(reply.body ?? '', { status: reply.status, headers: reply.headers ?? {} });
  };
  return { transport, calls };
}

const API_KEY = 'key-0123456789';
const PASSWORD = 'pw-0123456789';

function client(transport: HttpTransport, clock: ManualClock, auth: Record<string, unknown> = {}) {
  const settings = parseEpicorSettings({
    tenantUrl: 'https://erp.example.com/ERP11PROD',
    company: 'EPIC06',
    apiKey: API_KEY,
    auth: { mode: 'basic', username: 'manager', password: PASSWORD, ...auth },
  });
  return new EpicorClient(settings, { transport, clock, random: () => 0.5 });
}

const epicorError = (status: number, message: string, type = 'Ice.Common.X') =>
  JSON.stringify({
    HttpStatus: status,
    ReasonPhrase: 'REST API Exception',
    ErrorMessage: message,
    ErrorType: type,
    CorrelationId: 'c-1',
  });

async function rejection(promise: Promise<unknown>): Promise<EpicorError> {
  try {
    await promise;
  } catch (error) {
    return error as EpicorError;
  }
  assert.fail('expected a rejection');
}

describe('retries', () => {
  it('retries 5xx, resets and gateway pages with full-jitter exponential backoff', async () => {
    const clock = new ManualClock(0);
    const { transport, calls } = scripted([
      { status: 503, body: 'Service Unavailable' },
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      }),
      { status: 500, body: epicorError(500, 'Internal error') },
      { status: 200, body: '{"value":[{"VendorNum":1}]}' },
    ]);
    const rows = await client(transport, clock).getRows('Erp.BO.VendorSvc/Vendors');
    assert.deepEqual(rows, [{ VendorNum: 1 }]);
    assert.equal(calls.length, 4);
    assert.deepEqual(clock.sleeps, [500, 1_000, 2_000]);
    assert.ok(calls.every((c) => c.init.headers['x-api-key'] === API_KEY));
  });

  it('gives up after maxAttempts with a typed, retryable error', async () => {
    const clock = new ManualClock(0);
    const { transport, calls } = scripted([], { status: 502, body: '<html>Bad Gateway</html>' });
    const error = await rejection(client(transport, clock).getRows('Erp.BO.VendorSvc/Vendors'));
    assert.equal(error.code, 'ERR_EPICOR_HTTP');
    assert.equal(error.status, 502);
    assert.equal(error.attempts, 5);
    assert.equal(error.retryable, true);
    assert.equal(calls.length, 5);
    assert.deepEqual(clock.sleeps, [500, 1_000, 2_000, 4_000]);
  });

  it('waits much longer for license exhaustion, on its own schedule', async () => {
    const clock = new ManualClock(0);
    const license = {
      status: 400,
      body: epicorError(400, 'Maximum users exceeded.', 'Ice.Common.LicenseAccessException'),
    };
    const { transport } = scripted([
      license,
      { status: 503 },
      license,
      { status: 200, body: '{"value":[]}' },
    ]);
    await client(transport, clock).getRows('Erp.BO.VendorSvc/Vendors');
    assert.deepEqual(clock.sleeps, [15_000, 500, 30_000]);
    const { transport: always } = scripted([], license);
    const clock2 = new ManualClock(0);
    const error = await rejection(client(always, clock2).getRows('Erp.BO.VendorSvc/Vendors'));
    assert.equal(error.code, 'ERR_EPICOR_LICENSE');
    assert.equal(error.attempts, 6);
    assert.deepEqual(clock2.sleeps, [15_000, 30_000, 60_000, 120_000, 240_000]);
  });

  it('honours Retry-After within its cap', async () => {
    const clock = new ManualClock(0);
    const { transport } = scripted([{ status: 429, headers: { 'retry-after': '7' } }]);
    await client(transport, clock).getRows('Erp.BO.VendorSvc/Vendors');
    assert.deepEqual(clock.sleeps, [7_000]);
  });

  it('never retries other 4xx', async () => {
    for (const [status, code] of [
      [400, 'ERR_EPICOR_HTTP'],
      [404, 'ERR_EPICOR_NOT_FOUND'],
      [403, 'ERR_EPICOR_ACCESS_DENIED'],
    ] as const) {
      const clock = new ManualClock(0);
      const { transport, calls } = scripted([
        { status, body: epicorError(status, 'nope', 'ODataException') },
      ]);
      const error = await rejection(client(transport, clock).getRows('Erp.BO.VendorSvc/Vendors'));
      assert.equal(error.code, code);
      assert.equal(calls.length, 1);
      assert.deepEqual(clock.sleeps, []);
    }
  });
});

describe('401 handling', () => {
  it('maps each Epicor 401 to its typed error after one request, with no secret in it', async () => {
    const cases = [
      [
        `Invalid API Key ${API_KEY}.\r\nCompany EPIC06.`,
        'ERR_EPICOR_API_KEY',
        /rejected the API key .*check the key/,
      ],
      ['Invalid username or password.', 'ERR_EPICOR_CREDENTIALS', /user name or password/],
      [
        'Access denied (Erp.BO.Vendor.GetRows).',
        'ERR_EPICOR_ACCESS_DENIED',
        /Access denied \(Erp\.BO\.Vendor\.GetRows\)/,
      ],
    ] as const;
    for (const [message, code, pattern] of cases) {
      const clock = new ManualClock(0);
      const { transport, calls } = scripted([], {
        status: 401,
        body: epicorError(401, message, 'System.UnauthorizedAccessException'),
      });
      const error = await rejection(
        client(transport, clock).getRows('Erp.BO.VendorSvc/Vendors', { $top: 1 }),
      );
      assert.equal(error.code, code);
      assert.match(error.message, pattern);
      assert.match(
        error.message,
        /401 from https:\/\/erp\.example\.com\/ERP11PROD\/api\/v2\/odata\/EPIC06\/Erp\.BO\.VendorSvc\/Vendors/,
      );
      assert.equal(error.correlationId, 'c-1');
      assert.equal(error.errorType, 'System.UnauthorizedAccessException');
      assert.equal(calls.length, 1);
      const everything = JSON.stringify({
        message: error.message,
        m: error.errorMessage,
        url: error.url,
        stack: error.stack,
      });
      assert.ok(!everything.includes(API_KEY) && !everything.includes(PASSWORD));
    }
  });

  it('refreshes a bearer token once on an unexplained 401, then gives up without looping', async () => {
    const clock = new ManualClock(0);
    let tokens = 0;
    const calls: string[] = [];
    const transport: HttpTransport = async (url, init) => {
      if (url.endsWith('TokenResource.svc/')) {
        tokens++;
        assert.equal(init.headers['username'], 'manager');
        return new Response(
          JSON.stringify({ AccessToken: `tok-${tokens}-abcdef`, ExpiresIn: 3600, TokenType: 'Bearer' }),
        );
      }
      calls.push(init.headers['authorization'] ?? '');
      return new Response(epicorError(401, 'Token has expired.'), { status: 401 });
    };
    const c = client(transport, clock, { mode: 'tokenResource' });
    const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors'));
    assert.equal(error.code, 'ERR_EPICOR_UNAUTHORIZED');
    assert.deepEqual(calls, ['Bearer tok-1-abcdef', 'Bearer tok-2-abcdef']);
    assert.equal(tokens, 2);
    assert.ok(!error.message.includes('tok-2-abcdef'));
  });

  it('shares one token refresh among concurrent requests', async () => {
    const clock = new ManualClock(0);
    let tokens = 0;
    let current = '';
    const transport: HttpTransport = async (url, init) => {
      if (url.endsWith('TokenResource.svc/')) {
        tokens++;
        current = `tok-${tokens}-abcdef`;
        await new Promise((resolve) => setImmediate(resolve));
        return new Response(JSON.stringify({ AccessToken: current, ExpiresIn: 3600 }));
      }
      await new Promise((resolve) => setImmediate(resolve));
      return init.headers['authorization'] === `Bearer ${current}` && tokens > 1
        ? new Response('{"value":[]}')
        : new Response(epicorError(401, 'Token has expired.'), { status: 401 });
    };
    const c = client(transport, clock, { mode: 'tokenResource' });
    await Promise.all(Array.from({ length: 8 }, () => c.getRows('Erp.BO.VendorSvc/Vendors')));
    assert.equal(tokens, 2);
  });

  it('reports token endpoint refusals as credential errors', async () => {
    const clock = new ManualClock(0);
    const { transport, calls } = scripted([], {
      status: 400,
      body: JSON.stringify({ error: 'invalid_client', error_description: 'Unknown client' }),
    });
    const c = client(transport, clock, {
      mode: 'oauth2',
      tokenUrl: 'https://login.example.com/connect/token',
      clientId: 'cid',
      clientSecret: 'client-secret-xyz',
    });
    const error = await rejection(c.getRows('Erp.BO.VendorSvc/Vendors'));
    assert.equal(error.code, 'ERR_EPICOR_CREDENTIALS');
    assert.match(error.message, /client id, client secret and scope/);
    assert.equal(calls.length, 1);
    assert.ok(!error.message.includes('client-secret-xyz'));
    assert.equal(
      calls[0]?.init.body,
      'grant_type=client_credentials&scope=epicor_erp&client_id=cid&client_secret=client-secret-xyz',
    );
  });
});
