import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fetchTransport } from '../../core/http.js';
import { ManualClock } from '../../core/manual-clock.js';
import { seededRandom } from '../../core/random.js';
import { Redactor } from '../../core/redact.js';
import { InMemoryLeaseStore } from '../in-memory-lease-store.js';
import { Scheduler } from '../scheduler.js';
import type { Alert } from './alert.js';
import { Alerter } from './alerter.js';
import { alertsConfigSchema } from './config.js';
import { createWebhookAlerter } from './create.js';
import { buildPayload } from './payload.js';
import { WebhookNotifier } from './webhook.js';

const T0 = Date.UTC(2026, 0, 1, 8);
const SECRET = 'pat-na1-11111111-2222-3333-4444-555555555555';

/** A webhook receiver on loopback that answers with scripted statuses (then 200) and keeps every body. */
class WebhookServer {
  readonly received: { path: string; contentType: string | undefined; body: unknown }[] = [];
  script: { status: number; headers?: Record<string, string> }[] = [];
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        raw += chunk;
      });
      req.on('end', () => {
        this.received.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body: JSON.parse(raw) as unknown,
        });
        const next = this.script.shift() ?? { status: 200 };
        res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.status === 200 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/services/T000/B000/${SECRET}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}

function body<T>(server: WebhookServer, index: number): T {
  const received = server.received[index];
  assert.ok(received, `webhook call #${index} was made`);
  return received.body as T;
}

const sampleAlert: Alert = {
  kind: 'run-failed',
  connectionId: 'EPIC06',
  title: 'ml-connector: sync of "EPIC06" failed',
  text: 'Epicor answered 503 <Service Unavailable> & gave up',
  facts: [{ name: 'Connection', value: 'EPIC06' }],
  link: 'https://connector.example/connections/EPIC06',
  occurredAt: T0,
};

describe('webhook payloads', () => {
  it('Slack: mrkdwn text with escaped control characters and a link', () => {
    assert.deepEqual(buildPayload(sampleAlert, 'slack'), {
      text:
        '*ml-connector: sync of "EPIC06" failed*\n' +
        'Epicor answered 503 &lt;Service Unavailable&gt; &amp; gave up\n' +
        '<https://connector.example/connections/EPIC06|Open in the dashboard>',
    });
  });

  it('Teams: a MessageCard with facts and an OpenUri action', () => {
    assert.deepEqual(buildPayload(sampleAlert, 'teams'), {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: 'ml-connector: sync of "EPIC06" failed',
      themeColor: 'D13438',
      title: 'ml-connector: sync of "EPIC06" failed',
      text: 'Epicor answered 503 <Service Unavailable> & gave up',
      sections: [{ facts: [{ name: 'Connection', value: 'EPIC06' }] }],
      potentialAction: [
        {
          '@type': 'OpenUri',
          name: 'Open in the dashboard',
          targets: [{ os: 'default', uri: 'https://connector.example/connections/EPIC06' }],
        },
      ],
    });
  });

  it('generic: the alert as JSON, without a link when none is configured', () => {
    const { link: _link, ...withoutLink } = sampleAlert;
    assert.deepEqual(buildPayload(withoutLink, 'generic'), {
      source: 'ml-connector',
      kind: 'run-failed',
      connectionId: 'EPIC06',
      title: 'ml-connector: sync of "EPIC06" failed',
      text: 'Epicor answered 503 <Service Unavailable> & gave up',
      facts: [{ name: 'Connection', value: 'EPIC06' }],
      link: null,
      occurredAt: '2026-01-01T08:00:00.000Z',
    });
  });
});

