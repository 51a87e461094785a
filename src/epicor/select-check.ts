import { selectFor } from './scan-plan.js';
import type { ResolvedStream } from './streams.js';

/**
 * Does every column a stream's `$select` names exist on the entity type? Epicor answers HTTP 400
 * ("Could not find a property named 'ZIP' on type 'Erp.Tablesets.VendorRow'.") to a `$select` naming a
 * column the tenant lacks, so one wrong default or mapping column fails every read of the stream. `ping`
 * compares the columns against `$metadata`. Pure: the columns come from `selectFor`, the very function
 * paging uses to build `$select`, so the check cannot drift from what is sent.
 */

/** The columns of the stream's `$select`, as paging sends them; undefined when it reads every column. */
export function selectedColumns(stream: ResolvedStream): string[] | undefined {
  const select = selectFor(stream);
  return select === undefined ? undefined : select.split(',').filter((name) => name !== '');
}

export interface ColumnComparison {
  /** Columns the entity type does not have, in `$select` order. */
  readonly missing: readonly string[];
  /** For a missing column whose name exists in another letter case: the entity's spelling (`ZIP` → `Zip`). */
  readonly sameButCase: Readonly<Record<string, string>>;
}

/** Compares names exactly (OData property names are case-sensitive). */
export function compareColumns(columns: readonly string[], properties: readonly string[]): ColumnComparison {
  const exact = new Set(properties);
  const byLower = new Map<string, string>();
  for (const name of properties) if (!byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
  const missing: string[] = [];
  const sameButCase: Record<string, string> = {};
  for (const column of new Set(columns)) {
    if (exact.has(column)) continue;
    missing.push(column);
    const other = byLower.get(column.toLowerCase());
    if (other !== undefined) sameButCase[column] = other;
  }
  return { missing, sameButCase };
}

export type SelectCheckStatus = 'pass' | 'fail' | 'skipped';

export interface SelectCheck {
  /** `skipped`: the entity's columns could not be listed, so nothing is known (not a pass). */
  readonly status: SelectCheckStatus;
  /** Columns `$select` asks for; null when the stream sends no `$select` (every column is read). */
  readonly columns: readonly string[] | null;
  /** Asked-for columns the entity lacks (change columns already reported by the change check excluded). */
  readonly missing: readonly string[];
  readonly sameButCase: Readonly<Record<string, string>>;
  readonly message: string;
}

/** Where the entity's column names come from, or why there are none. */
export type ColumnSource = { readonly properties: readonly string[] } | { readonly unavailable: string };

/**
 * The check for one stream. `reported`: columns another check already reports as missing (the change
 * columns of the configured strategy); they are left out of `missing` so one gap is not failed twice.
 */
export function checkSelect(
  stream: ResolvedStream,
  source: ColumnSource,
  reported: readonly string[] = [],
): SelectCheck {
  const columns = selectedColumns(stream);
  const empty = { missing: [], sameButCase: {} };
  if (columns === undefined) {
    return {
      status: 'pass',
      columns: null,
      ...empty,
      message: `no $select: every column of ${stream.path} is read`,
    };
  }
  const risk = `a $select column that ${stream.path} lacks makes every read of this stream fail with HTTP 400`;
  if ('unavailable' in source) {
    return { status: 'skipped', columns, ...empty, message: `not checked: ${source.unavailable}; ${risk}` };
  }
  if (source.properties.length === 0) {
    return {
      status: 'skipped',
      columns,
      ...empty,
      message: `not checked: $metadata lists no columns for ${stream.path}; ${risk}`,
    };
  }
  const compared = compareColumns(columns, source.properties);
  const already = new Set(reported);
  const missing = compared.missing.filter((name) => !already.has(name));
  const skippedReported = compared.missing.filter((name) => already.has(name));
  const sameButCase = Object.fromEntries(
    Object.entries(compared.sameButCase).filter(([name]) => !already.has(name)),
  );
  if (missing.length === 0) {
    const others = skippedReported.length === 0 ? 'all' : 'the other';
    return {
      status: 'pass',
      columns,
      ...empty,
      message:
        `${others} ${columns.length - skippedReported.length} $select columns exist on ${stream.path} (per $metadata)` +
        (skippedReported.length === 0 ? '' : `; ${skippedReported.join(', ')}: see the change-column check`),
    };
  }
  const hints = Object.entries(sameButCase).map(([asked, has]) => `${asked}: the entity has ${has}`);
  const it = missing.length === 1 ? 'it' : 'them';
  return {
    status: 'fail',
    columns,
    missing,
    sameButCase,
    message:
      `${stream.path} has no ${missing.join(', ')} (per $metadata), but $select asks for ${it}: ` +
      `Epicor would answer HTTP 400 to every read of this stream` +
      (hints.length === 0 ? '' : ` (${hints.join('; ')})`),
  };
}
