/** Plain HTTP reads of the Epicor simulator for its own tests: the raw wire, no client in between. */

export type Json = Record<string, unknown>;

export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The default tenant's API key and first user. */
export const SIM_AUTH: Readonly<Record<string, string>> = {
  'x-api-key': 'sim-api-key',
  Authorization: basicAuth('manager', 'manager'),
};

/** GET `path` below the tenant URL; `body` is `{}` when the answer is not JSON. */
export async function simGet(
  tenantUrl: string,
  path: string,
  headers: Readonly<Record<string, string>> = SIM_AUTH,
): Promise<{ status: number; body: Json; text: string }> {
  const response = await fetch(`${tenantUrl}${path}`, { headers });
  const text = await response.text();
  let body: Json = {};
  try {
    body = JSON.parse(text) as Json;
  } catch {
    body = {};
  }
  return { status: response.status, body, text };
}

/** The `value` array of an OData collection answer. */
export const rows = (body: Json): Json[] => body['value'] as Json[];
