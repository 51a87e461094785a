import type { SimObjectType } from './object-types.js';

export interface AssociationTypeInfo {
  from: SimObjectType;
  to: SimObjectType;
  typeId: number;
  inverse: number;
  label: string | null;
  isDefault: boolean;
}

/** HUBSPOT_DEFINED association types between companies and contacts (reference §3). */
export const ASSOCIATION_TYPES: readonly AssociationTypeInfo[] = [
  { from: 'companies', to: 'contacts', typeId: 280, inverse: 279, label: null, isDefault: true },
  { from: 'contacts', to: 'companies', typeId: 279, inverse: 280, label: null, isDefault: true },
  { from: 'companies', to: 'contacts', typeId: 2, inverse: 1, label: 'Primary', isDefault: false },
  { from: 'contacts', to: 'companies', typeId: 1, inverse: 2, label: 'Primary', isDefault: false },
  { from: 'companies', to: 'companies', typeId: 13, inverse: 14, label: 'Parent Company', isDefault: false },
  { from: 'companies', to: 'companies', typeId: 14, inverse: 13, label: 'Child Company', isDefault: false },
];

export function associationType(
  from: SimObjectType,
  to: SimObjectType,
  typeId: number,
): AssociationTypeInfo | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.typeId === typeId);
}

export function defaultAssociationType(
  from: SimObjectType,
  to: SimObjectType,
): AssociationTypeInfo | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.isDefault);
}

/** v3 `associations.<type>.results[].type` names. */
export function v3TypeName(info: AssociationTypeInfo): string {
  const base = `${info.from === 'companies' ? 'company' : 'contact'}_to_${info.to === 'companies' ? 'company' : 'contact'}`;
  if (info.typeId === 13) return 'parent_to_child_company';
  if (info.typeId === 14) return 'child_to_parent_company';
  return info.isDefault ? base : `${base}_${(info.label ?? 'labeled').toLowerCase()}`;
}

const key = (type: SimObjectType, id: string): string => `${type}:${id}`;

/**
 * Directed edges kept in both directions: `from → (to → typeIds)`. Adding an edge adds its inverse, so
 * reads from either side agree; adding an existing edge is a no-op (idempotent re-association).
 */
export class AssociationStore {
  readonly #edges = new Map<string, Map<string, Set<number>>>();

  reset(): void {
    this.#edges.clear();
  }

  #add(fromKey: string, toKey: string, typeId: number): boolean {
    let targets = this.#edges.get(fromKey);
    if (!targets) {
      targets = new Map();
      this.#edges.set(fromKey, targets);
    }
    let types = targets.get(toKey);
    if (!types) {
      types = new Set();
      targets.set(toKey, types);
    }
    if (types.has(typeId)) return false;
    types.add(typeId);
    return true;
  }

  /** Adds an edge of `info` (and its inverse). A contact keeps at most one primary company. */
  add(info: AssociationTypeInfo, fromId: string, toId: string): boolean {
    if (info.typeId === 1) this.#dropPrimary(fromId);
    if (info.typeId === 2) this.#dropPrimary(toId);
    const added = this.#add(key(info.from, fromId), key(info.to, toId), info.typeId);
    this.#add(key(info.to, toId), key(info.from, fromId), info.inverse);
    // A labelled association always carries the unlabelled default with it, as in HubSpot.
    if (!info.isDefault) {
      const def = defaultAssociationType(info.from, info.to);
      if (def) this.add(def, fromId, toId);
    }
    return added;
  }

  #dropPrimary(contactId: string): void {
    const targets = this.#edges.get(key('contacts', contactId));
    if (!targets) return;
    for (const [toKey, types] of targets) {
      if (types.delete(1)) this.#edges.get(toKey)?.get(key('contacts', contactId))?.delete(2);
    }
  }

  /** Removes every association between the pair (both directions). */
  removePair(from: SimObjectType, fromId: string, to: SimObjectType, toId: string): void {
    this.#edges.get(key(from, fromId))?.delete(key(to, toId));
    this.#edges.get(key(to, toId))?.delete(key(from, fromId));
  }

  /** Removes only the given type (and its inverse) between the pair; the pair stays if others remain. */
  removeType(info: AssociationTypeInfo, fromId: string, toId: string): void {
    const fwd = this.#edges.get(key(info.from, fromId))?.get(key(info.to, toId));
    fwd?.delete(info.typeId);
    if (fwd && fwd.size === 0) this.#edges.get(key(info.from, fromId))?.delete(key(info.to, toId));
    const back = this.#edges.get(key(info.to, toId))?.get(key(info.from, fromId));
    back?.delete(info.inverse);
    if (back && back.size === 0) this.#edges.get(key(info.to, toId))?.delete(key(info.from, fromId));
  }

  /** Removes every edge touching a record (on archive). */
  removeAllOf(type: SimObjectType, id: string): void {
    const targets = this.#edges.get(key(type, id));
    if (!targets) return;
    for (const toKey of targets.keys()) this.#edges.get(toKey)?.delete(key(type, id));
    this.#edges.delete(key(type, id));
  }

  /** Targets of `to` type with their type ids, in insertion order. */
  targets(from: SimObjectType, fromId: string, to: SimObjectType): { id: string; typeIds: number[] }[] {
    const targets = this.#edges.get(key(from, fromId));
    if (!targets) return [];
    const prefix = `${to}:`;
    const out: { id: string; typeIds: number[] }[] = [];
    for (const [toKey, types] of targets) {
      if (toKey.startsWith(prefix) && types.size > 0) {
        out.push({ id: toKey.slice(prefix.length), typeIds: [...types].sort((a, b) => a - b) });
      }
    }
    return out;
  }

  /** Every edge once per direction, for dumps. */
  all(): { from: SimObjectType; fromId: string; to: SimObjectType; toId: string; typeIds: number[] }[] {
    const out: { from: SimObjectType; fromId: string; to: SimObjectType; toId: string; typeIds: number[] }[] =
      [];
    for (const [fromKey, targets] of this.#edges) {
      const [from, fromId] = fromKey.split(':') as [SimObjectType, string];
      for (const [toKey, types] of targets) {
        if (types.size === 0) continue;
        const [to, toId] = toKey.split(':') as [SimObjectType, string];
        out.push({ from, fromId, to, toId, typeIds: [...types].sort((a, b) => a - b) });
      }
    }
    return out;
  }
}
