import { createHash } from 'node:crypto';
import type { HttpTransport } from '../core/http.js';

export interface TrafficEvent {
  readonly system: string;
  /** Undefined when no response came back (network error, timeout, abort). */
  readonly status?: number;
  /** True when this request repeats one that just failed in a retryable way (same method, URL and body). */
  readonly retry: boolean;
}

const RETRYABLE = (status: number | undefined): boolean =>
  status === undefined || status === 429 || status === 408 || status >= 500;

/**
 * Wraps the transport every API client uses so the service can count requests, 429s and retries per system
 * (`epicor`, `hubspot`) without hooks in the clients. `systemOf` names the system of a URL (by origin) or
 * returns undefined for anything else (alert webhooks, say), which is passed through uncounted. A retry is
 * recognised as the same request sent again after a retryable failure: clients retry requests unchanged.
 */
export function meteredTransport(
  base: HttpTransport,
  systemOf: (url: URL) => string | undefined,
  onRequest: (event: TrafficEvent) => void,
): HttpTransport {
  const failed = new Set<string>();
  return async (url, init) => {
    let system: string | undefined;
    try {
      system = systemOf(new URL(url));
    } catch {
      system = undefined;
    }
    if (system === undefined) return base(url, init);
    const key = createHash('sha1')
      .update(`${init.method} ${url}\n${init.body ?? ''}`)
      .digest('base64');
    const retry = failed.delete(key);
    let status: number | undefined;
    try {
      const response = await base(url, init);
      status = response.status;
      return response;
    } finally {
      if (RETRYABLE(status) && init.signal?.aborted !== true) {
        if (failed.size > 1000) failed.clear();
        failed.add(key);
      }
      onRequest({ system, ...(status === undefined ? {} : { status }), retry });
    }
  };
}
