/**
 * The `connections` sub-commands: what `registerConnectionsCommand` runs (imported only then, so that
 * `--help` and the other commands do not load the config editor, YAML and the store).
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parse as parseYaml } from 'yaml';
import { purgeConnectionState } from '../../app/purge.js';
import {
  type ConnectionEdit,
  type ConnectionInput,
  ConnectionNotFoundError,
  editConfigFile,
} from '../../config/edit.js';
import { type Config, type ConnectionConfig, requiredSecrets } from '../../config/index.js';
import { storedSystems } from '../../service/connection-admin.js';
import { describeSchedule } from '../../service/schedule.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext } from '../output/context.js';
import { UsageError } from '../output/errors.js';
import { type ActionContext, type GlobalOptions, processOutput } from '../output/io.js';
import { toJson } from '../output/json.js';
import { renderKeyValues, renderTable } from '../output/table.js';
import { type ReloadAnswer, reloadIfRunning } from '../service/client.js';
import type { ChangeFlags, FieldFlags } from './connections.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges `over` into `base` (objects merge, anything else replaces). */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? merge(current, value) : value;
  }
  return out;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** The settings the flags give; `null` removes a key (for `set`: switching every ↔ cron). */
function settingsFromFlags(flags: FieldFlags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (flags.name !== undefined) out['name'] = flags.name;
  const epicor: Record<string, unknown> = {};
  if (flags.tenantUrl !== undefined) epicor['tenantUrl'] = flags.tenantUrl;
  if (flags.company !== undefined) epicor['company'] = flags.company;
  if (flags.epicorAuth !== undefined || flags.username !== undefined) {
    epicor['auth'] = {
      ...(flags.epicorAuth === undefined ? {} : { kind: flags.epicorAuth }),
      ...(flags.username === undefined ? {} : { username: flags.username }),
    };
  }
  if (Object.keys(epicor).length > 0) out['epicor'] = epicor;
  const hubspot: Record<string, unknown> = {};
  if (flags.hubspotUrl !== undefined) hubspot['baseUrl'] = flags.hubspotUrl;
  if (flags.tier !== undefined) hubspot['tier'] = flags.tier;
  if (flags.hubspotAuth !== undefined || flags.hubspotClientId !== undefined) {
    hubspot['auth'] = {
      ...(flags.hubspotAuth === undefined ? {} : { kind: flags.hubspotAuth }),
      ...(flags.hubspotClientId === undefined ? {} : { clientId: flags.hubspotClientId }),
    };
  }
  if (Object.keys(hubspot).length > 0) out['hubspot'] = hubspot;
  if (flags.every !== undefined && flags.cron !== undefined)
    throw new UsageError('Give --every or --cron, not both.');
  if (flags.every !== undefined) out['schedule'] = { every: flags.every, cron: null, timezone: null };
  else if (flags.cron !== undefined)
    out['schedule'] = { cron: flags.cron, every: null, timezone: flags.timezone ?? null };
  else if (flags.timezone !== undefined) out['schedule'] = { timezone: flags.timezone };
  return out;
}

