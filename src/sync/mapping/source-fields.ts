/**
 * Which Epicor columns a kind's effective mapping reads, so the Epicor client can `$select` only those
 * (real Vendor rows carry ~260 columns, Customer ~540; the mapping reads about 15). Derived `@…` fields
 * are replaced by the columns they are computed from. Key and change columns are not listed here: the
 * Epicor client adds them to every `$select` itself.
 */
import type { EntityKind } from '../model.js';
import type { DERIVED_FIELDS } from './derived.js';
import { effectiveMappings } from './mapper.js';
import type { MappingSettings } from './settings.js';

/** Epicor columns each derived field is computed from (see derived.ts and names.ts). */
const DERIVED_SOURCES: Readonly<Record<(typeof DERIVED_FIELDS)[number], readonly string[]>> = {
  '@FirstName': ['FirstName', 'LastName', 'Name'],
  '@LastName': ['FirstName', 'LastName', 'Name'],
  // From the record key, the connection's company and the kind: no column needed.
  '@SourceId': [],
  '@ParentSourceId': [],
  '@Company': [],
  '@RecordType': [],
};

function derivedSources(name: string): readonly string[] {
  return Object.hasOwn(DERIVED_SOURCES, name) ? DERIVED_SOURCES[name as keyof typeof DERIVED_SOURCES] : [];
}

/** Epicor column names read by `kind`'s effective mapping (defaults + user fields − drops), in mapping order. */
export function sourceFieldsFor(kind: EntityKind, mapping: MappingSettings = {}): string[] {
  const fields = new Set<string>();
  for (const m of effectiveMappings(kind, mapping)) {
    for (const name of m.from) {
      if (name.startsWith('@')) for (const source of derivedSources(name)) fields.add(source);
      else fields.add(name);
    }
  }
  return [...fields];
}
