/**
 * Content hash of a mapped record: sha256 over canonical JSON (object keys sorted at every depth, no
 * whitespace) of what would be written to HubSpot — object type, properties and parent — minus volatile
 * properties such as `epicor_last_synced_at`. Equal hashes mean "unchanged since the last successful
 * write", so the engine can skip the write. The `v1:` prefix lets a future change of the hashed content
 * invalidate stored hashes (everything is then written once more) instead of comparing unlike things.
 */
import { createHash } from 'node:crypto';
import type { HubSpotObjectType } from './model.js';

/** Properties whose value changes on every write without the record changing; never hashed. */
export const VOLATILE_PROPERTIES: readonly string[] = ['epicor_last_synced_at'];

export const CONTENT_HASH_VERSION = 'v1';

export interface HashableContent {
  readonly objectType: HubSpotObjectType;
  readonly properties: Readonly<Record<string, string>>;
  readonly parentSourceId?: string | undefined;
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, i.e. plain `<`) at every depth; `undefined`
 * members are left out as JSON.stringify does. Only plain JSON values are expected.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  // Built by concatenation, without the entry arrays and closures per member: this runs for every
  // record of a sync, so its garbage counts.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += `${i === 0 ? '' : ','}${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out === '{' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * `v1:<64 hex>`; independent of property insertion order. The same text as
 * `canonicalJson({ objectType, properties (minus volatile), parentSourceId })`, built with one
 * `JSON.stringify` whose key list both sorts and filters the properties: this runs for every record of
 * a sync, and the general walk made several temporary strings and arrays per property.
 */
export function contentHash(
  content: HashableContent,
  volatile: readonly string[] = VOLATILE_PROPERTIES,
): string {
  const keys = Object.keys(content.properties)
    .filter((name) => !volatile.includes(name))
    .sort();
  const canonical = `{"objectType":${JSON.stringify(content.objectType)},"parentSourceId":${JSON.stringify(
    content.parentSourceId ?? null,
  )},"properties":${JSON.stringify(content.properties, keys)}}`;
  return `${CONTENT_HASH_VERSION}:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}
