/**
 * Simple value transforms a user can put on a field mapping. In the config file they are written as
 * strings (`trim`, `truncate:40`, `lowercase`, `uppercase`, `constant:VALUE`, `default:VALUE`, `domain`)
 * or as `{ map: { FROM: TO, ... } }`. They work on text, after the Epicor value has been turned into a
 * string and trimmed, and run in the order given.
 */
import { domainFromUrl } from './domain.js';
import { truncateText } from './text.js';

export type Transform =
  | { readonly op: 'trim' }
  | { readonly op: 'truncate'; readonly length: number }
  | { readonly op: 'lowercase' }
  | { readonly op: 'uppercase' }
  | { readonly op: 'constant'; readonly value: string }
  | { readonly op: 'default'; readonly value: string }
  | { readonly op: 'domain' }
  | { readonly op: 'map'; readonly values: Readonly<Record<string, string>> };

/** The transform spellings accepted in the config file, for help and error messages. */
export const TRANSFORM_SYNTAX =
  'trim, truncate:N, lowercase, uppercase, constant:VALUE, default:VALUE, domain, or { map: { FROM: TO } }';

/** Parses one transform spelling; a string is an error message. */
export function parseTransform(text: string): Transform | string {
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  const arg = colon < 0 ? undefined : text.slice(colon + 1);
  switch (name) {
    case 'trim':
    case 'lowercase':
    case 'uppercase':
    case 'domain':
      return arg === undefined ? { op: name } : `"${name}" takes no argument`;
    case 'truncate': {
      const length = arg === undefined ? Number.NaN : Number(arg.trim());
      return Number.isInteger(length) && length > 0
        ? { op: 'truncate', length }
        : '"truncate" needs a positive whole number, e.g. truncate:40';
    }
    case 'constant':
    case 'default':
      return arg === undefined ? `"${name}" needs a value, e.g. ${name}:VALUE` : { op: name, value: arg };
    default:
      return `unknown transform "${text}"; use ${TRANSFORM_SYNTAX}`;
  }
}

/** Applies transforms in order. `constant` ignores its input; `default` fills an empty value. */
export function applyTransforms(value: string, transforms: readonly Transform[]): string {
  let out = value;
  for (const t of transforms) {
    switch (t.op) {
      case 'trim':
        out = out.trim();
        break;
      case 'truncate':
        out = truncateText(out, t.length);
        break;
      case 'lowercase':
        out = out.toLowerCase();
        break;
      case 'uppercase':
        out = out.toUpperCase();
        break;
      case 'constant':
        out = t.value;
        break;
      case 'default':
        if (out === '') out = t.value;
        break;
      case 'domain':
        out = domainFromUrl(out);
        break;
      case 'map':
        if (Object.hasOwn(t.values, out)) out = t.values[out] ?? out;
        break;
    }
  }
  return out;
}