describe('alerts over a real webhook (loopback)', () => {
  const server = new WebhookServer();
  let clock: ManualClock;
  before(() => server.start());
  after(() => server.close());
  beforeEach(() => {
    server.received.length = 0;
    server.script = [];
    clock = new ManualClock(T0, { auto: true });
  });

  const notifier = (format: 'slack' | 'teams' | 'generic' = 'slack', url = server.url) =>
    new WebhookNotifier({ url, format, transport: fetchTransport, clock, random: seededRandom(7) });

  it('a failed run posts one Slack alert with a dashboard link and no secrets', async () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const alerter = new Alerter({
      sink: notifier(),
      clock,
      redactor,
      dashboardUrl: 'https://connector.example/',
    });
    await alerter.runFailed(
      'EPIC06',
      new Error(
        `HubSpot 401 with token ${SECRET} calling https://user:pw@epicor.example/api?api-key=abc123 (Bearer abcdefghijklmnop)`,
      ),
    );
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0]?.contentType, 'application/json');
    const { text } = body<{ text: string }>(server, 0);
    assert.match(text, /^\*ml-connector: sync of "EPIC06" failed\*\nHubSpot 401 with token \*\*\*/);
    assert.match(text, /<https:\/\/connector\.example\/connections\/EPIC06\|Open in the dashboard>$/);
    const raw = JSON.stringify(server.received[0]?.body);
    for (const secret of [SECRET, 'pw@', 'abc123', 'abcdefghijklmnop'])
      assert.ok(!raw.includes(secret), secret);
  });

  it('deduplicates the same failure within the window and alerts again after it', async () => {
    const alerter = new Alerter({ sink: notifier('generic'), clock, dedupeWindowMs: 60 * 60_000 });
    await alerter.runFailed('EPIC06', new Error('Epicor timed out after 3 attempts'));
    clock.advance(10 * 60_000);
    await alerter.runFailed('EPIC06', new Error('Epicor timed out after 4 attempts')); // same failure
    await alerter.runFinished('EPIC06', { status: 'failed', error: 'Epicor timed out after 5 attempts' });
    await alerter.runFailed('OTHER', new Error('Epicor timed out after 3 attempts')); // other connection
    await alerter.runFailed('EPIC06', new Error('mapping config is invalid')); // other failure
    assert.equal(server.received.length, 3);
    clock.advance(50 * 60_000);
    await alerter.runFailed('EPIC06', new Error('Epicor timed out after 3 attempts'));
    assert.equal(server.received.length, 4, 'window elapsed');
  });

  it('alerts once a record has failed in N consecutive runs, listing it once per window', async () => {
    const alerter = new Alerter({ sink: notifier('teams'), clock, consecutiveFailures: 3 });
    const run = (failed: string[]) =>
      alerter.runFinished('EPIC06', { status: 'partial', failedSourceIds: failed });
    await run(['EPIC06:vendor:1', 'EPIC06:vendor:2']);
    await run(['EPIC06:vendor:1', 'EPIC06:vendor:2']);
    assert.equal(server.received.length, 0, 'two runs are not enough');
    await run(['EPIC06:vendor:1']); // vendor:1 reaches 3; vendor:2 recovered, its streak resets
    assert.equal(server.received.length, 1);
    const card = body<{ title: string; text: string; themeColor: string }>(server, 0);
    assert.equal(card.title, 'ml-connector: 1 record of "EPIC06" keep failing');
    assert.equal(card.text, 'Failed in 3 or more consecutive runs: EPIC06:vendor:1');
    assert.equal(card.themeColor, 'FFB900');
    await run(['EPIC06:vendor:1', 'EPIC06:vendor:2']); // vendor:1 deduplicated; vendor:2 at 1
    await alerter.runFinished('EPIC06', { status: 'cancelled', failedSourceIds: [] }); // resets nothing
    await run(['EPIC06:vendor:1', 'EPIC06:vendor:2']); // vendor:2 at 2
    assert.equal(server.received.length, 1);
    await run(['EPIC06:vendor:1', 'EPIC06:vendor:2']); // vendor:2 reaches 3
    assert.equal(server.received.length, 2);
    assert.equal(
      body<{ text: string }>(server, 1).text,
      'Failed in 3 or more consecutive runs: EPIC06:vendor:2',
    );
  });

  it('asks a FailureHistory port when one is given', async () => {
    const asked: string[] = [];
    const alerter = new Alerter({
      sink: notifier('generic'),
      clock,
      consecutiveFailures: 5,
      history: {
        consecutiveFailures: async (connectionId, sourceId) => {
          asked.push(`${connectionId}/${sourceId}`);
          return sourceId.endsWith(':9') ? 7 : 1;
        },
      },
    });
    await alerter.runFinished('EPIC06', {
      status: 'partial',
      failedSourceIds: ['EPIC06:customer:9', 'EPIC06:customer:8'],
    });
    assert.deepEqual(asked, ['EPIC06/EPIC06:customer:9', 'EPIC06/EPIC06:customer:8']);
    assert.equal(server.received.length, 1);
    assert.equal(body<{ kind: string }>(server, 0).kind, 'records-failing');
  });

  it('retries 5xx and 429 (honouring Retry-After) with backoff, then delivers', async () => {
    server.script = [{ status: 503 }, { status: 429, headers: { 'retry-after': '2' } }];
    const result = await notifier().send(sampleAlert);
    assert.deepEqual(result, { delivered: true, attempts: 3, status: 200 });
    assert.equal(server.received.length, 3);
    assert.equal(clock.sleeps.length, 2);
    assert.ok((clock.sleeps[0] ?? -1) >= 0 && (clock.sleeps[0] ?? Number.POSITIVE_INFINITY) <= 1000);
    assert.ok((clock.sleeps[1] ?? 0) >= 2000, 'waited at least Retry-After');
  });

  it('does not retry a 4xx that will not change, and never throws', async () => {
    server.script = [{ status: 404 }];
    const result = await notifier().send(sampleAlert);
    assert.deepEqual(result, {
      delivered: false,
      attempts: 1,
      status: 404,
      error: 'webhook answered HTTP 404',
    });
  });

  it('a webhook that is down does not fail the run or the scheduler, and is retried next time', async () => {
    const down = 'http://127.0.0.1:9/hook'; // discard port: connection refused
    const alerter = new Alerter({ sink: notifier('slack', down), clock });
    const sched = new Scheduler({
      clock: new ManualClock(T0, { auto: false }),
      leases: new InMemoryLeaseStore(clock),
      launch: async () => {
        throw new Error('Epicor unreachable');
      },
    });
    alerter.attach(sched);
    sched.upsertConnection({ id: 'EPIC06', schedule: { every: '1h' } });
    sched.start();
    assert.equal(await sched.triggerNow('EPIC06'), 'started');
    await sched.once('run:failed');
    await alerter.flush();
    assert.equal(sched.status('EPIC06')?.lastRun?.error, 'Epicor unreachable');
    assert.equal(clock.sleeps.length, 3, 'four attempts, three backoffs');
    // Undelivered alerts are not remembered by the dedupe: the next failure tries again.
    await alerter.runFailed('EPIC06', new Error('Epicor unreachable'));
    assert.equal(clock.sleeps.length, 6);
    await sched.stop();
  });

  it('config: validated, defaults applied, builds a working alerter', async () => {
    assert.throws(() => alertsConfigSchema.parse({ webhookUrl: 'http://hooks.example/x' }), /must be https/);
    assert.throws(() => alertsConfigSchema.parse({ webhookUrl: server.url, format: 'email' }));
    const config = alertsConfigSchema.parse({ webhookUrl: server.url, format: 'generic' });
    assert.equal(config.dedupeWindow, '1h');
    assert.equal(config.consecutiveFailures, 3);
    const alerter = createWebhookAlerter(config, {
      transport: fetchTransport,
      clock,
      random: seededRandom(1),
    });
    await alerter.runFailed('EPIC06', 'boom');
    assert.equal(body<{ source: string }>(server, 0).source, 'ml-connector');
    assert.ok(server.received[0]?.path.endsWith(SECRET), 'posted to the configured URL');
  });
});
