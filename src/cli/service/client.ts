/**
 * Talks to a running `ml-connector run` over its API, as `reload` and `connections` do: finds the URL
 * (`--url`, else 127.0.0.1 on $ML_CONNECTOR_HTTP_PORT or 8080) and the API token (env, token file, or
 * `<dataDir>/api-token`; never generated here).
 */
import type { ReloadReport } from '../../server/backend.js';
import { resolveApiToken } from '../../server/token.js';
import { HTTP_PORT_ENV } from '../../service/serve.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function serviceBaseUrl(url: string | undefined, env: Env): string {
  const port = env[HTTP_PORT_ENV];
  return url ?? `http://127.0.0.1:${port !== undefined && port !== '' ? port : '8080'}`;
}

export type ReloadAnswer =
  | { readonly kind: 'reloaded'; readonly reload: ReloadReport }
  /** Nothing listens there (or no API token exists yet, so no service has ever run). */
  | { readonly kind: 'unreachable'; readonly base: string; readonly cause?: unknown }
  | { readonly kind: 'refused'; readonly status: number; readonly code: string; readonly message: string };

/** Asks the service at `base` to re-read its config file (`POST /api/reload`). Never throws for HTTP. */
export async function requestReload(base: string, token: string): Promise<ReloadAnswer> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/reload', base), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch (error) {
    return { kind: 'unreachable', base, cause: error };
  }
  const body = (await response.json().catch(() => ({}))) as {
    reload?: ReloadReport;
    error?: { code: string; message: string };
  };
  if (!response.ok || body.reload === undefined) {
    return {
      kind: 'refused',
      status: response.status,
      code: body.error?.code ?? String(response.status),
      message: body.error?.message ?? 'reload failed',
    };
  }
  return { kind: 'reloaded', reload: body.reload };
}

/** `requestReload` with the token found as `run` finds it; no token means no service has run yet. */
export async function reloadIfRunning(options: {
  readonly url: string | undefined;
  readonly env: Env;
  readonly dataDir: string;
  readonly onToken?: (token: string) => void;
}): Promise<ReloadAnswer> {
  const base = serviceBaseUrl(options.url, options.env);
  let token: string;
  try {
    token = (await resolveApiToken({ env: options.env, dataDir: options.dataDir, generate: false })).token;
  } catch (error) {
    return { kind: 'unreachable', base, cause: error };
  }
  options.onToken?.(token);
  return requestReload(base, token);
}
