export interface RequestLogEntry {
  seq: number;
  /** Arrival time on the simulator's clock (epoch ms). */
  at: number;
  method: string;
  /** Route pattern, e.g. `POST /crm/v3/objects/companies/batch/upsert` (object type kept literal). */
  endpoint: string;
  url: string;
  /** HTTP status sent; 0 when the socket was reset. */
  status: number;
  /** 429 policy, when refused by a rate limit. */
  policyName?: string;
  /** Number of inputs of a batch body, when there was one. */
  inputs?: number;
}

export interface RequestStats {
  total: number;
  byStatus: Record<string, number>;
  byEndpoint: Record<string, { total: number; byStatus: Record<string, number> }>;
  rateLimited: number;
  first?: number;
  last?: number;
}

export interface WindowFilter {
  /** Count only requests whose endpoint starts with this (e.g. `POST /crm/v3/objects/companies`). */
  endpointPrefix?: string;
  /** Leave out 429 answers (default: every request sent counts). */
  exclude429?: boolean;
  /** Leave out search requests, which have their own limit (default false). */
  excludeSearch?: boolean;
}

/**
 * The largest number of requests that arrived within any rolling window of `windowMs` (a request at
 * t counts in (t - windowMs, t]). Pure, for benchmarks asserting a client stayed under 190 per 10 s.
 */
export function maxInRollingWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Every API request the simulator answered, with counters. Control requests are not logged. */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #seq = 0;
  readonly #cap: number;

  constructor(cap = 2_000_000) {
    this.#cap = cap;
  }

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    if (this.#entries.length >= this.#cap) this.#entries.splice(0, Math.ceil(this.#cap / 10));
    this.#entries.push({ seq: ++this.#seq, ...entry });
  }

  entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  clear(): void {
    this.#entries = [];
  }

  stats(): RequestStats {
    const stats: RequestStats = { total: 0, byStatus: {}, byEndpoint: {}, rateLimited: 0 };
    for (const e of this.#entries) {
      stats.total++;
      const s = String(e.status);
      stats.byStatus[s] = (stats.byStatus[s] ?? 0) + 1;
      let ep = stats.byEndpoint[e.endpoint];
      if (!ep) {
        ep = { total: 0, byStatus: {} };
        stats.byEndpoint[e.endpoint] = ep;
      }
      ep.total++;
      ep.byStatus[s] = (ep.byStatus[s] ?? 0) + 1;
      if (e.status === 429) stats.rateLimited++;
      stats.first ??= e.at;
      stats.last = e.at;
    }
    return stats;
  }

  maxInWindow(windowMs = 10_000, filter: WindowFilter = {}): number {
    const times: number[] = [];
    for (const e of this.#entries) {
      if (filter.endpointPrefix && !e.endpoint.startsWith(filter.endpointPrefix)) continue;
      if (filter.exclude429 && e.status === 429) continue;
      if (filter.excludeSearch && e.endpoint.endsWith('/search')) continue;
      times.push(e.at);
    }
    return maxInRollingWindow(times, windowMs);
  }
}
