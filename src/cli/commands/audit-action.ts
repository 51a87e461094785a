/**
 * The `audit` command: what `registerAuditCommand` runs (imported only then, so that `--help` and the
 * other commands do not load the store).
 */
import type { AuditEntry, AuditQuery } from '../../store/index.js';
import type { RecordAction } from '../../sync/model.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext } from '../output/context.js';
import { toCsv } from '../output/csv.js';
import { UsageError } from '../output/errors.js';
import { isoTime } from '../output/format.js';
import type { ActionContext, Output } from '../output/io.js';
import { toJsonLines } from '../output/json.js';
import { type Column, renderTable } from '../output/table.js';
import { parseTimeArgument } from '../output/time-filter.js';
import type { AuditFormat, AuditOptions } from './audit.js';
import { streamName } from './status-action.js';

/** What one audit row looks like in JSON and CSV (times ISO-8601 UTC, streams as in the config). */
export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly connection: string;
  readonly run: number;
  readonly batch: number | null;
  readonly stream: string;
  readonly action: RecordAction;
  readonly sourceId: string;
  readonly hubspotId: string | null;
  readonly label: string | null;
  readonly errorCategory: string | null;
  readonly errorMessage: string | null;
  readonly contentHash: string | null;
}

export const AUDIT_CSV_HEADERS = [
  'id',
  'at',
  'connection',
  'run',
  'batch',
  'stream',
  'action',
  'source_id',
  'hubspot_id',
  'label',
  'error_category',
  'error_message',
  'content_hash',
] as const;

export function auditCsvCells(row: AuditRow): (string | number | null)[] {
  return [
    row.id,
    row.at,
    row.connection,
    row.run,
    row.batch,
    row.stream,
    row.action,
    row.sourceId,
    row.hubspotId,
    row.label,
    row.errorCategory,
    row.errorMessage,
    row.contentHash,
  ];
}

export function auditTableColumns(withConnection: boolean): Column<AuditRow>[] {
  return [
    { header: 'ID', value: (r) => r.id, align: 'right' },
    { header: 'AT', value: (r) => r.at },
    ...(withConnection ? [{ header: 'CONNECTION', value: (r: AuditRow) => r.connection }] : []),
    { header: 'RUN', value: (r) => r.run, align: 'right' },
    { header: 'BATCH', value: (r) => r.batch, align: 'right' },
    { header: 'STREAM', value: (r) => r.stream },
    { header: 'ACTION', value: (r) => r.action },
    { header: 'SOURCE ID', value: (r) => r.sourceId },
    { header: 'HUBSPOT ID', value: (r) => r.hubspotId },
    { header: 'LABEL', value: (r) => r.label, maxWidth: 30 },
    { header: 'CATEGORY', value: (r) => r.errorCategory },
    { header: 'MESSAGE', value: (r) => r.errorMessage, maxWidth: 80 },
  ];
}

const PAGE = 1000;

export async function auditAction(
  options: AuditOptions,
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  const format: AuditFormat = options.format ?? (globals.json ? 'json' : 'table');
  await using ctx = await openCliContext(globals, redactor, { requireKey: false });
  const now = ctx.clock.now();
  const from = options.since === undefined ? undefined : parseTimeArgument(options.since, now, '--since');
  const to = options.until === undefined ? undefined : parseTimeArgument(options.until, now, '--until');
  if (from !== undefined && to !== undefined && from >= to) {
    throw new UsageError('--since must be earlier than --until.');
  }
  const rowsByName = new Map((await ctx.store.connections.list()).map((r) => [r.id, r.name]));
  let connectionId: number | undefined;
  if (options.connection !== undefined) {
    ctx.connectionConfig(options.connection); // a typo is an error, not an empty result
    connectionId = [...rowsByName].find(([, name]) => name === options.connection)?.[0] ?? -1;
  }
  const filter: AuditQuery = {
    ...(connectionId === undefined ? {} : { connectionId }),
    ...(options.run === undefined ? {} : { runId: options.run }),
    ...(options.action === undefined ? {} : { actions: [...new Set(options.action)] }),
    ...(options.sourceId === undefined ? {} : { sourceId: options.sourceId }),
    ...(options.hubspotId === undefined ? {} : { hubspotId: options.hubspotId }),
    ...(options.label === undefined ? {} : { labelContains: options.label }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    order: options.order,
  };
  const toRow = (e: AuditEntry): AuditRow => ({
    id: e.id,
    at: isoTime(e.at),
    connection: rowsByName.get(e.connectionId) ?? `#${e.connectionId}`,
    run: e.runId,
    batch: e.batchId,
    stream: streamName(e.stream),
    action: e.action,
    sourceId: e.sourceId,
    hubspotId: e.hubspotId,
    label: e.label,
    errorCategory: e.errorCategory,
    errorMessage: e.errorMessage === null ? null : ctx.redactor.redact(e.errorMessage),
    contentHash: e.contentHash,
  });

  const collected: AuditRow[] = [];
  let remaining = options.limit;
  let cursor: string | undefined;
  let first = true;
  while (remaining > 0) {
    const page = await ctx.store.audit.query({
      ...filter,
      limit: Math.min(PAGE, remaining),
      ...(cursor === undefined ? {} : { cursor }),
    });
    const rows = page.rows.map(toRow);
    remaining -= rows.length;
    // JSON lines and CSV stream page by page; the table needs every row to size its columns.
    if (format === 'json') output.out(toJsonLines(rows));
    else if (format === 'csv') output.out(toCsv(first ? AUDIT_CSV_HEADERS : null, rows.map(auditCsvCells)));
    else collected.push(...rows);
    first = false;
    if (page.nextCursor === null || rows.length === 0) break;
    cursor = page.nextCursor;
  }
  if (format === 'table') {
    const withConnection =
      ctx.config.connections.length > 1 || (options.connection === undefined && rowsByName.size > 1);
    output.out(
      collected.length === 0
        ? 'No audit rows match.\n'
        : `${renderTable(auditTableColumns(withConnection), collected)}${collected.length} row${collected.length === 1 ? '' : 's'}${remaining === 0 ? ` (limit ${options.limit}; raise --limit for more)` : ''}\n`,
    );
  }
  return EXIT.ok;
}
