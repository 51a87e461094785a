/**
 * The vocabulary shared by the sync engine, the mapping and the source/destination adapters. The engine
 * knows records, cursors and batches — never OData or HubSpot paths — so Epicor- and HubSpot-specific
 * code stays behind `Source` and `Destination` (see ports.ts).
 */

/** The four streams ml-connector moves. */
export const ENTITY_KINDS = ['vendor', 'customer', 'vendorContact', 'customerContact'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export type HubSpotObjectType = 'companies' | 'contacts';

/**
 * Position in a stream: the change value and the key of the last record durably handled. Both are
 * strings so a bigint `SysRevID`, an ISO instant or a `ChangeDate`+`ChangeTime` pair all fit without
 * losing precision. `null` means "from the beginning".
 */
export interface StreamCursor {
  /** The record's change value, normalised so that string order is change order (see cursor.ts). */
  readonly value: string;
  /** The record's immutable key, as a string whose order matches the source's key order. */
  readonly key: string;
}

/** One record read from Epicor, before mapping. */
export interface SourceRecord {
  readonly kind: EntityKind;
  /** Immutable Epicor key, e.g. "204" (VendorNum) or "17||3" (CustNum, ShipToNum, ConNum). */
  readonly key: string;
  /** Where this record sits in its stream; the cursor advances to it once it is durably handled. */
  readonly position: StreamCursor;
  /** The Epicor row as returned, field names exactly as Epicor spells them. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A record ready for HubSpot: every property value is a string, as HubSpot requires. */
export interface MappedRecord {
  readonly kind: EntityKind;
  /** The connector's own unique id, e.g. "EPIC06:vendor:204"; never the changeable VendorID/CustID. */
  readonly sourceId: string;
  readonly objectType: HubSpotObjectType;
  readonly properties: Readonly<Record<string, string>>;
  /** For contacts: the sourceId of the company the contact belongs to. */
  readonly parentSourceId?: string;
  /** Hash of the mapped content; equal hashes mean "unchanged since the last successful write". */
  readonly contentHash: string;
  /** Values dropped or altered by a rule (e.g. an invalid email removed), for the audit trail. */
  readonly warnings: readonly string[];
}

/** Mapping either yields a record or sets it aside with a reason; it never throws for bad data. */
export type MapResult =
  | { readonly ok: true; readonly record: MappedRecord }
  | { readonly ok: false; readonly kind: EntityKind; readonly sourceId: string; readonly reason: string };

/**
 * The outcome recorded in the audit trail for one record of one batch. `archived`: reconcile archived the
 * HubSpot object because its Epicor record is gone.
 */
export type RecordAction = 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped' | 'archived';
