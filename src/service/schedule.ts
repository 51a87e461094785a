import { Cron } from 'croner';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { parseInterval } from './interval.js';

/**
 * When a connection's sync fires: a cron expression (5 fields, or 6 with seconds) read in a time zone, or a
 * fixed interval. Pure values: the scheduler computes fire times from them and waits on its injected Clock,
 * never on croner's own timers.
 */
export type Schedule =
  | { readonly kind: 'cron'; readonly expression: string; readonly timezone: string }
  | { readonly kind: 'interval'; readonly everyMs: number; readonly text: string };

/** The shape accepted from config and the API: exactly one of `cron` or `every`. */
export const scheduleInputSchema = z
  .object({
    cron: z.string().trim().min(1).optional(),
    every: z.string().trim().min(1).optional(),
    /** IANA zone for `cron`, e.g. "Europe/Berlin". Defaults to UTC so a schedule means the same on every host. */
    timezone: z.string().trim().min(1).optional(),
  })
  .strict()
  .check((ctx) => {
    const { cron, every } = ctx.value;
    if ((cron === undefined) === (every === undefined)) {
      ctx.issues.push({ code: 'custom', message: 'give exactly one of "cron" or "every"', input: ctx.value });
    }
  });
export type ScheduleInput = z.input<typeof scheduleInputSchema>;

/** Shorter intervals would mostly measure the scheduler itself; sub-second syncs make no sense here. */
export const MIN_INTERVAL_MS = 1000;

export { parseInterval };

/** Validates a schedule (zod shape, interval grammar, cron syntax, time zone) and reports every problem at once. */
export function parseSchedule(input: unknown, path = 'schedule'): Schedule {
  const parsed = scheduleInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${[path, ...issue.path.map(String)].join('.')}: ${issue.message}`),
    );
  }
  const { cron, every, timezone } = parsed.data;
  const issues: string[] = [];
  if (timezone !== undefined && !isValidTimeZone(timezone)) {
    issues.push(
      `${path}.timezone: unknown time zone "${timezone}" (use an IANA name such as "Europe/Berlin")`,
    );
  }
  if (every !== undefined) {
    if (timezone !== undefined) issues.push(`${path}.timezone: only applies to "cron" schedules`);
    const everyMs = parseInterval(every);
    if (everyMs === undefined)
      issues.push(`${path}.every: "${every}" is not an interval such as 30s, 15m, 1h`);
    else if (everyMs < MIN_INTERVAL_MS) issues.push(`${path}.every: must be at least 1s`);
    if (issues.length > 0 || everyMs === undefined) throw new ConfigError(issues);
    return { kind: 'interval', everyMs, text: every };
  }
  const expression = cron ?? '';
  const fields = expression.split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    issues.push(`${path}.cron: "${expression}" must have 5 fields (or 6, with seconds first)`);
  } else {
    try {
      const probe = new Cron(expression, { paused: true, timezone: 'UTC' });
      if (probe.nextRun(new Date(Date.UTC(2000, 0, 1))) === null) {
        issues.push(`${path}.cron: "${expression}" never matches a date`);
      }
    } catch (error) {
      issues.push(
        `${path}.cron: "${expression}" is not a valid cron expression (${(error as Error).message})`,
      );
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { kind: 'cron', expression, timezone: timezone ?? 'UTC' };
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The first fire time strictly after `afterMs`, or null when a cron expression has no future match.
 * Intervals are anchored at `anchorMs` (when the schedule was set): they fire at anchor + k·every, so a late
 * wake-up does not drift the grid and missed slots collapse into the next one.
 */
export function nextFireTime(schedule: Schedule, afterMs: number, anchorMs: number): number | null {
  if (schedule.kind === 'interval') {
    const elapsed = afterMs - anchorMs;
    if (elapsed < 0) return anchorMs + schedule.everyMs;
    return anchorMs + (Math.floor(elapsed / schedule.everyMs) + 1) * schedule.everyMs;
  }
  const cron = new Cron(schedule.expression, { paused: true, timezone: schedule.timezone });
  const next = cron.nextRun(new Date(afterMs));
  return next === null ? null : next.getTime();
}

/** "cron 0 * * * * (Europe/Berlin)" or "every 15m", for logs and the dashboard. */
export function describeSchedule(schedule: Schedule): string {
  return schedule.kind === 'interval'
    ? `every ${schedule.text}`
    : `cron ${schedule.expression} (${schedule.timezone})`;
}

export function sameSchedule(a: Schedule, b: Schedule): boolean {
  if (a.kind === 'interval' && b.kind === 'interval') return a.everyMs === b.everyMs;
  if (a.kind === 'cron' && b.kind === 'cron')
    return a.expression === b.expression && a.timezone === b.timezone;
  return false;
}
