/** The end-of-run report: a human summary, or one JSON document with `--json`; and the exit code. */

import { ConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../core/redact.js';
import type { ActionCounts, EntityKind, RunResult } from '../../sync/index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { exitCodeFor } from '../output/errors.js';
import { renderTable } from '../output/table.js';
import { singleLine } from '../output/text.js';
import { STREAM_LABEL } from './labels.js';

export interface RunReport {
  readonly connection: string;
  readonly result: RunResult;
  readonly requests: { readonly epicor: number; readonly hubspot: number };
}

/** Lines of failures / plan entries shown in the human summary; `--json` has all the result holds. */
export const SHOWN_LINES = 20;

/** A system refused the credentials, API key or scopes (same classification as thrown errors). */
export function isAuthCode(code: string | undefined): boolean {
  return code !== undefined && exitCodeFor(new ConnectorError(code, '')) === EXIT.auth;
}

/** The error code behind a run's error: a batch failure names its cause's code in parentheses. */
export function rootErrorCode(result: RunResult): string | undefined {
  const error = result.error;
  if (error === undefined) return undefined;
  if (error.code === 'ERR_SYNC_BATCH_FAILED') {
    return /\((ERR_[A-Z0-9_]+)\)/.exec(error.message)?.[1] ?? error.code;
  }
  return error.code;
}

/** succeeded 0 · partial 4 · failed 5 (3 when a system refused the credentials) · cancelled 130. */
export function exitCodeForResult(result: RunResult): ExitCode {
  switch (result.status) {
    case 'succeeded':
      return EXIT.ok;
    case 'partial':
      return EXIT.partial;
    case 'cancelled':
      return EXIT.interrupted;
    case 'failed': {
      const code = rootErrorCode(result);
      return isAuthCode(code) ? EXIT.auth : EXIT.failed;
    }
  }
}

export function reportJson(report: RunReport): unknown {
  return {
    ok: report.result.status === 'succeeded',
    connection: report.connection,
    exitCode: exitCodeForResult(report.result),
    requests: report.requests,
    ...report.result,
    ...(report.result.error === undefined ? {} : { errorCode: rootErrorCode(report.result) }),
  };
}

const COUNT_COLUMNS = ['created', 'updated', 'unchanged', 'failed', 'skipped', 'archived'] as const;

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The human summary; every text that came from a remote system is made single-line and scrubbed. */
export function renderSummary(report: RunReport, redactor: Redactor): string {
  const { result } = report;
  const safe = (text: string): string => singleLine(redactor.redact(text));
  const what = result.runKind === 'dry-run' ? 'dry run' : result.runKind;
  const out: string[] = [];
  out.push(
    `${what} of connection "${report.connection}" ${result.status} in ${seconds(result.durationMs)} (run ${result.runId})`,
  );
  const rows: { stream: string; counts: ActionCounts }[] = (
    Object.entries(result.streams) as [EntityKind, ActionCounts][]
  ).map(([kind, counts]) => ({ stream: STREAM_LABEL[kind], counts }));
  const used = COUNT_COLUMNS.filter(
    (c) => ['created', 'updated', 'unchanged', 'failed'].includes(c) || result.totals[c] > 0,
  );
  if (rows.length > 0) {
    out.push('');
    out.push(
      renderTable(
        [
          { header: 'stream', value: (r: (typeof rows)[number]) => r.stream },
          ...used.map((c) => ({
            header: result.runKind === 'dry-run' ? plannedHeader(c) : c,
            value: (r: (typeof rows)[number]) => r.counts[c],
            align: 'right' as const,
          })),
        ],
        [...rows, { stream: 'total', counts: result.totals }],
      ).trimEnd(),
    );
  }
  out.push('');
  out.push(`requests: Epicor ${report.requests.epicor}, HubSpot ${report.requests.hubspot}`);
  if (result.plan !== undefined) {
    const changes = result.plan.filter((line) => line.action === 'create' || line.action === 'update');
    if (changes.length > 0) {
      out.push('', 'would write:');
      for (const line of changes.slice(0, SHOWN_LINES)) {
        const label = line.label === undefined ? '' : ` ${safe(line.label)}`;
        out.push(`  ${line.action.padEnd(6)} ${line.sourceId}${label}`);
      }
      const more = changes.length - SHOWN_LINES + (result.planOmitted ?? 0);
      if (more > 0) out.push(`  … and ${more} more (--json lists up to the result limit)`);
    }
  }
  if (result.orphans !== undefined && result.orphans.length > 0) {
    out.push('', 'records gone from Epicor:');
    for (const orphan of result.orphans.slice(0, SHOWN_LINES)) {
      out.push(`  ${orphan.action.padEnd(8)} ${orphan.sourceId} (HubSpot ${orphan.hubspotId})`);
    }
    const more = result.orphans.length - SHOWN_LINES + (result.orphansOmitted ?? 0);
    if (more > 0) out.push(`  … and ${more} more`);
  }
  if (result.failures.length > 0) {
    out.push('', 'failed records:');
    for (const f of result.failures.slice(0, SHOWN_LINES)) {
      const batch = f.batchId === undefined ? '' : ` (batch ${f.batchId})`;
      out.push(`  ${f.sourceId} [${f.category}]${batch}: ${safe(f.message)}`);
    }
    const more = result.failures.length - SHOWN_LINES + result.failuresOmitted;
    if (more > 0) out.push(`  … and ${more} more`);
  }
  if (result.error !== undefined) {
    out.push('', `error[${rootErrorCode(result) ?? result.error.code}]: ${safe(result.error.message)}`);
  }
  const hint = nextStep(result);
  if (hint !== undefined) out.push('', hint);
  return `${out.join('\n')}\n`;
}

function plannedHeader(column: (typeof COUNT_COLUMNS)[number]): string {
  return column === 'created' ? 'create' : column === 'updated' ? 'update' : column;
}

/** Failures a config change fixes (the message names the setting); neither a retry nor a replay helps. */
const CONFIG_FIX_CODES: ReadonlySet<string> = new Set(['ERR_EPICOR_CHILD_FILTER', 'ERR_EPICOR_PAGING']);

function nextStep(result: RunResult): string | undefined {
  if (result.runKind === 'dry-run') return 'Dry run: nothing was written.';
  if (result.status === 'partial') {
    return 'Some records failed: see `ml-connector audit --failed`; fix them in Epicor, then run `ml-connector replay --failed`.';
  }
  if (result.status === 'failed') {
    const code = rootErrorCode(result);
    if (isAuthCode(code)) {
      return 'Fix the credentials (`ml-connector credentials set ...`), check them with `ml-connector ping`, then run again.';
    }
    if (code !== undefined && CONFIG_FIX_CODES.has(code)) {
      return 'Checkpointed work is kept; there is nothing to replay. Change the config as the error says, check it with `ml-connector ping`, then run again.';
    }
    return 'Checkpointed work is kept. Run again when the cause is fixed, or `ml-connector replay --failed`.';
  }
  if (result.status === 'cancelled') return 'Interrupted: checkpointed work is kept; run again to continue.';
  return undefined;
}
