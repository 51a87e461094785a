import { PropertyNotFoundError } from './odata/errors.js';
import { compileFilter, type FilterContext } from './odata/filter.js';
import { ENTITY_SETS, type EntitySetDef, type EntitySetName, isEntitySetName } from './schema.js';

/**
 * The child entity-set `$filter` quirk (reference §3.5, LIVE on other services: S2 `POSvc/PODetails`,
 * S3 `SalesOrderSvc` order lines; UNCONFIRMED for `VendorSvc/VendCntMains`). A `$filter` on a *child*
 * entity set queried at the service root is bound to the *parent* row type:
 *
 * - a filter naming a column the parent lacks (`ChangeDate`, `ConNum`, `EmailAddress`, and `UpdatedOn`
 *   unless the `updatedOn` option gives every type that column) → mode `empty`: 200 with an empty
 *   `value`; mode `error`: the usual 400 ODataException, "Could not find a property named 'ChangeDate'
 *   on type 'Erp.Tablesets.VendorRow'." (the parent's type, which is how the binding shows);
 * - a filter naming only columns both types have (`VendorNum`, `PurPoint`, `SysRevID`, `Company`, …) →
 *   200 with an empty `value` in both modes: S2's failing filter, `PONUM eq X`, named a column the parent
 *   PO header has too, and still "reliably" came back empty. (What Epicor would do with `SysRevID gt n`
 *   bound to the vendor row — the vendor's revision instead of the contact's — nobody has observed; the
 *   simulator does not invent rows for it.)
 *
 * A malformed filter is a 400 in both modes. Unfiltered reads, `$expand` from the parent (with or
 * without a nested `$filter`) and navigation (`Vendors('EPIC06',12)/VendCntMains?$filter=…`) are
 * unaffected.
 */

export type ChildFilterQuirkMode = 'empty' | 'error';

export interface ChildFilterQuirk {
  /** Child entity sets that misbehave, e.g. `['VendCntMains']`. */
  readonly entitySets: readonly EntitySetName[];
  readonly mode: ChildFilterQuirkMode;
}

/** The entity set whose navigation leads to `name` (its parent), if any. */
export function parentOf(name: EntitySetName): EntitySetDef | undefined {
  return Object.values(ENTITY_SETS).find((set) => set.navigations.some((nav) => nav.target === name));
}

/** Only child entity sets can have the quirk; returns a frozen copy, or undefined when switched off. */
export function checkChildFilterQuirk(
  quirk: { readonly entitySets: readonly string[]; readonly mode: string } | undefined,
): ChildFilterQuirk | undefined {
  if (quirk === undefined) return undefined;
  if (quirk.mode !== 'empty' && quirk.mode !== 'error') {
    throw new Error(`childFilterQuirk: mode must be 'empty' or 'error', not "${quirk.mode}".`);
  }
  const children = Object.keys(ENTITY_SETS).filter((name) => isEntitySetName(name) && parentOf(name));
  for (const name of quirk.entitySets) {
    if (!isEntitySetName(name) || !parentOf(name)) {
      throw new Error(
        `childFilterQuirk: "${name}" is not a child entity set (one of ${children.join(', ')}).`,
      );
    }
  }
  return Object.freeze({
    entitySets: Object.freeze([...quirk.entitySets]) as readonly EntitySetName[],
    mode: quirk.mode,
  });
}

/** True when the quirk applies: a non-blank `$filter` on a quirked child set at the service root. */
export function quirkApplies(
  quirk: ChildFilterQuirk | undefined,
  name: EntitySetName,
  filter: string | undefined,
): quirk is ChildFilterQuirk {
  return quirk?.entitySets.includes(name) === true && filter !== undefined && filter.trim() !== '';
}

/**
 * Binds the filter to the parent type as the quirk does. Returns normally when the answer is an empty
 * collection; throws the 400 (ODataQueryError) when the answer is an error.
 */
export function bindToParent(filter: string, parent: FilterContext, mode: ChildFilterQuirkMode): void {
  try {
    compileFilter(filter, parent);
  } catch (error) {
    if (mode === 'empty' && error instanceof PropertyNotFoundError) return;
    throw error;
  }
}
