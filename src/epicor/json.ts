/**
 * JSON.parse that never loses integer precision. Node 20's reviver has no access to the source text, so
 * integers beyond Number.MAX_SAFE_INTEGER (e.g. a rowversion-backed `SysRevID`) are quoted in the raw
 * text before parsing and arrive as decimal strings. Smaller numbers stay numbers.
 */
export function parseJsonPreservingBigInts(text: string): unknown {
  // Fast path: no run of 16+ digits anywhere means nothing can exceed 2^53 - 1 (16 digits max).
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(quoteUnsafeIntegers(text));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Rewrites unsafe integer literals outside strings as JSON strings; everything else is copied. */
export function quoteUnsafeIntegers(text: string): string {
  const out: string[] = [];
  let copiedTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, honouring escapes.
      i++;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i += 2;
        else if (s === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal)) {
        const magnitude = BigInt(literal.startsWith('-') ? literal.slice(1) : literal);
        if (magnitude > MAX_SAFE) {
          out.push(text.slice(copiedTo, start), `"${literal}"`);
          copiedTo = i;
        }
      }
      continue;
    }
    i++;
  }
  if (copiedTo === 0) return text;
  out.push(text.slice(copiedTo));
  return out.join('');
}

function isNumberChar(c: number): boolean {
  // digits . e E + -
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}
