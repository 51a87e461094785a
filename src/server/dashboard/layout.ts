import { type Html, html } from '../html.js';

/** What every dashboard page gets: the time, the CSRF token for its forms and an optional notice. */
export interface PageContext {
  readonly now: number;
  readonly csrf: string;
  readonly notice?: { readonly text: string; readonly error?: boolean } | undefined;
}

/**
 * Messages for `?notice=` after an action's redirect. Only these fixed texts are shown, so nothing from the
 * query string is ever reflected into the page.
 */
export const NOTICES: Readonly<Record<string, { text: string; error?: boolean }>> = {
  started: { text: 'Started. Progress shows below; the page refreshes when it ends.' },
  queued: { text: 'Queued: it runs as soon as the run in flight ends.' },
  paused: { text: 'Paused. Scheduled runs are skipped until you resume.' },
  resumed: { text: 'Resumed. The next run follows the schedule.' },
  'refused-paused': { text: 'The connection is paused: resume it first.', error: true },
  'lease-held': { text: 'Another ml-connector process is syncing this connection right now.', error: true },
  'lease-error': { text: 'The store could not be reached to take the connection lease.', error: true },
  stopping: { text: 'The service is shutting down; nothing new is started.', error: true },
  'nothing-to-replay': { text: 'Nothing to replay: no failed batch is waiting.' },
  'unknown-connection': { text: 'That connection is not configured (any more).', error: true },
  'unknown-target': {
    text: 'That batch or run cannot be replayed (unknown, or already replayed).',
    error: true,
  },
  reloaded: { text: 'Configuration re-read.' },
};

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

export function layout(title: string, ctx: PageContext, body: Html, options: { live?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ml-connector</title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body data-now="${ctx.now}">
<header class="top">
  <a class="brand" href="/">ml-connector</a>
  <nav><a href="/">Connections</a><a href="/failures">Failures</a><a href="/audit">Audit search</a></nav>
  <form method="post" action="/logout">${csrfField(ctx)}<button type="submit">Log out</button></form>
</header>
<main${options.live ? html` data-live-root` : ''}>
${ctx.notice === undefined ? '' : html`<div class="notice${ctx.notice.error ? ' error' : ''}" role="status" data-testid="notice">${ctx.notice.text}</div>`}
${body}
</main>
<script src="/assets/dashboard.js" defer></script>
</body>
</html>`;
}

export function loginPage(csrf: string, options: { error?: string; next?: string }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · ml-connector</title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
<main class="login card">
<h1>ml-connector</h1>
<p>Enter the API token. <span class="muted">It is in <code>ML_CONNECTOR_API_TOKEN</code> or the <code>api-token</code> file in the data directory; the demo prints where.</span></p>
${options.error === undefined ? '' : html`<p class="err" role="alert">${options.error}</p>`}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${csrf}">
${options.next === undefined ? '' : html`<input type="hidden" name="next" value="${options.next}">`}
<label for="token">API token</label>
<input id="token" type="password" name="token" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>`;
}
