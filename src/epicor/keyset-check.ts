import type { StreamCursor } from '../sync/model.js';
import { changeFields } from './cursor.js';
import type { ChangeStrategy } from './settings.js';

/**
 * Pure check that a keyset page moved forward. Within one scan every page starts strictly after the
 * cursor (the previous page's last row): change values never go back, and the last row is never the
 * cursor again. When they do, Epicor did not apply the `$filter` the way the client wrote it — for date
 * and date-time change columns almost always because `timeZone` is not the tenant's (the literal then
 * names another day or hour). Position values are fixed-width, so string order is sort order
 * (see cursor.ts); keys are compared for order only when every part is an integer, since string
 * parts follow the server's collation.
 */

export type KeysetProblem =
  | { readonly kind: 'backwards'; readonly at: StreamCursor }
  | { readonly kind: 'stuck'; readonly at: StreamCursor };

/**
 * What went wrong with a page read after `after`, or undefined when it advanced. `compareKeys`: the key
 * parts are all integers, so position keys compare exactly and a row with the cursor's change value but
 * a smaller key counts as out of order too.
 */
export function keysetProblem(
  after: StreamCursor,
  first: StreamCursor | null,
  last: StreamCursor | null,
  options: { readonly compareKeys: boolean } = { compareKeys: false },
): KeysetProblem | undefined {
  for (const row of [first, last]) {
    if (row === null) continue;
    if (row.value < after.value) return { kind: 'backwards', at: row };
    if (row.value !== after.value) continue;
    // The cursor's own row again: the page did not get past it.
    if (row.key === after.key) return { kind: 'stuck', at: row };
    if (options.compareKeys && row.key < after.key) return { kind: 'backwards', at: row };
  }
  return undefined;
}

/** Change strategies whose `$filter` literals depend on the configured time zone. */
export function zoneSensitive(change: ChangeStrategy): boolean {
  return (
    change.strategy === 'changeDateTime' || change.strategy === 'changeDate' || change.strategy === 'datetime'
  );
}

/** The message for a keyset problem: what was observed, the likely cause, and what to change. */
export function keysetProblemMessage(
  problem: KeysetProblem,
  context: {
    readonly path: string;
    readonly change: ChangeStrategy;
    readonly after: StreamCursor;
    readonly timeZone: string;
  },
): string {
  const columns = changeFields(context.change).join('+') || 'key';
  const show = (c: StreamCursor) => (c.value === '' ? `key ${c.key}` : `${c.value} (key ${c.key})`);
  const observed =
    problem.kind === 'backwards'
      ? `a page came back out of order: after the cursor ${show(context.after)} it held ${show(problem.at)}, which sorts before it`
      : `a page did not advance past the cursor ${show(context.after)}`;
  const cause = zoneSensitive(context.change)
    ? `This happens when connections[].epicor.timeZone does not match the Epicor tenant's time zone ` +
      `(configured: ${context.timeZone}), so the ${columns} values in the $filter name another day or time. ` +
      `Set it to the tenant's IANA zone (e.g. America/Chicago); \`ml-connector ping\` warns when it looks wrong. ` +
      `If the zone is right, the server ignores the keyset $filter: set the stream's paging to skip.`
    : "The server seems to ignore the keyset $filter; set the stream's paging to skip.";
  return `Keyset paging of ${context.path} by ${columns} failed: ${observed}. ${cause}`;
}
