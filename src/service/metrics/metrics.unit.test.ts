import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../core/manual-clock.js';
import { InMemoryLeaseStore } from '../in-memory-lease-store.js';
import { Scheduler } from '../scheduler.js';
import { ExpositionError, parseExposition, sampleValue } from './exposition.js';
import { createMetrics, METRIC_NAMES } from './metrics.js';
import { observeRuns } from './observe.js';

const T0 = Date.UTC(2026, 0, 1, 12);

describe('exposition checker', () => {
  it('accepts well-formed text and rejects what Prometheus would reject', () => {
    const good = [
      '# HELP a_total Things.',
      '# TYPE a_total counter',
      'a_total{x="1",y="q\\"uote\\\\ and \\n"} 3',
      'a_total 1e3 1700000000000',
      '# TYPE h histogram',
      '# HELP h Sizes.',
      'h_bucket{le="+Inf"} 2',
      'h_sum Nan',
      'h_count 2',
      '',
    ].join('\n');
    const families = parseExposition(good);
    assert.equal(sampleValue(families, 'a_total', { y: 'q"uote\\ and \n', x: '1' }), 3);
    assert.equal(sampleValue(families, 'a_total'), 1000);
    assert.equal(sampleValue(families, 'h_bucket', { le: '+Inf' }), 2);
    assert.ok(Number.isNaN(sampleValue(families, 'h_sum')), 'NaN in any case, as Go reads it');
    const bad = [
      ['# TYPE a counter', 'a{x=1} 1'],
      ['# TYPE a counter', 'a one'],
      ['a 1'],
      ['# TYPE a counter', '# HELP a A.', 'b 1'],
      ['# TYPE a counter', 'a 1'],
      ['# HELP a A.', '# TYPE a counter', 'a{x="1",x="2"} 1'],
      ['# HELP a A.', '# TYPE a frequency'],
      ['# HELP h H.', '# TYPE h histogram', 'h 1'],
      ['# HELP a A.', '# TYPE a gauge', 'a NotANumber'],
    ];
    for (const lines of bad)
      assert.throws(() => parseExposition(lines.join('\n')), ExpositionError, lines.join(' | '));
  });
});

