import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runStreamsTable } from './pages.js';

const zero = { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, archived: 0 };

describe('run page: counts per stream', () => {
  it('shows one row per stream with its counts', () => {
    const text = runStreamsTable([
      { stream: 'vendor', counts: { ...zero, created: 1200, updated: 3 } },
      { stream: 'customer', counts: { ...zero, failed: 7 } },
    ]).toString();
    const rows = [
      ...text.matchAll(/<tr data-testid="run-stream-row" data-stream="([^"]+)">(.*?)<\/tr>/g),
    ].map((m) => [m[1], [...(m[2] ?? '').matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1])]);
    assert.deepEqual(rows, [
      ['vendor', ['vendor', '1,200', '3', '0', '0', '0']],
      ['customer', ['customer', '0', '0', '0', '7', '0']],
    ]);
  });

  it('renders nothing when no stream handled a record, and escapes stream names', () => {
    assert.equal(runStreamsTable([]).toString(), '');
    assert.equal(runStreamsTable(undefined).toString(), '');
    assert.match(runStreamsTable([{ stream: '<b>x', counts: zero }]).toString(), /&lt;b&gt;x/);
  });
});
