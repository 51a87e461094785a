/** Which streams exist, which HubSpot object each feeds, and in which order they must run. */
import { ENTITY_KINDS, type EntityKind, type HubSpotObjectType } from './model.js';

/** Each contact stream's company stream: contacts are associated with companies from it. */
export const PARENT_KIND: Readonly<Partial<Record<EntityKind, EntityKind>>> = {
  vendorContact: 'vendor',
  customerContact: 'customer',
};

export function objectTypeOf(kind: EntityKind): HubSpotObjectType {
  return PARENT_KIND[kind] === undefined ? 'companies' : 'contacts';
}

export function isContactKind(kind: EntityKind): boolean {
  return objectTypeOf(kind) === 'contacts';
}

/**
 * Lanes that may run side by side: each lane runs its streams in order, company stream first, so a
 * contact's company is synced before the contact. Vendors and customers are independent lanes.
 * `[vendor, customer, vendorContact]` → `[[vendor, vendorContact], [customer]]`.
 */
export function planLanes(kinds: readonly EntityKind[]): EntityKind[][] {
  const wanted = new Set(kinds);
  const lanes: EntityKind[][] = [];
  for (const company of ENTITY_KINDS.filter((kind) => !isContactKind(kind))) {
    const lane = ENTITY_KINDS.filter(
      (kind) => wanted.has(kind) && (kind === company || PARENT_KIND[kind] === company),
    );
    if (lane.length > 0) lanes.push(lane);
  }
  return lanes;
}

/** Companies before contacts, otherwise keeping the given order (stable). */
export function companiesFirst<T>(items: readonly T[], kindOf: (item: T) => EntityKind): T[] {
  return [
    ...items.filter((item) => !isContactKind(kindOf(item))),
    ...items.filter((item) => isContactKind(kindOf(item))),
  ];
}
