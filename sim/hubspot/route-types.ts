import type { AuthPrincipal } from './auth.js';
import { validationError } from './errors.js';
import { parseObjectType, type SimObjectType } from './object-types.js';
import type { SimState } from './state.js';

export interface RouteContext {
  state: SimState;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  principal?: AuthPrincipal | undefined;
  /** Request arrival as ISO (batch `requestedAt`/`startedAt`). */
  requestedAt: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SimRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  url: string;
  /** 'api' routes need a Bearer token, count toward limits and are logged. */
  auth: 'api' | 'none';
  rate: 'standard' | 'search' | 'none';
  scopes?: (params: Record<string, string>) => string[];
  /** Marks `POST /crm/v3/objects/companies/batch/upsert` for the 423 fault. */
  companyUpsert?: (params: Record<string, string>) => boolean;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

export function objectTypeParam(params: Record<string, string>, name = 'objectType'): SimObjectType {
  const raw = params[name] ?? '';
  const type = parseObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

/** Like objectTypeParam, but never throws (for scope lookups before the handler runs). */
export function objectTypeOr(params: Record<string, string>, name = 'objectType'): SimObjectType | undefined {
  return parseObjectType(params[name] ?? '');
}

export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) return v.length > 0 ? String(v[0]) : undefined;
  return v === undefined ? undefined : String(v);
}

export function queryBool(query: Record<string, unknown>, name: string): boolean {
  return queryString(query, name) === 'true';
}
