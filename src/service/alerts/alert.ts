import type { Redactor } from '../../core/redact.js';
import { redactUrl } from '../../core/redact.js';

export type AlertKind = 'run-failed' | 'records-failing';

/** One notification, already free of secrets; the payload builders only reshape it. */
export interface Alert {
  readonly kind: AlertKind;
  readonly connectionId: string;
  readonly title: string;
  readonly text: string;
  readonly facts: readonly { readonly name: string; readonly value: string }[];
  /** Deep link into the dashboard for this connection, when a dashboard URL is configured. */
  readonly link?: string;
  readonly occurredAt: number;
}

const MAX_TEXT = 400;
const MAX_IDS_LISTED = 10;

/** Makes free text safe to send: known secrets and URL credentials masked, length bounded. */
export function scrub(text: string, redactor?: Redactor): string {
  const masked = redactUrl(redactor ? redactor.redact(text) : text)
    // Bearer tokens and basic credentials that may sit in an echoed header.
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***');
  const oneLine = masked.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}

/**
 * Link to the connection's page. UNCONFIRMED route: the dashboard is not built yet; `/connections/:id` is
 * the assumed shape, overridable with `linkFor`.
 */
export function defaultLinkFor(dashboardUrl: string, connectionId: string): string {
  return `${dashboardUrl.replace(/\/+$/, '')}/connections/${encodeURIComponent(connectionId)}`;
}

export function runFailedAlert(input: {
  connectionId: string;
  error: string;
  runId?: string;
  occurredAt: number;
  link?: string;
}): Alert {
  const facts = [{ name: 'Connection', value: input.connectionId }];
  if (input.runId !== undefined) facts.push({ name: 'Run', value: input.runId });
  facts.push({ name: 'At', value: new Date(input.occurredAt).toISOString() });
  return {
    kind: 'run-failed',
    connectionId: input.connectionId,
    title: `ml-connector: sync of "${input.connectionId}" failed`,
    text: input.error,
    facts,
    ...(input.link === undefined ? {} : { link: input.link }),
    occurredAt: input.occurredAt,
  };
}

export function recordsFailingAlert(input: {
  connectionId: string;
  sourceIds: readonly string[];
  threshold: number;
  occurredAt: number;
  link?: string;
}): Alert {
  const listed = input.sourceIds.slice(0, MAX_IDS_LISTED).join(', ');
  const more = input.sourceIds.length - MAX_IDS_LISTED;
  const count = input.sourceIds.length;
  return {
    kind: 'records-failing',
    connectionId: input.connectionId,
    title: `ml-connector: ${count} record${count === 1 ? '' : 's'} of "${input.connectionId}" keep failing`,
    text: `Failed in ${input.threshold} or more consecutive runs: ${listed}${more > 0 ? ` and ${more} more` : ''}`,
    facts: [
      { name: 'Connection', value: input.connectionId },
      { name: 'Records', value: String(count) },
      { name: 'At', value: new Date(input.occurredAt).toISOString() },
    ],
    ...(input.link === undefined ? {} : { link: input.link }),
    occurredAt: input.occurredAt,
  };
}