describe('createMetrics', () => {
  it('serves valid Prometheus text whose values equal what was recorded', async () => {
    const clock = new ManualClock(T0);
    const metrics = createMetrics({ clock });
    metrics.batch({ connection: 'EPIC06', stream: 'vendor', counts: { created: 40, updated: 7, failed: 0 } });
    metrics.batch({ connection: 'EPIC06', stream: 'vendor', counts: { created: 2, failed: 1 } });
    metrics.records({ connection: 'EPIC06', stream: 'customerContact', outcome: 'skipped', count: 5 });
    metrics.records({ connection: 'EPIC06', stream: 'customerContact', outcome: 'unchanged' });
    for (const status of [200, 200, 429, 200])
      metrics.apiRequest({ system: 'hubspot', status, retry: status === 200 && false });
    metrics.apiRequest({ system: 'hubspot', status: 200, retry: true });
    metrics.apiRequest({ system: 'epicor', status: 503 });
    metrics.retry({ system: 'epicor' });
    metrics.run({ connection: 'EPIC06', status: 'succeeded', durationMs: 12_000 });
    metrics.run({ connection: 'EPIC06', status: 'succeeded', durationMs: 3_000 });
    metrics.run({ connection: 'EPIC06', status: 'failed', durationMs: 700 });
    metrics.cursor({
      connection: 'EPIC06',
      stream: 'vendor',
      newestChangeAt: new Date(T0 - 90_000).toISOString(),
    });
    metrics.cursor({ connection: 'EPIC06', stream: 'vendor', newestChangeAt: T0 - 600_000 }); // older: ignored
    metrics.cursor({ connection: 'EPIC06', stream: 'customer', newestChangeAt: new Date(T0 - 5_000) });
    metrics.rateLimitBudget({ system: 'hubspot', used: 57, limit: 190 });

    clock.advance(30_000);
    const text = await metrics.text();
    assert.match(metrics.contentType, /^text\/plain; version=0\.0\.4/);
    const families = parseExposition(text);
    for (const name of Object.values(METRIC_NAMES)) {
      const family = families.get(name);
      assert.ok(family?.help && family.type, `${name} has HELP and TYPE`);
    }
    const value = (name: string, labels: Record<string, string>) => sampleValue(families, name, labels);
    const rec = (stream: string, outcome: string) =>
      value(METRIC_NAMES.recordsSynced, { connection: 'EPIC06', stream, outcome });
    assert.equal(rec('vendor', 'created'), 42);
    assert.equal(rec('vendor', 'updated'), 7);
    assert.equal(rec('vendor', 'failed'), 1);
    assert.equal(rec('customerContact', 'skipped'), 5);
    assert.equal(rec('customerContact', 'unchanged'), 1);
    assert.equal(value(METRIC_NAMES.apiRequests, { system: 'hubspot' }), 5);
    assert.equal(value(METRIC_NAMES.apiRequests, { system: 'epicor' }), 1);
    assert.equal(value(METRIC_NAMES.apiRateLimited, { system: 'hubspot' }), 1);
    assert.equal(value(METRIC_NAMES.apiRetries, { system: 'hubspot' }), 1);
    assert.equal(value(METRIC_NAMES.apiRetries, { system: 'epicor' }), 1);
    assert.equal(value(METRIC_NAMES.runs, { connection: 'EPIC06', status: 'succeeded' }), 2);
    assert.equal(value(METRIC_NAMES.runs, { connection: 'EPIC06', status: 'failed' }), 1);
    const hist = (suffix: string, labels: Record<string, string> = {}) =>
      value(`${METRIC_NAMES.runDuration}${suffix}`, { connection: 'EPIC06', status: 'succeeded', ...labels });
    assert.equal(hist('_count'), 2);
    assert.equal(hist('_sum'), 15);
    assert.equal(hist('_bucket', { le: '5' }), 1);
    assert.equal(hist('_bucket', { le: '15' }), 2);
    assert.equal(hist('_bucket', { le: '+Inf' }), 2);
    assert.equal(value(METRIC_NAMES.cursorLag, { connection: 'EPIC06', stream: 'vendor' }), 120);
    assert.equal(value(METRIC_NAMES.cursorLag, { connection: 'EPIC06', stream: 'customer' }), 35);
    assert.equal(value(METRIC_NAMES.rateLimitBudget, { system: 'hubspot' }), 0.3);

    clock.advance(60_000);
    const later = parseExposition(await metrics.text());
    assert.equal(
      sampleValue(later, METRIC_NAMES.cursorLag, { connection: 'EPIC06', stream: 'vendor' }),
      180,
      'lag keeps growing until something newer is synced',
    );
  });

  it('keeps registries apart and ignores nonsense input', async () => {
    const clock = new ManualClock(T0);
    const one = createMetrics({ clock });
    const two = createMetrics({ clock });
    one.records({ connection: 'a', stream: 'vendor', outcome: 'created', count: 3 });
    one.records({ connection: 'a', stream: 'vendor', outcome: 'created', count: -1 });
    one.records({ connection: 'a', stream: 'vendor', outcome: 'created', count: Number.NaN });
    one.rateLimitBudget({ system: 'hubspot', used: 500, limit: 100 });
    two.rateLimitBudget({ system: 'hubspot', used: 1, limit: 0 });
    one.cursor({ connection: 'a', stream: 'vendor', newestChangeAt: 'not a date' });
    const first = parseExposition(await one.text());
    const second = parseExposition(await two.text());
    const labels = { connection: 'a', stream: 'vendor', outcome: 'created' };
    assert.equal(sampleValue(first, METRIC_NAMES.recordsSynced, labels), 3);
    assert.equal(sampleValue(second, METRIC_NAMES.recordsSynced, labels), undefined);
    assert.equal(sampleValue(first, METRIC_NAMES.rateLimitBudget, { system: 'hubspot' }), 1, 'clamped');
    assert.equal(sampleValue(second, METRIC_NAMES.rateLimitBudget, { system: 'hubspot' }), undefined);
    assert.equal(first.get(METRIC_NAMES.cursorLag)?.samples.length, 0);
  });

  it('counts runs and durations from scheduler events', async () => {
    const clock = new ManualClock(T0, { auto: false });
    let attempt = 0;
    const scheduler = new Scheduler({
      clock,
      leases: new InMemoryLeaseStore(clock),
      launch: async () => {
        attempt += 1;
        if (attempt === 2) throw new Error('boom');
        return { status: attempt === 1 ? 'succeeded' : 'partial' };
      },
    });
    const metrics = createMetrics({ clock, processMetrics: true });
    observeRuns(scheduler, metrics);
    scheduler.upsertConnection({ id: 'EPIC06', schedule: { every: '1h' } });
    scheduler.start();
    for (let i = 0; i < 3; i++) {
      const ended = Promise.race([scheduler.once('run:finished'), scheduler.once('run:failed')]);
      await scheduler.triggerNow('EPIC06');
      await ended;
    }
    await scheduler.stop();
    const families = parseExposition(await metrics.text());
    for (const status of ['succeeded', 'failed', 'partial']) {
      assert.equal(sampleValue(families, METRIC_NAMES.runs, { connection: 'EPIC06', status }), 1, status);
    }
    assert.ok(families.has('ml_connector_process_cpu_user_seconds_total'), 'process metrics when asked');
  });
});
