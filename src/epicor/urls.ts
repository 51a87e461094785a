import { ConfigError } from '../core/errors.js';
import { isLoopbackHost } from '../core/http.js';
import { redactUrl } from '../core/redact.js';

/**
 * Epicor REST v2 URL shapes:
 *   {tenant}/api/v2/odata/{Company}/{Service}/{EntitySet}   (entity sets, $metadata, BaqSvc/{id}/Data)
 *   {tenant}/TokenResource.svc/                              (Epicor bearer tokens, at the instance root)
 * The tenant is `https://{server}/{instance}`. Names are case sensitive; the Company segment is
 * URL-encoded because company IDs are free-form.
 */

/** Normalises a tenant URL (no trailing slash) and refuses plain http off loopback unless allowed. */
export function normaliseBaseUrl(raw: string, what: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError([`${what}: not a valid URL`]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError([`${what}: must use https (got ${url.protocol})`]);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    throw new ConfigError([
      `${what}: plain http to ${url.hostname} would send the API key and credentials unencrypted; ` +
        'use https, or set allowInsecureHttp: true if you accept that risk',
    ]);
  }
  if (url.username || url.password) {
    throw new ConfigError([`${what}: must not embed credentials; use the auth settings instead`]);
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** `erp.bo.vendorsvc` → `Erp.BO.vendorsvc`: Epicor's canonical prefix casing (the rest is kept). */
export function canonicalServiceName(service: string): string {
  return service.replace(/^(erp|ice)\.(bo|proc|lib|rpt)\./i, (_m, ns: string, kind: string) => {
    const namespace = ns.toLowerCase() === 'erp' ? 'Erp' : 'Ice';
    const k = kind.toLowerCase();
    const canonicalKind = k === 'bo' ? 'BO' : k.charAt(0).toUpperCase() + k.slice(1);
    return `${namespace}.${canonicalKind}.`;
  });
}

/** `{tenant}/api/v2/odata/{Company}` */
export function odataRoot(tenantUrl: string, company: string): string {
  return `${tenantUrl}/api/v2/odata/${encodeURIComponent(company)}`;
}

/** `Erp.BO.VendorSvc/Vendors` — the service-relative path recorded with every query. */
export function servicePath(service: string, entitySet: string): string {
  return `${canonicalServiceName(service)}/${entitySet}`;
}

/** `BaqSvc/{BaqID}/Data` */
export function baqPath(baqId: string): string {
  return `BaqSvc/${encodeURIComponent(baqId)}/Data`;
}

/** Appends an ordered list of query parameters; `$` stays literal, values are percent-encoded. */
export function withQuery(url: string, params: readonly (readonly [string, string])[]): string {
  if (params.length === 0) return url;
  const qs = params
    .map(([name, value]) => `${encodeURIComponent(name).replace(/^%24/, '$')}=${encodeURIComponent(value)}`)
    .join('&');
  return `${url}?${qs}`;
}

/** For error messages: the URL without its query string, credentials hidden. */
export function displayUrl(url: string): string {
  const cut = url.indexOf('?');
  return redactUrl(cut < 0 ? url : url.slice(0, cut));
}