/** `--from-file` (YAML or JSON: one connection's settings) with the flags on top. */
async function gatherSettings(id: string, flags: FieldFlags): Promise<Record<string, unknown>> {
  let fromFile: Record<string, unknown> = {};
  if (flags.fromFile !== undefined) {
    let parsed: unknown;
    try {
      parsed = parseYaml(await readFile(flags.fromFile, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `Cannot read ${flags.fromFile}: ${code ?? 'not valid YAML or JSON (first problem: line numbers in the file)'}.`,
      );
    }
    if (!isRecord(parsed)) {
      throw new UsageError(`${flags.fromFile} must hold one connection's settings (epicor, hubspot, …).`);
    }
    if (parsed['id'] !== undefined && parsed['id'] !== id) {
      throw new UsageError(`${flags.fromFile} is for connection "${String(parsed['id'])}", not "${id}".`);
    }
    fromFile = parsed;
  }
  return merge(fromFile, settingsFromFlags(flags));
}

/** After an edit: ask a running service to reload, and say what happened. */
async function notifyService(
  flags: ChangeFlags,
  config: Config,
  addSecret: (token: string) => void,
): Promise<{ answer: ReloadAnswer | undefined; line: string }> {
  if (!flags.reload) {
    return { answer: undefined, line: 'A running service applies it on `ml-connector reload` (or SIGHUP).' };
  }
  const answer = await reloadIfRunning({
    url: flags.url,
    env: process.env,
    dataDir: config.dataDir,
    onToken: addSecret,
  });
  switch (answer.kind) {
    case 'reloaded':
      return {
        answer,
        line: `The running service reloaded its config (added: ${answer.reload.added.join(', ') || '-'}; changed: ${answer.reload.updated.join(', ') || '-'}; removed: ${answer.reload.removed.join(', ') || '-'}).`,
      };
    case 'unreachable':
      return {
        answer,
        line: `No service answered at ${answer.base}: the change applies at the next start (or \`ml-connector reload --url …\`).`,
      };
    case 'refused':
      return { answer, line: `The service refused the reload: error[${answer.code}] ${answer.message}` };
  }
}

function reloadJson(answer: ReloadAnswer | undefined): unknown {
  if (answer === undefined) return { status: 'skipped' };
  if (answer.kind === 'reloaded') return { status: 'reloaded', ...answer.reload };
  if (answer.kind === 'unreachable') return { status: 'no-service', url: answer.base };
  return { status: 'refused', code: answer.code, message: answer.message };
}

/** The secrets a connection needs, and the `credentials set` commands for the systems still missing. */
async function credentialsAdvice(
  globals: GlobalOptions,
  redactor: Parameters<typeof openCliContext>[1],
  connection: ConnectionConfig,
): Promise<{ required: string[]; missing: string[]; next: string[] }> {
  const ctx = await openCliContext(globals, redactor, { requireKey: false });
  try {
    const present = await storedSystems(ctx.store, connection.id);
    const required = requiredSecrets(connection);
    const missing = required.filter((name) => !present.has(name.split('.')[0] as 'epicor' | 'hubspot'));
    const systems = [...new Set(missing.map((name) => name.split('.')[0] ?? ''))];
    return {
      required,
      missing,
      next: systems.map((s) => `ml-connector credentials set ${s} --connection ${connection.id}`),
    };
  } finally {
    await ctx.close();
  }
}

async function confirmPurge(id: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(
      `--purge deletes the stored credentials, cursors, id map and history of "${id}"; add --yes to confirm.`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Delete the stored credentials, cursors, id map and run history of "${id}"? Type the id to confirm: `,
    );
    if (answer.trim() !== id) throw new UsageError('Not confirmed; nothing was changed.');
  } finally {
    rl.close();
  }
}

function scheduleText(c: ConnectionConfig): string {
  return describeSchedule(c.schedule);
}

export async function listConnectionsAction({ globals, redactor }: ActionContext): Promise<number> {
  const ctx = await openCliContext(globals, redactor, { requireKey: false });
  try {
    const rows = [];
    for (const c of ctx.config.connections) {
      const row = await ctx.store.connections.getByName(c.id);
      const present = await storedSystems(ctx.store, c.id);
      rows.push({
        id: c.id,
        name: c.name,
        epicor: { tenantUrl: c.epicor.tenantUrl, company: c.epicor.company, auth: c.epicor.auth.kind },
        hubspot: { baseUrl: c.hubspot.baseUrl, auth: c.hubspot.auth.kind, tier: c.hubspot.tier },
        schedule: scheduleText(c),
        paused: row?.paused ?? false,
        credentials: { epicor: present.has('epicor'), hubspot: present.has('hubspot') },
      });
    }
    if (globals.json) processOutput.out(toJson({ ok: true, connections: rows }));
    else
      processOutput.out(
        renderTable(
          [
            { header: 'ID', value: (r) => r.id },
            { header: 'NAME', value: (r) => r.name, maxWidth: 30 },
            { header: 'EPICOR', value: (r) => `${r.epicor.tenantUrl} ${r.epicor.company}` },
            { header: 'HUBSPOT', value: (r) => `${r.hubspot.baseUrl} (${r.hubspot.tier})` },
            { header: 'SCHEDULE', value: (r) => r.schedule },
            { header: 'PAUSED', value: (r) => (r.paused ? 'yes' : 'no') },
            {
              header: 'CREDENTIALS',
              value: (r) =>
                `epicor ${r.credentials.epicor ? 'stored' : 'missing'}, hubspot ${r.credentials.hubspot ? 'stored' : 'missing'}`,
            },
          ],
          rows,
        ),
      );
    return EXIT.ok;
  } finally {
    await ctx.close();
  }
}

export async function showConnectionAction(
  id: string,
  { globals, redactor }: ActionContext,
): Promise<number> {
  const ctx = await openCliContext(globals, redactor, { requireKey: false });
  try {
    const c = ctx.config.connections.find((x) => x.id === id);
    if (c === undefined) {
      throw new ConnectionNotFoundError(
        id,
        ctx.config.connections.map((x) => x.id),
      );
    }
    const row = await ctx.store.connections.getByName(id);
    const present = await storedSystems(ctx.store, id);
    const credentials = { epicor: present.has('epicor'), hubspot: present.has('hubspot') };
    if (globals.json) {
      processOutput.out(
        toJson({
          ok: true,
          connection: c,
          paused: row?.paused ?? false,
          credentials,
          requiredSecrets: requiredSecrets(c),
        }),
      );
    } else {
      processOutput.out(
        renderKeyValues([
          ['id', c.id],
          ['name', c.name],
          ['epicor', `${c.epicor.tenantUrl} company ${c.epicor.company} (${c.epicor.auth.kind})`],
          ['hubspot', `${c.hubspot.baseUrl} (${c.hubspot.auth.kind}, tier ${c.hubspot.tier})`],
          ['schedule', scheduleText(c)],
          ['paused', row?.paused === true ? 'yes' : 'no'],
          [
            'credentials',
            `epicor ${credentials.epicor ? 'stored' : 'missing'}, hubspot ${credentials.hubspot ? 'stored' : 'missing'}`,
          ],
          ['needs', requiredSecrets(c).join(', ')],
        ]),
      );
    }
    return EXIT.ok;
  } finally {
    await ctx.close();
  }
}

export async function changeConnectionAction(
  op: 'add' | 'set',
  id: string,
  flags: ChangeFlags,
  { globals, redactor }: ActionContext,
): Promise<number> {
  const settings = await gatherSettings(id, flags);
  const edit: ConnectionEdit =
    op === 'add'
      ? { op: 'add', connection: { id, ...(withoutNulls(settings) as ConnectionInput) } }
      : flags.replace === true
        ? { op: 'replace', id, connection: withoutNulls(settings) as ConnectionInput }
        : { op: 'patch', id, patch: settings };
  if (op === 'set' && flags.replace !== true && Object.keys(settings).length === 0) {
    throw new UsageError('Nothing to change: give --from-file or a field flag (see --help).');
  }
  const result = await editConfigFile(globals.configPath, edit, { env: process.env });
  const connection = result.config.connections.find((c) => c.id === id);
  const { answer, line } = result.changed
    ? await notifyService(flags, result.config, (t) => redactor.add(t))
    : { answer: undefined, line: 'Nothing changed.' };
  const advice =
    op === 'add' && connection !== undefined
      ? await credentialsAdvice(globals, redactor, connection)
      : undefined;
  if (globals.json) {
    processOutput.out(
      toJson({
        ok: true,
        connection: id,
        change: op === 'add' ? 'added' : 'changed',
        changed: result.changed,
        path: result.path,
        reload: reloadJson(answer),
        ...(advice === undefined ? {} : { credentials: advice }),
      }),
    );
  } else {
    const lines = [
      `Connection "${id}" ${op === 'add' ? 'added to' : result.changed ? 'changed in' : 'unchanged in'} ${result.path}.`,
      line,
    ];
    if (advice !== undefined && advice.next.length > 0) {
      lines.push('Store its credentials (secrets never go in the config file or through the API):');
      lines.push(...advice.next.map((n) => `  ${n}`));
    }
    processOutput.out(`${lines.join('\n')}\n`);
  }
  return EXIT.ok;
}

export async function removeConnectionAction(
  id: string,
  flags: ChangeFlags & { purge?: boolean; yes?: boolean },
  { globals, redactor }: ActionContext,
): Promise<number> {
  if (flags.purge === true) await confirmPurge(id, flags.yes === true);
  let removed = false;
  let config: Config | undefined;
  let path = globals.configPath;
  try {
    const result = await editConfigFile(globals.configPath, { op: 'remove', id }, { env: process.env });
    removed = true;
    config = result.config;
    path = result.path;
  } catch (error) {
    // `remove --purge` again after the file edit: purge what the store still holds.
    if (!(error instanceof ConnectionNotFoundError) || flags.purge !== true) throw error;
  }
  const notified =
    config === undefined ? undefined : await notifyService(flags, config, (t) => redactor.add(t));
  let purged = false;
  if (flags.purge === true) {
    const ctx = await openCliContext(globals, redactor, { requireKey: false });
    try {
      // Not while a run of it is still stopping (the lease says so).
      purged = await purgeConnectionState({
        store: ctx.store,
        connectionId: id,
        clock: ctx.clock,
        logger: ctx.logger,
      });
      if (!purged && !removed)
        throw new ConnectionNotFoundError(
          id,
          ctx.config.connections.map((c) => c.id),
        );
    } finally {
      await ctx.close();
    }
  }
  if (globals.json) {
    processOutput.out(
      toJson({
        ok: true,
        connection: id,
        change: 'removed',
        removedFromConfig: removed,
        purged,
        reload: reloadJson(notified?.answer),
      }),
    );
  } else {
    const lines = [
      removed ? `Connection "${id}" removed from ${path}.` : `Connection "${id}" was not in ${path}.`,
      ...(notified === undefined ? [] : [notified.line]),
      purged
        ? 'Its credentials, cursors, id map and history were deleted from the store.'
        : flags.purge === true
          ? 'The store held nothing for it.'
          : 'Its store history (runs, audit, cursors, credentials) is kept; `remove --purge` deletes it.',
    ];
    processOutput.out(`${lines.join('\n')}\n`);
  }
  return EXIT.ok;
}
