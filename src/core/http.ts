/**
 * The narrow slice of `fetch` the API clients use. Injected so tests can wrap it (count requests,
 * inject faults) while still talking real HTTP to the simulators on loopback.
 */
export type HttpTransport = (url: string, init: HttpRequestInit) => Promise<Response>;

export interface HttpRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export const fetchTransport: HttpTransport = (url, init) => fetch(url, init);

/** True for hosts that never leave the machine; plain http is allowed only for these by default. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
