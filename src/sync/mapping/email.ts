/**
 * Email checks done before HubSpot sees a value, so a bad address is handled by rule instead of
 * failing a batch with INVALID_EMAIL. HubSpot's exact acceptance rules are not published (UNCONFIRMED);
 * this accepts the common `local@domain.tld` form: no spaces, one `@`, a dot-atom local part of at most
 * 64 characters, host labels of letters/digits/hyphens and a top-level domain of at least two letters,
 * 254 characters in all. Internationalised (non-ASCII) addresses are accepted.
 */
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu;

export function isValidEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const tld = labels[labels.length - 1] ?? '';
  return (
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => LABEL.test(l)) &&
    TLD.test(tld)
  );
}

export type EmailCheck =
  | { readonly ok: true; readonly value: string; readonly note?: string }
  | { readonly ok: false };

/**
 * Checks an address. ERP users often type several addresses into one field ("a@x.com; b@y.com") or wrap
 * one in a display name ("Ann <ann@x.com>"): when the whole value is invalid but such a form yields a
 * valid address, the first one is taken with a note for the warnings.
 */
export function checkEmail(value: string): EmailCheck {
  if (isValidEmail(value)) return { ok: true, value };
  const angle = /<([^<>\s]+)>/.exec(value)?.[1];
  if (angle !== undefined && isValidEmail(angle)) {
    return { ok: true, value: angle, note: 'took the address inside <…>' };
  }
  const pieces = value.split(/[;,\s]+/).filter((p) => p !== '');
  if (pieces.length > 1) {
    const first = pieces.find(isValidEmail);
    if (first !== undefined)
      return { ok: true, value: first, note: 'several addresses; kept the first valid one' };
  }
  return { ok: false };
}
