import { DEFAULT_PRIVATE_APP_TOKEN } from './options.js';

/** A tiny fetch wrapper for the simulator's own tests (real HTTP over loopback). */
export interface SimResponse {
  status: number;
  headers: Headers;
  body: unknown;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields
  json: any;
}

/** `token: null` sends no Authorization header. */
export function simClient(baseUrl: string, token: string | null = DEFAULT_PRIVATE_APP_TOKEN) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<SimResponse> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body: parsed, json: parsed };
  };
}

export const ERP_PROPERTY = {
  name: 'erp_source_id',
  label: 'ERP source ID',
  type: 'string',
  fieldType: 'text',
  groupName: 'companyinformation',
  hasUniqueValue: true,
};
