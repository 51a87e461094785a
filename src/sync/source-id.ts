/**
 * The connector's own ids for Epicor records, written to HubSpot as `epicor_source_id` and used as the
 * upsert key. Built from the Epicor Company, the record type and the record's *immutable* key parts —
 * never the changeable `VendorID`/`CustID`, so a rename in Epicor updates the same HubSpot record.
 *
 *   EPIC06:vendor:204                       Company EPIC06, VendorNum 204
 *   EPIC06:customer:17                      CustNum 17
 *   EPIC06:vendor-contact:204:PP1:3         VendorNum 204, PurPoint 'PP1', ConNum 3
 *   EPIC06:customer-contact:17::2           CustNum 17, ShipToNum '' (customer level), ConNum 2
 *
 * Encoding: parts are joined with `:`; inside a part `%` is written `%25` and `:` is written `%3A`
 * (upper-case hex, nothing else is escaped). The encoding is canonical: every valid id parses to exactly
 * one (company, kind, parts) triple and building from that triple gives the same string back.
 */
import type { EntityKind } from './model.js';

/** The record-type segment of a source id, per entity kind. */
export const SOURCE_TYPE_BY_KIND = {
  vendor: 'vendor',
  customer: 'customer',
  vendorContact: 'vendor-contact',
  customerContact: 'customer-contact',
} as const satisfies Record<EntityKind, string>;

export type SourceType = (typeof SOURCE_TYPE_BY_KIND)[EntityKind];

/** Names of the immutable Epicor key parts of each kind, in key order (after Company). */
export const KEY_FIELDS = {
  vendor: ['VendorNum'],
  customer: ['CustNum'],
  vendorContact: ['VendorNum', 'PurPoint', 'ConNum'],
  customerContact: ['CustNum', 'ShipToNum', 'ConNum'],
} as const satisfies Record<EntityKind, readonly string[]>;

export interface ParsedSourceId {
  readonly company: string;
  readonly kind: EntityKind;
  /** The key parts, unescaped, in `KEY_FIELDS[kind]` order. */
  readonly keyParts: readonly string[];
}

const KIND_BY_SOURCE_TYPE = new Map<string, EntityKind>(
  (Object.entries(SOURCE_TYPE_BY_KIND) as [EntityKind, string][]).map(([kind, type]) => [type, kind]),
);

function escapePart(part: string): string {
  return part.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/** Undoes `escapePart`; undefined when the part holds a `%` that `escapePart` would not have written. */
function unescapePart(part: string): string | undefined {
  if (/%(?!25|3A)/.test(part)) return undefined;
  return part.replace(/%(25|3A)/g, (_m, hex: string) => (hex === '25' ? '%' : ':'));
}

/**
 * Builds a source id. `keyParts` must have exactly as many parts as the kind's key
 * (`KEY_FIELDS[kind]`); the company must not be empty. Throws a RangeError otherwise: that is a bug in
 * the caller, not bad data (bad keys from Epicor are caught by `parseRecordKey`).
 */
export function buildSourceId(company: string, kind: EntityKind, keyParts: readonly string[]): string {
  const expected = KEY_FIELDS[kind].length;
  if (company === '') throw new RangeError('buildSourceId: company must not be empty');
  if (keyParts.length !== expected) {
    throw new RangeError(`buildSourceId: ${kind} needs ${expected} key part(s), got ${keyParts.length}`);
  }
  return [escapePart(company), SOURCE_TYPE_BY_KIND[kind], ...keyParts.map(escapePart)].join(':');
}

/** Parses a source id; undefined when the text is not one this module would build. */
export function parseSourceId(id: string): ParsedSourceId | undefined {
  const segments = id.split(':');
  const [rawCompany, type, ...rawParts] = segments;
  if (rawCompany === undefined || type === undefined) return undefined;
  const kind = KIND_BY_SOURCE_TYPE.get(type);
  if (kind === undefined || rawParts.length !== KEY_FIELDS[kind].length) return undefined;
  const company = unescapePart(rawCompany);
  if (company === undefined || company === '') return undefined;
  const keyParts: string[] = [];
  for (const raw of rawParts) {
    const part = unescapePart(raw);
    if (part === undefined) return undefined;
    keyParts.push(part);
  }
  return { company, kind, keyParts };
}

/**
 * The source id of the company a contact belongs to: the vendor for a vendor contact (whatever its
 * purchase point), the customer for a customer contact (whatever its ship-to). Undefined for an id that
 * is not a contact id.
 */
export function parentSourceId(contactSourceId: string): string | undefined {
  const parsed = parseSourceId(contactSourceId);
  if (parsed === undefined) return undefined;
  const [parentKey] = parsed.keyParts;
  if (parentKey === undefined) return undefined;
  if (parsed.kind === 'vendorContact') return buildSourceId(parsed.company, 'vendor', [parentKey]);
  if (parsed.kind === 'customerContact') return buildSourceId(parsed.company, 'customer', [parentKey]);
  return undefined;
}

/**
 * Splits a `SourceRecord.key` (key parts joined with `|`, e.g. `17||3`) into its parts. For the
 * three-part contact keys the first and last parts are integers (VendorNum/CustNum, ConNum), so the
 * middle part (PurPoint/ShipToNum) is everything between the first and the last `|` — a `|` inside a
 * ship-to code cannot shift the parts. Returns undefined when the key does not fit the kind.
 */
export function parseRecordKey(kind: EntityKind, key: string): readonly string[] | undefined {
  const isInt = (s: string): boolean => /^-?\d+$/.test(s);
  if (kind === 'vendor' || kind === 'customer') return isInt(key) ? [key] : undefined;
  const first = key.indexOf('|');
  const last = key.lastIndexOf('|');
  if (first < 0 || last === first) return undefined;
  const parts = [key.slice(0, first), key.slice(first + 1, last), key.slice(last + 1)];
  const [head, , tail] = parts;
  if (head === undefined || tail === undefined || !isInt(head) || !isInt(tail)) return undefined;
  return parts;
}

/** Joins key parts the way `SourceRecord.key` expects (`|`); the inverse of `parseRecordKey`. */
export function formatRecordKey(keyParts: readonly string[]): string {
  return keyParts.join('|');
}

/** The source id of a record read from Epicor, or undefined when its key does not fit its kind. */
export function sourceIdForRecord(company: string, kind: EntityKind, key: string): string | undefined {
  const parts = parseRecordKey(kind, key);
  return parts === undefined || company === '' ? undefined : buildSourceId(company, kind, parts);
}
