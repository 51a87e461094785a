/**
 * The dashboard's stylesheet and its one small script, served from `/assets/` (the Content-Security-Policy
 * allows scripts and styles from this origin only, so nothing is inlined). No build chain: plain text.
 */

export const DASHBOARD_CSS = `
:root { --fg:#1d2330; --muted:#6b7385; --bg:#f6f7fb; --card:#fff; --line:#e3e6ee; --accent:#2f5bea;
  --ok:#1f8a4c; --warn:#b7791f; --bad:#c53030; --idle:#4a5568; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
header.top { display:flex; align-items:center; gap:16px; padding:10px 20px; background:#1d2330; color:#fff; }
header.top a { color:#fff; text-decoration:none; }
header.top .brand { font-weight:600; font-size:16px; }
header.top nav { display:flex; gap:14px; flex:1; }
header.top form { margin:0; }
main { max-width:1180px; margin:0 auto; padding:18px 20px 40px; }
h1 { font-size:20px; margin:4px 0 14px; }
h2 { font-size:16px; margin:22px 0 8px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:14px 16px; margin-bottom:14px; }
table { width:100%; border-collapse:collapse; background:var(--card); }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.03em; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
code, .mono { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
.muted { color:var(--muted); }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; background:var(--idle); }
.badge-succeeded { background:var(--ok); } .badge-partial { background:var(--warn); }
.badge-failed { background:var(--bad); } .badge-cancelled { background:#718096; }
.badge-running { background:var(--accent); } .badge-paused { background:#805ad5; } .badge-idle { background:#4a5568; }
.actions { display:flex; gap:8px; flex-wrap:wrap; align-items:center; }
.actions form { margin:0; }
button, .button { font:inherit; padding:5px 12px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { border-color:var(--bad); background:var(--bad); }
header.top button { background:transparent; border-color:#fff; color:#fff; }
input[type=text], input[type=password], select { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:6px; }
.notice { padding:8px 12px; border-radius:6px; margin-bottom:12px; background:#ebf4ff; border:1px solid #bcd4fb; }
.notice.error { background:#fff5f5; border-color:#feb2b2; }
.live { color:var(--accent); font-weight:600; }
tr.live-row td { border-bottom:none; padding-top:0; padding-bottom:0; }
.grid-2 { display:grid; grid-template-columns:1fr 1fr; gap:14px; }
@media (max-width: 800px) { .grid-2 { grid-template-columns:1fr; } }
svg.chart .grid { stroke:var(--line); } svg.chart .axis { fill:var(--muted); font-size:10px; }
svg.chart .seg-written, .key-written { fill:#2f5bea; background:#2f5bea; }
svg.chart .seg-unchanged, .key-unchanged { fill:#a0aec0; background:#a0aec0; }
svg.chart .seg-failed, .key-failed { fill:#c53030; background:#c53030; }
svg.chart .seg-empty { fill:#cbd5e0; }
.legend { font-size:12px; color:var(--muted); margin:4px 0 0; }
.key { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 4px 0 10px; vertical-align:-1px; }
.login { max-width:420px; margin:60px auto; }
.login input[type=password] { width:100%; margin:6px 0 12px; }
.err { color:var(--bad); }
`;

/**
 * Relative times ("3 min ago") that keep up between page loads: every 30 s, each `<time data-relative>` is
 * re-rendered from its `datetime`, with the same rules as `relative()` in format.ts (the unit test runs
 * this script against it). "Now" is the server's render time (`<body data-now>`) plus the time elapsed in
 * the browser, so a browser clock that is off does not shift the texts.
 */
export const RELATIVE_TIME_JS = `
(function () {
  'use strict';
  var TICK_MS = 30000;
  function duration(ms) {
    if (!isFinite(ms) || ms < 0) return '\\u2013';
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
    var h = Math.floor(m / 60);
    if (h < 48) return h + ' h ' + (m - h * 60) + ' min';
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }
  function relative(ms, now) {
    var delta = ms - now;
    if (Math.abs(delta) < 1000) return 'now';
    var text = duration(Math.abs(delta));
    return delta < 0 ? text + ' ago' : 'in ' + text;
  }
  var rendered = Number(document.body && document.body.getAttribute('data-now'));
  var skew = isFinite(rendered) && rendered > 0 ? rendered - Date.now() : 0;
  function refresh() {
    var now = Date.now() + skew;
    document.querySelectorAll('time[data-relative][datetime]').forEach(function (el) {
      var at = Date.parse(el.getAttribute('datetime'));
      if (!isNaN(at)) el.textContent = relative(at, now);
    });
  }
  window.setInterval(refresh, TICK_MS);
})();
`;

/**
 * Live progress: polls `/api/live` (same-origin cookie) and writes the numbers with `textContent` only.
 * When a run this page shows ends, the page reloads so the finished run appears with its final numbers.
 */
const LIVE_PROGRESS_JS = `
(function () {
  'use strict';
  var root = document.querySelector('[data-live-root]');
  if (!root) return;
  var watched = {};
  root.querySelectorAll('[data-live-for]').forEach(function (el) {
    watched[el.getAttribute('data-live-for')] = el;
  });
  var wasRunning = {};
  Object.keys(watched).forEach(function (id) {
    wasRunning[id] = watched[id].getAttribute('data-running') === 'true';
  });
  function describe(p) {
    var c = p.counts;
    return 'Running ' + p.kind + ' (run ' + (p.runId || '…') + '): ' + p.pages + ' pages, ' + p.recordsRead +
      ' records read; ' + c.created + ' created, ' + c.updated + ' updated, ' + c.unchanged +
      ' unchanged, ' + c.failed + ' failed';
  }
  function tick() {
    fetch('/api/live', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 401) { window.location.href = '/login'; return null; }
        return res.ok ? res.json() : null;
      })
      .then(function (body) {
        if (!body) return schedule(5000);
        var live = {};
        body.live.forEach(function (p) { live[p.connectionId] = p; });
        var reload = false;
        Object.keys(watched).forEach(function (id) {
          var el = watched[id];
          if (live[id]) {
            el.textContent = describe(live[id]);
            el.setAttribute('data-running', 'true');
            wasRunning[id] = true;
          } else {
            if (wasRunning[id]) reload = true;
            el.textContent = '';
            el.setAttribute('data-running', 'false');
          }
        });
        if (reload) { window.location.reload(); return; }
        schedule(body.live.length > 0 ? 1000 : 3000);
      })
      .catch(function () { schedule(5000); });
  }
  function schedule(ms) { window.setTimeout(tick, ms); }
  tick();
})();
`;

/** Served as `/assets/dashboard.js` on every dashboard page. */
export const DASHBOARD_JS = RELATIVE_TIME_JS + LIVE_PROGRESS_JS;
