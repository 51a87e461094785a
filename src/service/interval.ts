/**
 * The interval grammar ("30s", "15m", "1h30m", "2d"), apart from the schedule so that option parsers
 * (`run --lease-ttl`, `demo --every`) can use it without loading croner and zod. Imports nothing.
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const INTERVAL_PATTERN = /^(?:\d+(?:ms|s|m|h|d))+$/;

/** Parses "30s", "15m", "1h", "1h30m", "2d" into milliseconds; undefined when the text is not an interval. */
export function parseInterval(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!INTERVAL_PATTERN.test(compact)) return undefined;
  let total = 0;
  for (const match of compact.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    const unit = match[2] as keyof typeof UNIT_MS;
    total += Number(match[1]) * UNIT_MS[unit];
  }
  return total;
}
