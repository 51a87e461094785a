import { type Command, InvalidArgumentError, Option } from 'commander';
import { RECORD_ACTIONS } from '../../store/types.js';
import type { RecordAction } from '../../sync/model.js';
import { exitUsageOnParseError, type Output, processOutput, runAction } from '../output/io.js';

export const AUDIT_FORMATS = ['table', 'json', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditOptions {
  readonly connection?: string;
  readonly run?: number;
  readonly action?: RecordAction[];
  readonly sourceId?: string;
  readonly hubspotId?: string;
  readonly label?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  readonly format?: AuditFormat;
}

function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    }
    return n;
  };
}

function actions(value: string, previous: RecordAction[] | undefined): RecordAction[] {
  const list = [...(previous ?? [])];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (!(RECORD_ACTIONS as readonly string[]).includes(part)) {
      throw new InvalidArgumentError(`--action must be one of ${RECORD_ACTIONS.join(', ')}.`);
    }
    list.push(part as RecordAction);
  }
  return list;
}

export function registerAuditCommand(program: Command, output: Output = processOutput): void {
  exitUsageOnParseError(program.command('audit'))
    .description(
      'List audit rows (one per record written, skipped or failed), filtered, as a table, JSON lines or CSV.',
    )
    .option('--connection <id>', 'only this connection (default: all)')
    .option('--run <id>', 'only this run', positiveInt('--run', Number.MAX_SAFE_INTEGER))
    .option(
      '--action <action>',
      `only these actions (${RECORD_ACTIONS.join(', ')}); repeat or comma-separate`,
      actions,
    )
    .option('--source-id <id>', 'only this Epicor source id, e.g. EPIC06:vendor:204')
    .option('--hubspot-id <id>', 'only this HubSpot record id')
    .option('--label <text>', 'label contains this text (case-insensitive)')
    .option(
      '--since <time>',
      'at or after: ISO date/date-time (UTC unless an offset is given) or an age like 24h',
    )
    .option('--until <time>', 'before: same forms as --since')
    .option('--limit <n>', 'at most this many rows', positiveInt('--limit', 1_000_000), 100)
    .addOption(
      new Option('--order <order>', 'newest first (desc) or oldest first (asc)')
        .choices(['asc', 'desc'])
        .default('desc'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'table (default), json (JSON lines) or csv (default json with --json)',
      ).choices(AUDIT_FORMATS),
    )
    .addHelpText(
      'after',
      `
Rows are append-only history; a record that failed and was replayed has both rows. Labels are
names shown for convenience; messages never contain secrets. CSV cells that start with = + - @
are prefixed with ' so spreadsheets do not run them as formulas.

Examples:
  $ ml-connector audit --action failed --since 24h
  $ ml-connector audit --run 42 --format csv > run-42.csv
  $ ml-connector audit --source-id EPIC06:vendor:204 --order asc
  $ ml-connector audit --label "acme" --action created,updated --format json | jq .hubspotId`,
    )
    .action(async (options: AuditOptions, command: Command) => {
      await runAction(
        command,
        async (context) => (await import('./audit-action.js')).auditAction(options, context, output),
        output,
      );
    });
}
