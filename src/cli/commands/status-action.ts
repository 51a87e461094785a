/**
 * The `status` command: what `registerStatusCommand` runs (imported only then, so that `--help` and the
 * other commands do not load the store).
 */
import type { AppContext } from '../../app/index.js';
import { type ConnectionConfig, KIND_BY_STREAM_KEY, STREAM_KEYS } from '../../config/index.js';
import type { AuditEntry, Batch, Connection, SyncRun } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext, selectedConnections } from '../output/context.js';
import { formatDuration, isoTime } from '../output/format.js';
import type { ActionContext, Output } from '../output/io.js';
import { toJson } from '../output/json.js';
import { renderTable } from '../output/table.js';
import type { StatusOptions } from './status.js';

/** The config's stream name for a stored stream (`vendor` → `vendors`); unknown names pass through. */
export function streamName(stored: string): string {
  return STREAM_KEYS.find((key) => KIND_BY_STREAM_KEY[key] === stored) ?? stored;
}

/**
 * Cursor values and keys are zero-padded so they sort as text, and composite keys are joined with
 * U+001F; show numbers without the padding and parts joined with `:` (as in source ids).
 */
export function readableCursor(text: string): string {
  return text
    .split('\u001f')
    .map((part) => (/^\d+$/.test(part) ? part.replace(/^0+(?=\d)/, '') : part))
    .join(':');
}

export interface StreamStatus {
  readonly stream: string;
  readonly enabled: boolean;
  readonly cursor: { readonly value: string; readonly key: string } | null;
  readonly version: number;
}

export interface RunStatusRow {
  readonly id: number;
  readonly kind: string;
  readonly status: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly counts: SyncRun['counts'];
  /** The same counts per stream (from the run's audit rows); streams without records are absent. */
  readonly streams: readonly RunStreamStatus[];
  readonly error: string | null;
}

export interface RunStreamStatus {
  readonly stream: string;
  readonly counts: SyncRun['counts'];
}

export interface PendingReplay {
  readonly batch: number;
  readonly run: number;
  readonly stream: string;
  readonly status: string;
  readonly records: number;
  readonly attempts: number;
  readonly error: string | null;
  readonly updatedAt: string;
}

export interface FailedRecord {
  readonly at: string;
  readonly run: number;
  readonly batch: number | null;
  readonly stream: string;
  readonly sourceId: string;
  readonly label: string | null;
  readonly category: string | null;
  readonly message: string | null;
}

export interface ConnectionStatus {
  readonly connection: string;
  readonly known: boolean;
  readonly paused: boolean;
  readonly streams: readonly StreamStatus[];
  readonly runs: readonly RunStatusRow[];
  readonly pendingReplays: readonly PendingReplay[];
  readonly failedRecords: readonly FailedRecord[];
}

function runRow(
  run: SyncRun,
  streams: readonly RunStreamStatus[],
  now: number,
  redact: (s: string) => string,
): RunStatusRow {
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    startedAt: isoTime(run.startedAt),
    finishedAt: run.finishedAt === null ? null : isoTime(run.finishedAt),
    durationMs: (run.finishedAt ?? now) - run.startedAt,
    counts: run.counts,
    streams,
    error: run.errorSummary === null ? null : redact(run.errorSummary),
  };
}

function replayRow(batch: Batch, redact: (s: string) => string): PendingReplay {
  return {
    batch: batch.id,
    run: batch.runId,
    stream: streamName(batch.stream),
    status: batch.status,
    records: batch.recordCount,
    attempts: batch.attempts,
    error: batch.error === null ? null : redact(batch.error),
    updatedAt: isoTime(batch.updatedAt),
  };
}

/**
 * The latest failures that are still failures: a record that failed and later landed (replay, next
 * sync) is left out. The audit trail is append-only, so "still failing" means its newest row failed.
 */
