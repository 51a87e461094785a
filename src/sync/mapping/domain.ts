/**
 * HubSpot company `domain` from an Epicor URL field (`VendURL`, `CustURL`): scheme, credentials,
 * `www.`, port, path, query and fragment removed, lower-cased, trailing dot dropped. Returns '' when
 * nothing that looks like a host name is left (e.g. "n/a", "none", an email address).
 *
 *   "https://www.Example.com/contact?x=1" -> "example.com"
 *   "www.acme.co.uk"                      -> "acme.co.uk"
 */
export function domainFromUrl(url: string): string {
  let rest = url.trim();
  if (rest === '') return '';
  rest = rest.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\/\//, '');
  // Cut at the first path/query/fragment marker, then drop credentials and port.
  rest = rest.split(/[/?#\\]/, 1)[0] ?? '';
  if (rest.includes('@')) return '';
  rest = rest.replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
  rest = rest.replace(/^www\d*\./, '');
  // Letters (any script), digits and hyphens in dot-separated labels, at least two labels.
  const label = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
  const labels = rest.split('.');
  if (labels.length < 2 || !labels.every((l) => label.test(l))) return '';
  return rest;
}
