import type { Clock } from '../../core/clock.js';
import type { HttpTransport } from '../../core/http.js';
import type { Logger } from '../../core/logger.js';
import type { Random } from '../../core/random.js';
import type { Redactor } from '../../core/redact.js';
import { Alerter } from './alerter.js';
import type { AlertsConfig } from './config.js';
import { dedupeWindowMs } from './config.js';
import type { FailureHistory } from './failure-history.js';
import { WebhookNotifier } from './webhook.js';

/** Builds the webhook alerter from the validated `alerts` config section. */
export function createWebhookAlerter(
  config: AlertsConfig,
  deps: {
    transport: HttpTransport;
    clock: Clock;
    random: Random;
    logger?: Logger;
    redactor?: Redactor;
    history?: FailureHistory;
  },
): Alerter {
  const sink = new WebhookNotifier({
    url: config.webhookUrl,
    format: config.format,
    transport: deps.transport,
    clock: deps.clock,
    random: deps.random,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
  });
  return new Alerter({
    sink,
    clock: deps.clock,
    dedupeWindowMs: dedupeWindowMs(config),
    consecutiveFailures: config.consecutiveFailures,
    onRunFailure: config.onRunFailure,
    ...(config.dashboardUrl === undefined ? {} : { dashboardUrl: config.dashboardUrl }),
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    ...(deps.redactor === undefined ? {} : { redactor: deps.redactor }),
    ...(deps.history === undefined ? {} : { history: deps.history }),
  });
}
