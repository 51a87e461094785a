import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { throughputChart } from './dashboard/chart.js';
import { escapeHtml, html, unsafeRaw } from './html.js';

describe('html', () => {
  it('escapes every interpolated value', () => {
    const name = `O'Brien "Tools" <b>&</b> \`x\` 🚀`;
    assert.equal(
      html`<td title="${name}">${name}</td>`.toString(),
      '<td title="O&#39;Brien &quot;Tools&quot; &lt;b&gt;&amp;&lt;/b&gt; &#96;x&#96; 🚀">O&#39;Brien &quot;Tools&quot; &lt;b&gt;&amp;&lt;/b&gt; &#96;x&#96; 🚀</td>',
    );
  });

  it('nests fragments without escaping them twice, and flattens arrays', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(
      html`<p>${inner}${[html`<br>`, '<br>']}${null}${undefined}${false}${0}</p>`.toString(),
      '<p><b>&lt;i&gt;</b><br>&lt;br&gt;0</p>',
    );
    assert.equal(html`${unsafeRaw('<hr>')}`.toString(), '<hr>');
    assert.equal(escapeHtml('a&b'), 'a&amp;b');
  });
});

describe('throughput chart', () => {
  it('draws one bar per finished run with escaped titles', () => {
    const counts = { created: 10, updated: 0, unchanged: 5, failed: 5, skipped: 0, archived: 0 };
    const svg = throughputChart([
      {
        id: '2',
        connectionId: 'c',
        kind: 'sync',
        status: 'running',
        startedAt: 5000,
        finishedAt: null,
        counts,
        error: null,
      },
      {
        id: '1',
        connectionId: 'c',
        kind: 'sync',
        status: 'partial',
        startedAt: 0,
        finishedAt: 2000,
        counts,
        error: null,
      },
    ]).toString();
    assert.equal((svg.match(/<g class="bar">/g) ?? []).length, 1, 'the running run has no bar');
    assert.match(svg, /20 records in 2\.0 s, 10\.0\/s; 10 written, 5 unchanged, 5 failed/);
    assert.equal((svg.match(/<rect class="seg-/g) ?? []).length, 3);
    assert.match(throughputChart([]).toString(), /No finished runs yet/);
  });
});