async function stillFailing(
  ctx: AppContext,
  row: Connection,
  limit: number,
  redact: (s: string) => string,
): Promise<FailedRecord[]> {
  const out: FailedRecord[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; pages < 5 && out.length < limit; pages += 1) {
    const page = await ctx.store.audit.query({
      connectionId: row.id,
      actions: ['failed'],
      limit: Math.max(limit * 2, 50),
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const entry of page.rows) {
      if (out.length >= limit) break;
      if (seen.has(entry.sourceId)) continue;
      seen.add(entry.sourceId);
      const latest: AuditEntry | undefined = await ctx.store.audit.latestFor(row.id, entry.sourceId);
      if (latest !== undefined && latest.id !== entry.id) continue;
      out.push({
        at: isoTime(entry.at),
        run: entry.runId,
        batch: entry.batchId,
        stream: streamName(entry.stream),
        sourceId: entry.sourceId,
        label: entry.label,
        category: entry.errorCategory,
        message: entry.errorMessage === null ? null : redact(entry.errorMessage),
      });
    }
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return out;
}

async function connectionStatus(
  ctx: AppContext,
  connection: ConnectionConfig,
  options: StatusOptions,
): Promise<ConnectionStatus> {
  const redact = (text: string): string => ctx.redactor.redact(text);
  const row = await ctx.store.connections.getByName(connection.id);
  const enabled = new Set(STREAM_KEYS.filter((key) => connection.streams[key].enabled));
  if (row === undefined) {
    return {
      connection: connection.id,
      known: false,
      paused: false,
      streams: STREAM_KEYS.map((key) => ({
        stream: key,
        enabled: enabled.has(key),
        cursor: null,
        version: 0,
      })),
      runs: [],
      pendingReplays: [],
      failedRecords: [],
    };
  }
  const cursors = await ctx.store.cursors.list(row.id);
  const streams: StreamStatus[] = STREAM_KEYS.map((key) => {
    const stored = cursors.get(KIND_BY_STREAM_KEY[key]);
    return {
      stream: key,
      enabled: enabled.has(key),
      cursor: stored?.cursor ?? null,
      version: stored?.version ?? 0,
    };
  });
  for (const [name, stored] of cursors) {
    if (!STREAM_KEYS.some((key) => KIND_BY_STREAM_KEY[key] === name)) {
      streams.push({ stream: name, enabled: false, cursor: stored.cursor, version: stored.version });
    }
  }
  const now = ctx.clock.now();
  const runs =
    options.runs === 0 ? [] : await ctx.store.runs.listRecent({ connectionId: row.id, limit: options.runs });
  const perStream = new Map<number, RunStreamStatus[]>();
  for (const entry of await ctx.store.audit.countsByRunAndStream(runs.map((run) => run.id))) {
    const list = perStream.get(entry.runId) ?? [];
    list.push({ stream: streamName(entry.stream), counts: entry.counts });
    perStream.set(entry.runId, list);
  }
  // In the config's stream order (vendors, customers, their contacts), unknown names last.
  const rank = (stream: string): number => {
    const i = STREAM_KEYS.indexOf(stream as (typeof STREAM_KEYS)[number]);
    return i === -1 ? STREAM_KEYS.length : i;
  };
  for (const list of perStream.values()) list.sort((a, b) => rank(a.stream) - rank(b.stream));
  const failedBatches = await ctx.store.batches.listFailed({ connectionId: row.id, limit: 1000 });
  return {
    connection: connection.id,
    known: true,
    paused: row.paused,
    streams,
    runs: runs.map((run) => runRow(run, perStream.get(run.id) ?? [], now, redact)),
    pendingReplays: failedBatches.map((batch) => replayRow(batch, redact)),
    failedRecords: await stillFailing(ctx, row, options.failures, redact),
  };
}

export function renderStatus(
  statuses: readonly ConnectionStatus[],
  options: { readonly failures: number },
): string {
  const parts: string[] = [];
  for (const s of statuses) {
    parts.push(`Connection ${s.connection}${s.paused ? ' (paused)' : ''}\n`);
    if (!s.known) {
      parts.push('  Never synced: no runs, cursors or audit rows yet. Run `ml-connector sync`.\n\n');
      continue;
    }
    parts.push('\nStreams\n');
    parts.push(
      renderTable(
        [
          { header: 'STREAM', value: (r: StreamStatus) => r.stream },
          { header: 'ENABLED', value: (r) => (r.enabled ? 'yes' : 'no') },
          { header: 'CURSOR', value: (r) => (r.cursor === null ? 'start' : readableCursor(r.cursor.value)) },
          {
            header: 'KEY',
            value: (r) => (r.cursor === null ? '' : readableCursor(r.cursor.key)),
            maxWidth: 40,
          },
          { header: 'VERSION', value: (r) => r.version, align: 'right' },
        ],
        s.streams,
      ),
    );
    parts.push('\nLast runs\n');
    parts.push(
      s.runs.length === 0
        ? '  none\n'
        : renderTable(
            [
              { header: 'RUN', value: (r: RunStatusRow) => r.id, align: 'right' },
              { header: 'KIND', value: (r) => r.kind },
              { header: 'STATUS', value: (r) => r.status },
              { header: 'STARTED', value: (r) => r.startedAt },
              {
                header: 'DURATION',
                value: (r) =>
                  r.finishedAt === null ? `${formatDuration(r.durationMs)}…` : formatDuration(r.durationMs),
                align: 'right',
              },
              { header: 'CREATED', value: (r) => r.counts.created, align: 'right' },
              { header: 'UPDATED', value: (r) => r.counts.updated, align: 'right' },
              { header: 'UNCHANGED', value: (r) => r.counts.unchanged, align: 'right' },
              { header: 'FAILED', value: (r) => r.counts.failed, align: 'right' },
              { header: 'SKIPPED', value: (r) => r.counts.skipped, align: 'right' },
              { header: 'ERROR', value: (r) => r.error, maxWidth: 60 },
            ],
            s.runs,
          ),
    );
    const byStream = s.runs.flatMap((run) => run.streams.map((stream) => ({ run: run.id, ...stream })));
    if (byStream.length > 0) {
      parts.push('\nLast runs by stream\n');
      parts.push(
        renderTable(
          [
            { header: 'RUN', value: (r: (typeof byStream)[number]) => r.run, align: 'right' },
            { header: 'STREAM', value: (r) => r.stream },
            { header: 'CREATED', value: (r) => r.counts.created, align: 'right' },
            { header: 'UPDATED', value: (r) => r.counts.updated, align: 'right' },
            { header: 'UNCHANGED', value: (r) => r.counts.unchanged, align: 'right' },
            { header: 'FAILED', value: (r) => r.counts.failed, align: 'right' },
            { header: 'SKIPPED', value: (r) => r.counts.skipped, align: 'right' },
          ],
          byStream,
        ),
      );
    }
    parts.push(
      `\nPending replays (failed or partial batches not yet replayed): ${s.pendingReplays.length}\n`,
    );
    if (s.pendingReplays.length > 0) {
      parts.push(
        renderTable(
          [
            { header: 'BATCH', value: (r: PendingReplay) => r.batch, align: 'right' },
            { header: 'RUN', value: (r) => r.run, align: 'right' },
            { header: 'STREAM', value: (r) => r.stream },
            { header: 'STATUS', value: (r) => r.status },
            { header: 'RECORDS', value: (r) => r.records, align: 'right' },
            { header: 'ATTEMPTS', value: (r) => r.attempts, align: 'right' },
            { header: 'ERROR', value: (r) => r.error, maxWidth: 60 },
          ],
          s.pendingReplays,
        ),
      );
      parts.push(`  Replay them: ml-connector replay --connection ${s.connection} --failed\n`);
    }
    parts.push(
      `\nRecords still failing (latest ${options.failures}): ${s.failedRecords.length === 0 ? 'none' : ''}\n`,
    );
    if (s.failedRecords.length > 0) {
      parts.push(
        renderTable(
          [
            { header: 'AT', value: (r: FailedRecord) => r.at },
            { header: 'STREAM', value: (r) => r.stream },
            { header: 'SOURCE ID', value: (r) => r.sourceId },
            { header: 'LABEL', value: (r) => r.label, maxWidth: 30 },
            { header: 'CATEGORY', value: (r) => r.category },
            { header: 'REASON', value: (r) => r.message, maxWidth: 80 },
          ],
          s.failedRecords,
        ),
      );
      parts.push(`  Details: ml-connector audit --connection ${s.connection} --action failed\n`);
    }
    parts.push('\n');
  }
  return parts.join('');
}
export async function statusAction(
  options: StatusOptions,
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  await using ctx = await openCliContext(globals, redactor, { requireKey: false });
  const connections = selectedConnections(ctx, options.connection);
  const statuses: ConnectionStatus[] = [];
  for (const connection of connections) statuses.push(await connectionStatus(ctx, connection, options));
  output.out(globals.json ? toJson({ ok: true, connections: statuses }) : renderStatus(statuses, options));
  return EXIT.ok;
}
