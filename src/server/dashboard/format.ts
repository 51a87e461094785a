/** Small, pure formatting helpers for the dashboard (times are epoch ms, shown in UTC). */
import { type Html, html } from '../html.js';

export function isoTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m - h * 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "3 min ago" / "in 25 s", relative to `now`. */
export function relative(ms: number, now: number): string {
  const delta = ms - now;
  const text = duration(Math.abs(delta));
  if (Math.abs(delta) < 1000) return 'now';
  return delta < 0 ? `${text} ago` : `in ${text}`;
}

/**
 * A `<time>` element: relative text, the exact UTC time as its title. `data-relative` lets the page's
 * script re-render the text every 30 s (RELATIVE_TIME_JS); without JavaScript it stays as rendered.
 */
export function timeTag(ms: number | null | undefined, now: number): Html {
  if (ms === null || ms === undefined) return html`<span class="muted">–</span>`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}" title="${isoTime(ms)}" data-relative>${relative(ms, now)}</time>`;
}

export function statusBadge(status: string): Html {
  const known = ['succeeded', 'partial', 'failed', 'cancelled', 'running', 'idle', 'paused', 'pending'];
  const cls = known.includes(status) ? status : 'other';
  return html`<span class="badge badge-${cls}">${status}</span>`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
