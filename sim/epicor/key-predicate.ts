import { ODataQueryError } from './odata/errors.js';
import type { Value, Values } from './odata/values.js';
import type { EntitySetDef, FieldDef } from './schema.js';

/**
 * Splits a resource segment such as `Vendors('EPIC06',12)` or `CustCnts(Company='EPIC06',CustNum=3,
 * ShipToNum='',ConNum=1)` into the entity set name and its key (string parts quoted, `''` escapes `'`).
 */
export function parseSegment(segment: string): { name: string; keyText: string | undefined } {
  const open = segment.indexOf('(');
  if (open < 0) return { name: segment, keyText: undefined };
  if (!segment.endsWith(')')) throw new ODataQueryError(`Bad Request - Error in query syntax: '${segment}'.`);
  return { name: segment.slice(0, open), keyText: segment.slice(open + 1, -1) };
}

function splitKeyParts(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (c === ',' && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function literal(text: string, field: FieldDef, qualifiedType: string): Value {
  const isString = field.type === 'string' || field.type === 'guid';
  if (isString) {
    if (!/^'(?:[^']|'')*'$/.test(text)) {
      throw new ODataQueryError(
        `The key value '${text}' of property '${field.name}' on type '${qualifiedType}' is not a quoted string.`,
      );
    }
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (!/^-?\d+$/.test(text)) {
    throw new ODataQueryError(
      `The key value '${text}' is not a valid ${field.type} for property '${field.name}'.`,
    );
  }
  return field.type === 'int64' ? BigInt(text) : Number(text);
}

export function parseKey(keyText: string, def: EntitySetDef, fields: ReadonlyMap<string, FieldDef>): Values {
  const qualifiedType = `Erp.Tablesets.${def.rowType}`;
  const parts = splitKeyParts(keyText);
  if (parts.length !== def.keys.length) {
    throw new ODataQueryError(
      `The number of keys specified in the URI does not match number of key properties for the resource '${qualifiedType}'.`,
    );
  }
  const out: Values = {};
  parts.forEach((part, i) => {
    const named = /^([A-Za-z_]\w*)\s*=\s*(.*)$/s.exec(part);
    const name = named ? (named[1] ?? '') : (def.keys[i] as string);
    const text = named ? (named[2] ?? '') : part;
    if (!def.keys.includes(name)) {
      throw new ODataQueryError(`Could not find a key property named '${name}' on type '${qualifiedType}'.`);
    }
    out[name] = literal(text, fields.get(name) as FieldDef, qualifiedType);
  });
  return out;
}
