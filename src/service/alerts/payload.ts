import type { Alert } from './alert.js';

export type WebhookFormat = 'slack' | 'teams' | 'generic';

/** Slack mrkdwn treats &, < and > as control characters. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack incoming webhook: a single `text` field in mrkdwn. */
export function slackPayload(alert: Alert): { text: string } {
  const lines = [`*${slackEscape(alert.title)}*`, slackEscape(alert.text)];
  if (alert.link !== undefined) lines.push(`<${alert.link}|Open in the dashboard>`);
  return { text: lines.join('\n') };
}

/** Teams incoming webhook: the legacy connector MessageCard shape. */
export function teamsPayload(alert: Alert): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: alert.title,
    themeColor: alert.kind === 'run-failed' ? 'D13438' : 'FFB900',
    title: alert.title,
    text: alert.text,
    sections: [{ facts: alert.facts.map((fact) => ({ name: fact.name, value: fact.value })) }],
    ...(alert.link === undefined
      ? {}
      : {
          potentialAction: [
            {
              '@type': 'OpenUri',
              name: 'Open in the dashboard',
              targets: [{ os: 'default', uri: alert.link }],
            },
          ],
        }),
  };
}

/** Any other receiver: the alert as plain JSON (with `text` too, so Slack-compatible tools still show it). */
export function genericPayload(alert: Alert): Record<string, unknown> {
  return {
    source: 'ml-connector',
    kind: alert.kind,
    connectionId: alert.connectionId,
    title: alert.title,
    text: alert.text,
    facts: alert.facts,
    link: alert.link ?? null,
    occurredAt: new Date(alert.occurredAt).toISOString(),
  };
}

export function buildPayload(alert: Alert, format: WebhookFormat): Record<string, unknown> {
  switch (format) {
    case 'slack':
      return slackPayload(alert);
    case 'teams':
      return teamsPayload(alert);
    case 'generic':
      return genericPayload(alert);
  }
}
