/** The dashboard's pages, rendered on the server from backend views. Every value goes through `html`. */
import type {
  AuditPageView,
  AuditView,
  BatchView,
  ConnectionView,
  FailureView,
  LiveProgress,
  RunDetailView,
  RunStreamView,
  RunView,
} from '../backend.js';
import { type Html, html } from '../html.js';
import { throughputChart } from './chart.js';
import { count, duration, isoTime, statusBadge, timeTag } from './format.js';
import { csrfField, layout, type PageContext } from './layout.js';

function liveLine(connectionId: string, live: LiveProgress | null): Html {
  const text =
    live === null
      ? ''
      : `Running ${live.kind} (run ${live.runId ?? '…'}): ${live.pages} pages, ${live.recordsRead} records read; ${live.counts.created} created, ${live.counts.updated} updated, ${live.counts.unchanged} unchanged, ${live.counts.failed} failed`;
  return html`<div class="live" data-live-for="${connectionId}" data-running="${live === null ? 'false' : 'true'}">${text}</div>`;
}

function actionButton(ctx: PageContext, path: string, label: string, cls = ''): Html {
  return html`<form method="post" action="${path}">${csrfField(ctx)}<button type="submit" class="${cls}">${label}</button></form>`;
}

function connectionActions(ctx: PageContext, c: ConnectionView): Html {
  const base = `/connections/${encodeURIComponent(c.id)}`;
  return html`<div class="actions">
  ${actionButton(ctx, `${base}/sync`, 'Sync now')}
  ${c.paused ? actionButton(ctx, `${base}/resume`, 'Resume', 'secondary') : actionButton(ctx, `${base}/pause`, 'Pause', 'secondary')}
  </div>`;
}

function lastRunCell(c: ConnectionView, now: number): Html {
  if (c.lastRun === null) return html`<span class="muted">never (since start)</span>`;
  return html`${statusBadge(c.lastRun.status)} ${timeTag(c.lastRun.endedAt, now)} <span class="muted">(${duration(c.lastRun.durationMs)})</span>`;
}

function maxLag(c: ConnectionView): string {
  const lags = c.streams.map((s) => s.lagSeconds).filter((l): l is number => l !== null);
  return lags.length === 0 ? '–' : duration(Math.max(...lags) * 1000);
}

