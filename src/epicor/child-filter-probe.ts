import type { EpicorClient } from './client.js';
import { keyColumns, positionKeyOf } from './cursor.js';
import { EpicorError } from './errors.js';
import type { ResolvedStream } from './streams.js';

/**
 * The child entity-set `$filter` probe (reference §3.5; UNCONFIRMED for `Erp.BO.VendorSvc/VendCntMains`).
 * A child set queried at the service root may bind `$filter` to the parent row type, and then answer
 * every filtered read with nothing (or a 400). The probe takes one contact read without a filter and
 * reads it back by its whole key, written exactly as keyset paging writes it
 * (`VendorNum eq 17 and PurPoint eq '' and ConNum eq 3`): every page after the first filters on these
 * columns, and `ConNum` is one the parent Vendor type lacks, so a server that binds the filter to the
 * parent refuses or empties it here as it would in the sync. Used by `checkConnection` (a warning) and
 * by the Epicor source (a stop before contacts go missing).
 */

export type ChildFilterProbeOutcome =
  /** The contact came back: filtered reads of the set work. */
  | { readonly kind: 'ok'; readonly path: string; readonly filter: string }
  /** The quirk, silent form: the contact exists but its own key filter returns nothing. */
  | { readonly kind: 'empty'; readonly path: string; readonly columns: string; readonly filter: string }
  /** The quirk, loud form: Epicor answers 400 to a filter on the set's own key. */
  | {
      readonly kind: 'rejected';
      readonly path: string;
      readonly columns: string;
      readonly filter: string;
      readonly error: EpicorError;
    }
  /** Nothing to decide with (no contact, an unreadable row, an unrelated error): do not block. */
  | {
      readonly kind: 'inconclusive';
      readonly path: string;
      readonly reason: 'no-rows' | 'unreadable-row' | 'error';
      readonly error?: EpicorError;
    };

export type ChildFilterQuirkOutcome = Extract<ChildFilterProbeOutcome, { kind: 'empty' | 'rejected' }>;

type Row = Readonly<Record<string, unknown>>;

/** Streams read from a child entity set at the service root: vendor contacts from an entity set. */
export function childFilterProbeApplies(stream: ResolvedStream): boolean {
  return stream.kind === 'vendorContact' && stream.sourceType === 'entitySet';
}

/** `VendorNum eq 17 and PurPoint eq '' and ConNum eq 3`, as paging writes key columns. Throws on a bad row. */
export function keyFilterOf(row: Row, stream: ResolvedStream): string {
  return keyColumns(positionKeyOf(row, stream.keyFields), stream.keyFields)
    .map((c) => `${c.field} eq ${c.literal ?? 'null'}`)
    .join(' and ');
}

/** A 400 that is not a license refusal: Epicor refusing the filter itself. */
function isFilterRejection(error: EpicorError): boolean {
  return error.code === 'ERR_EPICOR_HTTP' && error.status === 400;
}

/**
 * The outcome of reading `filtered` back: pure, so the classification is testable without a server.
 * `filtered` is the rows returned, or the error thrown.
 */
export function classifyProbe(
  stream: ResolvedStream,
  filter: string,
  filtered: readonly Row[] | EpicorError,
): ChildFilterProbeOutcome {
  const path = stream.path;
  const columns = stream.keyFields.map((k) => k.name).join(', ');
  if (filtered instanceof EpicorError) {
    return isFilterRejection(filtered)
      ? { kind: 'rejected', path, columns, filter, error: filtered }
      : { kind: 'inconclusive', path, reason: 'error', error: filtered };
  }
  return filtered.length > 0 ? { kind: 'ok', path, filter } : { kind: 'empty', path, columns, filter };
}

export interface ProbeOptions {
  /** A row already read from the set without a filter (saves the `$top=1` read). */
  readonly sample?: Row;
  readonly signal?: AbortSignal;
}

/**
 * Runs the probe: at most two requests (`$top=1` unfiltered unless a sample is given, then the key
 * filter with `$top=1`). Never throws for an Epicor error (those are outcomes); an abort or a bug throws.
 */
export async function probeChildFilter(
  client: EpicorClient,
  stream: ResolvedStream,
  options: ProbeOptions = {},
): Promise<ChildFilterProbeOutcome> {
  const { path } = stream;
  const { signal } = options;
  let sample = options.sample;
  if (sample === undefined) {
    try {
      sample = (await client.getRows(path, { $top: 1 }, {}, signal))[0];
    } catch (error) {
      return { kind: 'inconclusive', path, reason: 'error', error: epicorErrorOf(error, signal) };
    }
    if (sample === undefined) return { kind: 'inconclusive', path, reason: 'no-rows' };
  }
  let filter: string;
  try {
    filter = keyFilterOf(sample, stream);
  } catch {
    return { kind: 'inconclusive', path, reason: 'unreadable-row' }; // the sync reports such a row itself
  }
  let filtered: readonly Row[] | EpicorError;
  try {
    filtered = await client.getRows(path, { $filter: filter, $top: 1 }, {}, signal);
  } catch (error) {
    filtered = epicorErrorOf(error, signal);
  }
  return classifyProbe(stream, filter, filtered);
}

function epicorErrorOf(error: unknown, signal: AbortSignal | undefined): EpicorError {
  if (signal?.aborted || !(error instanceof EpicorError)) throw error;
  return error;
}

export function isChildFilterQuirk(outcome: ChildFilterProbeOutcome): outcome is ChildFilterQuirkOutcome {
  return outcome.kind === 'empty' || outcome.kind === 'rejected';
}

function detailOf(error: EpicorError): string {
  return `${error.code}${error.errorMessage ? `: ${error.errorMessage}` : ''}`;
}

/** `ping`'s warning for a quirk (its wording is pinned by the CLI e2e tests). */
export function quirkWarning(outcome: ChildFilterQuirkOutcome): string {
  const fix = 'set streams.vendorContacts.change to { strategy: vendor-expand }';
  return outcome.kind === 'empty'
    ? `${outcome.path} returned nothing when filtered by its key (${outcome.columns}) although the row exists (child entity-set quirk); ${fix}`
    : `${outcome.path} rejected a filter on its key (${outcome.columns}) (${detailOf(outcome.error)}) (child entity-set quirk); ${fix}`;
}

/** The sync's error message for a quirk: what was found, what it would cost, and what to do. */
export function quirkErrorMessage(outcome: ChildFilterQuirkOutcome): string {
  const found =
    outcome.kind === 'empty'
      ? `${outcome.path} returned nothing when filtered by its own key although the row exists (the child entity-set quirk): vendor contacts would be silently missed.`
      : `${outcome.path} rejected a filter on its own key (${detailOf(outcome.error)}) (the child entity-set quirk): vendor contacts cannot be read page by page.`;
  return (
    `${found} Set streams.vendorContacts.change: { strategy: vendor-expand } (see docs/configuration.md). ` +
    `Probe: $filter=${outcome.filter}. If you are sure this check is wrong for your tenant, connections[].epicor.childFilterCheck: false turns it off.`
  );
}
