/**
 * Throughput of recent runs as an inline SVG bar chart: one bar per finished run (oldest left), its height
 * the records handled per second, split by outcome (written, unchanged, failed). No script, no library.
 */
import type { RunView } from '../backend.js';
import { type Html, html } from '../html.js';
import { duration, isoTime } from './format.js';

const WIDTH = 640;
const HEIGHT = 160;
const PAD_LEFT = 44;
const PAD_BOTTOM = 18;
const PAD_TOP = 10;

interface Bar {
  readonly run: RunView;
  readonly perSecond: number;
  readonly written: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly total: number;
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= value) return step * exp;
  return 10 * exp;
}

export function throughputChart(runs: readonly RunView[]): Html {
  const bars: Bar[] = runs
    .filter((r) => r.finishedAt !== null && r.kind !== 'dry-run')
    .slice(0, 30)
    .reverse()
    .map((run) => {
      const written = run.counts.created + run.counts.updated + run.counts.archived;
      const unchanged = run.counts.unchanged + run.counts.skipped;
      const failed = run.counts.failed;
      const total = written + unchanged + failed;
      const seconds = Math.max(0.001, ((run.finishedAt ?? run.startedAt) - run.startedAt) / 1000);
      return { run, written, unchanged, failed, total, perSecond: total / seconds };
    });
  if (bars.length === 0) {
    return html`<p class="muted" data-testid="chart-empty">No finished runs yet.</p>`;
  }
  const max = niceMax(Math.max(...bars.map((b) => b.perSecond)));
  const plotW = WIDTH - PAD_LEFT - 4;
  const plotH = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const slot = plotW / Math.max(bars.length, 8);
  const barW = Math.max(4, slot * 0.7);
  const y = (v: number): number => PAD_TOP + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max];
  return html`<svg class="chart" role="img" aria-label="Records per second of recent runs" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
  ${ticks.map(
    (t) =>
      html`<line x1="${PAD_LEFT}" x2="${WIDTH}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/><text x="${PAD_LEFT - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="axis">${formatTick(t)}</text>`,
  )}
  ${bars.map((bar, i) => {
    const x = PAD_LEFT + i * slot + (slot - barW) / 2;
    const h = (bar.perSecond / max) * plotH;
    let top = PAD_TOP + plotH;
    const segments = (
      [
        ['written', bar.written],
        ['unchanged', bar.unchanged],
        ['failed', bar.failed],
      ] as const
    ).map(([cls, n]) => {
      const sh = bar.total === 0 ? 0 : (n / bar.total) * h;
      top -= sh;
      return sh <= 0
        ? html``
        : html`<rect class="seg-${cls}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${sh.toFixed(1)}"/>`;
    });
    return html`<g class="bar"><title>Run ${bar.run.id} (${bar.run.kind}, ${bar.run.status}) ${isoTime(bar.run.startedAt)}: ${bar.total} records in ${duration((bar.run.finishedAt ?? bar.run.startedAt) - bar.run.startedAt)}, ${bar.perSecond.toFixed(1)}/s; ${bar.written} written, ${bar.unchanged} unchanged, ${bar.failed} failed</title>${segments}${bar.total === 0 ? html`<rect class="seg-empty" x="${x.toFixed(1)}" y="${(PAD_TOP + plotH - 1).toFixed(1)}" width="${barW.toFixed(1)}" height="1"/>` : ''}</g>`;
  })}
  <text x="${PAD_LEFT}" y="${HEIGHT - 4}" class="axis">older</text>
  <text x="${WIDTH - 4}" y="${HEIGHT - 4}" text-anchor="end" class="axis">newer</text>
</svg>
<p class="legend"><span class="key key-written"></span>written <span class="key key-unchanged"></span>unchanged <span class="key key-failed"></span>failed · bar height: records per second</p>`;
}

function formatTick(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(0) : value.toFixed(1);
}