export function overviewPage(ctx: PageContext, connections: readonly ConnectionView[]): Html {
  const rows = connections.map(
    (c) => html`<tr data-testid="connection-row" data-connection="${c.id}">
  <td><a href="/connections/${encodeURIComponent(c.id)}">${c.name}</a><div class="muted mono">${c.id}</div></td>
  <td>${statusBadge(c.state)}</td>
  <td class="mono">${c.schedule}</td>
  <td>${lastRunCell(c, ctx.now)}</td>
  <td>${c.paused ? html`<span class="muted">paused</span>` : timeTag(c.nextRunAt, ctx.now)}</td>
  <td class="num">${maxLag(c)}</td>
  <td class="num">${c.failedBatches > 0 ? html`<a href="/connections/${encodeURIComponent(c.id)}#failures">${c.failedBatches}</a>` : '0'}</td>
  <td>${connectionActions(ctx, c)}</td>
</tr>
<tr class="live-row"><td colspan="8">${liveLine(c.id, c.live)}</td></tr>`,
  );
  return layout(
    'Connections',
    ctx,
    html`<h1>Connections</h1>
<table data-testid="connections">
<thead><tr><th>Connection</th><th>State</th><th>Schedule</th><th>Last run</th><th>Next run</th><th class="num">Max lag</th><th class="num">Failed batches</th><th>Actions</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="8" class="muted">No connections configured.</td></tr>` : rows}</tbody>
</table>`,
    { live: true },
  );
}

export function runsTable(runs: readonly RunView[], now: number): Html {
  if (runs.length === 0) return html`<p class="muted">No runs yet.</p>`;
  return html`<table data-testid="runs">
<thead><tr><th>Run</th><th>Kind</th><th>Status</th><th>Started</th><th class="num">Duration</th><th class="num">Created</th><th class="num">Updated</th><th class="num">Unchanged</th><th class="num">Failed</th><th>Error</th></tr></thead>
<tbody>${runs.map(
    (r) => html`<tr data-testid="run-row" data-run="${r.id}" data-status="${r.status}">
<td><a href="/runs/${r.id}">#${r.id}</a></td><td>${r.kind}</td><td>${statusBadge(r.status)}</td>
<td>${timeTag(r.startedAt, now)}</td>
<td class="num">${r.finishedAt === null ? html`<span class="muted">running</span>` : duration(r.finishedAt - r.startedAt)}</td>
<td class="num">${count(r.counts.created)}</td><td class="num">${count(r.counts.updated)}</td>
<td class="num">${count(r.counts.unchanged)}</td><td class="num">${count(r.counts.failed)}</td>
<td>${r.error ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

function replayForm(
  ctx: PageContext,
  connectionId: string,
  target: 'batch' | 'run' | 'all',
  id?: string,
): Html {
  const label =
    target === 'batch' ? `Replay batch ${id ?? ''}` : target === 'run' ? 'Replay run' : 'Replay all failed';
  return html`<form method="post" action="/connections/${encodeURIComponent(connectionId)}/replay">${csrfField(ctx)}<input type="hidden" name="target" value="${target}">${id === undefined ? '' : html`<input type="hidden" name="id" value="${id}">`}<button type="submit" class="danger" data-testid="replay-${target}" data-batch="${id ?? ''}">${label}</button></form>`;
}

function failureRecords(records: readonly AuditView[]): Html {
  if (records.length === 0) {
    return html`<p class="muted">No record failed individually: the whole batch failed (see the error); a replay re-reads the same Epicor query.</p>`;
  }
  return html`<table><thead><tr><th>Record</th><th>Source id</th><th>Reason</th></tr></thead><tbody>${records.map(
    (a) =>
      html`<tr data-testid="failed-record"><td>${a.label ?? html`<span class="muted">–</span>`}</td><td class="mono">${a.sourceId}</td><td><code>${a.errorCategory ?? ''}</code> ${a.errorMessage ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

export function failuresList(
  ctx: PageContext,
  failures: readonly FailureView[],
  showConnection: boolean,
): Html {
  if (failures.length === 0)
    return html`<p class="muted" data-testid="no-failures">No failed batch is waiting for a replay.</p>`;
  return html`${failures.map(
    (f) => html`<div class="card" data-testid="failure" data-batch="${f.batch.id}">
<div class="actions"><strong>Batch ${f.batch.id}</strong> ${statusBadge(f.batch.status)}
<span class="muted">${showConnection ? html`${f.batch.connectionId} · ` : ''}${f.batch.stream} · run <a href="/runs/${f.batch.runId}">#${f.batch.runId}</a> · ${isoTime(f.batch.createdAt)} · ${f.batch.recordCount} records · ${f.batch.attempts} attempts</span>
${replayForm(ctx, f.batch.connectionId, 'batch', f.batch.id)}</div>
${f.batch.error === null ? '' : html`<p class="err">${f.batch.error}</p>`}
${failureRecords(f.records)}
</div>`,
  )}`;
}

/** Cursor parts use control characters (U+001F) between key fields; show them as a visible separator. */
function visible(text: string | undefined): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  return text === undefined ? '–' : text.replace(/[\u0000-\u001f\u007f]/g, ' | ');
}

function streamsTable(c: ConnectionView): Html {
  if (c.streams.length === 0) return html`<p class="muted">No stream has a cursor yet (nothing synced).</p>`;
  return html`<table data-testid="streams"><thead><tr><th>Stream</th><th>Cursor value</th><th>Cursor key</th><th class="num">Lag</th></tr></thead><tbody>${c.streams.map(
    (s) =>
      html`<tr><td>${s.stream}</td><td class="mono">${visible(s.cursor?.value)}</td><td class="mono">${visible(s.cursor?.key)}</td><td class="num">${s.lagSeconds === null ? '–' : duration(s.lagSeconds * 1000)}</td></tr>`,
  )}</tbody></table>`;
}

export function connectionPage(
  ctx: PageContext,
  c: ConnectionView,
  runs: readonly RunView[],
  failures: readonly FailureView[],
): Html {
  return layout(
    c.name,
    ctx,
    html`<h1>${c.name} <span class="muted mono">${c.id}</span> ${statusBadge(c.state)}</h1>
<div class="card">
<div class="grid-2">
<div><div>Schedule: <code>${c.schedule}</code></div>
<div>Last run: ${lastRunCell(c, ctx.now)}${c.lastRun?.error === undefined ? '' : html` <span class="err">${c.lastRun.error}</span>`}</div>
<div>Next run: ${c.paused ? html`<span class="muted">paused</span>` : timeTag(c.nextRunAt, ctx.now)}${c.followUpPending ? html` <span class="muted">(a follow-up run is queued)</span>` : ''}</div></div>
<div>${connectionActions(ctx, c)}</div>
</div>
${liveLine(c.id, c.live)}
</div>
<h2>Streams</h2>
${streamsTable(c)}
<h2>Throughput</h2>
<div class="card">${throughputChart(runs)}</div>
<h2 id="failures">Failures</h2>
${failures.length > 1 ? html`<div class="actions">${replayForm(ctx, c.id, 'all')}</div>` : ''}
${failuresList(ctx, failures, false)}
<h2>Run history</h2>
${runsTable(runs, ctx.now)}
<p><a href="/audit?connection=${encodeURIComponent(c.id)}">Search this connection's audit trail</a></p>`,
    { live: true },
  );
}

function batchesTable(ctx: PageContext, batches: readonly BatchView[]): Html {
  if (batches.length === 0) return html`<p class="muted">No batches.</p>`;
  return html`<table data-testid="batches"><thead><tr><th>Batch</th><th>Stream</th><th>Status</th><th class="num">Records</th><th class="num">Attempts</th><th>Replay</th><th>Error</th></tr></thead><tbody>${batches.map(
    (
      b,
    ) => html`<tr data-testid="batch-row" data-batch="${b.id}" data-status="${b.status}"><td>${b.id}</td><td>${b.stream}</td><td>${statusBadge(b.status)}</td><td class="num">${b.recordCount}</td><td class="num">${b.attempts}</td>
<td>${b.replayOf === null ? '' : html`re-runs ${b.replayOf} `}${b.replayedBy === null ? (b.status === 'failed' || b.status === 'partial' ? replayForm(ctx, b.connectionId, 'batch', b.id) : '') : html`replayed by ${b.replayedBy}`}</td>
<td>${b.error ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

/** The run's counts per stream, so a run whose customers failed while its vendors landed shows it. */
export function runStreamsTable(streams: readonly RunStreamView[] | undefined): Html {
  if (streams === undefined || streams.length === 0) return html``;
  return html`<table data-testid="run-streams"><thead><tr><th>Stream</th><th class="num">Created</th><th class="num">Updated</th><th class="num">Unchanged</th><th class="num">Failed</th><th class="num">Skipped</th></tr></thead><tbody>${streams.map(
    (s) =>
      html`<tr data-testid="run-stream-row" data-stream="${s.stream}"><td>${s.stream}</td><td class="num">${count(s.counts.created)}</td><td class="num">${count(s.counts.updated)}</td><td class="num">${count(s.counts.unchanged)}</td><td class="num">${count(s.counts.failed)}</td><td class="num">${count(s.counts.skipped)}</td></tr>`,
  )}</tbody></table>`;
}

export function runPage(ctx: PageContext, run: RunDetailView): Html {
  return layout(
    `Run ${run.id}`,
    ctx,
    html`<h1>Run #${run.id} ${statusBadge(run.status)}</h1>
<div class="card"><div>Connection: <a href="/connections/${encodeURIComponent(run.connectionId)}">${run.connectionId}</a> · kind ${run.kind}</div>
<div>Started ${isoTime(run.startedAt)}${run.finishedAt === null ? ' (running)' : html` · took ${duration(run.finishedAt - run.startedAt)}`}</div>
<div>${count(run.counts.created)} created · ${count(run.counts.updated)} updated · ${count(run.counts.unchanged)} unchanged · ${count(run.counts.failed)} failed · ${count(run.counts.skipped)} skipped</div>
${run.error === null ? '' : html`<p class="err">${run.error}</p>`}
<p><a href="/audit?connection=${encodeURIComponent(run.connectionId)}&amp;run=${run.id}">Audit rows of this run</a></p></div>
${
  run.streams === undefined || run.streams.length === 0
    ? ''
    : html`<h2>By stream</h2>
${runStreamsTable(run.streams)}`
}
<h2>Batches</h2>
${batchesTable(ctx, run.batches)}`,
  );
}

export function failuresPage(ctx: PageContext, failures: readonly FailureView[]): Html {
  return layout('Failures', ctx, html`<h1>Failures</h1>${failuresList(ctx, failures, true)}`);
}

export interface AuditPageInput {
  readonly q: string | undefined;
  readonly field: 'any' | 'sourceId' | 'label' | 'hubspotId';
  readonly connection: string | undefined;
  readonly connections: readonly string[];
  readonly page: AuditPageView | undefined;
  readonly nextHref: string | undefined;
}

export function auditPage(ctx: PageContext, input: AuditPageInput): Html {
  const fieldOption = (value: AuditPageInput['field'], label: string) =>
    html`<option value="${value}"${input.field === value ? ' selected' : ''}>${label}</option>`;
  const results =
    input.page === undefined
      ? html`<p class="muted">Search by Epicor source id (e.g. <code>EPIC06:vendor:204</code>), record name or HubSpot id.</p>`
      : input.page.rows.length === 0
        ? html`<p class="muted" data-testid="audit-empty">No audit rows match.</p>`
        : html`<table data-testid="audit-results"><thead><tr><th>When</th><th>Connection</th><th>Stream</th><th>Record</th><th>Source id</th><th>HubSpot id</th><th>Action</th><th>Run / batch</th><th>Reason</th></tr></thead><tbody>${input.page.rows.map(
            (a) =>
              html`<tr data-testid="audit-row"><td>${isoTime(a.at)}</td><td>${a.connectionId}</td><td>${a.stream}</td><td>${a.label ?? ''}</td><td class="mono">${a.sourceId}</td><td class="mono">${a.hubspotId ?? ''}</td><td>${statusBadge(a.action)}</td><td><a href="/runs/${a.runId}">#${a.runId}</a>${a.batchId === null ? '' : ` / ${a.batchId}`}</td><td>${a.errorCategory === null ? '' : html`<code>${a.errorCategory}</code> `}${a.errorMessage ?? ''}</td></tr>`,
          )}</tbody></table>${input.nextHref === undefined ? '' : html`<p><a href="${input.nextHref}">Older rows →</a></p>`}`;
  return layout(
    'Audit search',
    ctx,
    html`<h1>Audit search</h1>
<form method="get" action="/audit" class="card actions" role="search">
<input type="text" name="q" value="${input.q ?? ''}" placeholder="source id, record name or HubSpot id" size="40" aria-label="Search">
<select name="field" aria-label="Field">${fieldOption('any', 'any field')}${fieldOption('sourceId', 'source id')}${fieldOption('label', 'record name')}${fieldOption('hubspotId', 'HubSpot id')}</select>
<select name="connection" aria-label="Connection"><option value="">all connections</option>${input.connections.map((id) => html`<option value="${id}"${input.connection === id ? ' selected' : ''}>${id}</option>`)}</select>
<button type="submit">Search</button>
</form>
${results}`,
  );
}

export function notFoundPage(ctx: PageContext, what: string): Html {
  return layout(
    'Not found',
    ctx,
    html`<h1>Not found</h1><p>${what}</p><p><a href="/">Back to the connections</a></p>`,
  );
}
