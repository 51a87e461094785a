import { z } from 'zod';
import { isLoopbackHost } from '../../core/http.js';
import { parseInterval } from '../schedule.js';

/**
 * The `alerts` section of the service config. The webhook URL is a secret (Slack and Teams put the token in
 * the path): keep it with the other credentials and never log it.
 */
export const alertsConfigSchema = z
  .object({
    webhookUrl: z.url().refine((text) => {
      const url = new URL(text);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    }, 'must be https (plain http only to localhost)'),
    format: z.enum(['slack', 'teams', 'generic']).default('slack'),
    dashboardUrl: z.url().optional(),
    dedupeWindow: z
      .string()
      .default('1h')
      .refine((text) => parseInterval(text) !== undefined, 'an interval such as 30m or 1h'),
    consecutiveFailures: z.int().min(1).max(100).default(3),
    onRunFailure: z.boolean().default(true),
  })
  .strict();

export type AlertsConfig = z.output<typeof alertsConfigSchema>;

export function dedupeWindowMs(config: AlertsConfig): number {
  return parseInterval(config.dedupeWindow) ?? 3_600_000;
}
