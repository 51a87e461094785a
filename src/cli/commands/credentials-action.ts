/**
 * The `credentials` sub-commands: what `registerCredentialsCommand` runs (imported only then, so that
 * `--help` and the other commands do not load the vault, the store and the terminal prompt).
 */
import { rename, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { type AppContext, ensureConnectionRow, requiredFields, SECRET_SCHEMAS } from '../../app/index.js';
import type { ConnectionConfig } from '../../config/index.js';
import { isConnectorError } from '../../core/errors.js';
import { pathExists } from '../../core/fs.js';
import type { Redactor } from '../../core/redact.js';
import {
  CredentialVault,
  createKeyFile,
  MASTER_KEY_ENV,
  MasterKey,
  type RotationResult,
} from '../../credentials/index.js';
import { CREDENTIAL_SYSTEMS, type CredentialSystem } from '../../store/types.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext } from '../output/context.js';
import { UsageError } from '../output/errors.js';
import { isoTime } from '../output/format.js';
import type { ActionContext, Output } from '../output/io.js';
import { toJson } from '../output/json.js';
import { renderTable } from '../output/table.js';
import {
  parseSecretText,
  promptSecrets,
  readAll,
  resolveSecretFields,
  secretsFromEnv,
} from '../prompt/secret-input.js';
import { askOnTerminal } from '../prompt/tty.js';
import { NEW_MASTER_KEY_ENV, type RotateOptions, type SetOptions } from './credentials.js';

/** Every field each system's secret object can hold (the schema's keys). */
function knownFields(system: CredentialSystem): string[] {
  return Object.keys(SECRET_SCHEMAS[system].shape);
}

function authContext(connection: ConnectionConfig, system: CredentialSystem): string {
  const kind = system === 'epicor' ? connection.epicor.auth.kind : connection.hubspot.auth.kind;
  return `connection "${connection.id}" (${system}.auth.kind ${kind})`;
}

// ---------------------------------------------------------------------------------------------- set

async function gatherSecret(
  system: CredentialSystem,
  connection: ConnectionConfig,
  options: SetOptions,
): Promise<Record<string, string>> {
  const needed = requiredFields(connection, system);
  const context = authContext(connection, system);
  if (options.stdin === true && options.fromEnv === true) {
    throw new UsageError('Give either --stdin or --from-env, not both.');
  }
  if (options.fromEnv === true) {
    return secretsFromEnv(system, needed, process.env, context);
  }
  if (options.stdin === true || !process.stdin.isTTY) {
    const text = await readAll(process.stdin);
    return resolveSecretFields(system, parseSecretText(text), needed, knownFields(system), context);
  }
  process.stderr.write(`Enter the ${system} secrets for ${context}; input is hidden.\n`);
  const typed = await promptSecrets(system, needed, askOnTerminal);
  return resolveSecretFields(
    system,
    Object.entries(typed).map(([name, value], i) => ({ name, value, where: `answer ${i + 1}` })),
    needed,
    knownFields(system),
    context,
  );
}

async function setCredentials(
  ctx: AppContext,
  system: CredentialSystem,
  options: SetOptions,
  redactor: Redactor,
) {
  const connection = ctx.connectionConfig(options.connection);
  const values = await gatherSecret(system, connection, options);
  redactor.add(...Object.values(values));
  const schema: z.ZodType = SECRET_SCHEMAS[system];
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${system}.${i.path.join('.') || '(root)'}: ${i.code}`);
    throw new UsageError(`The ${system} secrets are not valid: ${issues.join('; ')}.`);
  }
  const row = await ensureConnectionRow(ctx, connection);
  const meta = await ctx.vault.put(row.id, system, values);
  return {
    connection: connection.id,
    system,
    fields: Object.keys(values),
    keyId: meta.keyId,
    updatedAt: isoTime(meta.updatedAt),
  };
}

// --------------------------------------------------------------------------------------------- list

export type CredentialState = 'ok' | 'missing' | 'incomplete' | 'wrong-key' | 'unreadable' | 'no-key';

export interface CredentialListRow {
  readonly connection: string;
  readonly system: CredentialSystem;
  readonly state: CredentialState;
  /** The field names stored (never values), when readable. */
  readonly fields: readonly string[];
  readonly keyId: string | null;
  readonly updatedAt: string | null;
  /** Why the state is not `ok`, in words (never a value). */
  readonly note: string;
}

async function listCredentials(ctx: AppContext, only: string | undefined): Promise<CredentialListRow[]> {
  const configured = only === undefined ? ctx.config.connections : [ctx.connectionConfig(only)];
  let vault: CredentialVault | undefined;
  let keyProblem = '';
  try {
    vault = ctx.vault;
  } catch (error) {
    keyProblem = isConnectorError(error) ? error.code : 'no master key';
  }
  const rows: CredentialListRow[] = [];
  const stored = await ctx.store.credentials.list();
  const storeRows = await ctx.store.connections.list();
  const nameOf = new Map(storeRows.map((r) => [r.id, r.name]));
  const configuredIds = new Set(ctx.config.connections.map((c) => c.id));
  for (const connection of configured) {
    const row = storeRows.find((r) => r.name === connection.id);
    for (const system of CREDENTIAL_SYSTEMS) {
      const needed = requiredFields(connection, system);
      const blob =
        row === undefined ? undefined : stored.find((b) => b.connectionId === row.id && b.system === system);
      if (blob === undefined || row === undefined) {
        rows.push({
          connection: connection.id,
          system,
          state: 'missing',
          fields: [],
          keyId: null,
          updatedAt: null,
          note: `needs ${needed.join(', ')}: ml-connector credentials set ${system} --connection ${connection.id}`,
        });
        continue;
      }
      const base = {
        connection: connection.id,
        system,
        keyId: blob.keyId,
        updatedAt: isoTime(blob.updatedAt),
      };
      if (vault === undefined) {
        rows.push({ ...base, state: 'no-key', fields: [], note: `not checked: ${keyProblem}` });
        continue;
      }
      if (blob.keyId !== vault.keyId) {
        rows.push({
          ...base,
          state: 'wrong-key',
          fields: [],
          note: `encrypted with key ${blob.keyId}; the loaded key is ${vault.keyId}`,
        });
        continue;
      }
      try {
        const schema: z.ZodType<Record<string, unknown>> = SECRET_SCHEMAS[system];
        const secret = (await vault.find(row.id, system, schema)) ?? {};
        const fields = Object.keys(secret).filter((k) => typeof secret[k] === 'string' && secret[k] !== '');
        const lacking = needed.filter((f) => !fields.includes(f));
        rows.push({
          ...base,
          state: lacking.length === 0 ? 'ok' : 'incomplete',
          fields,
          note:
            lacking.length === 0 ? '' : `lacks ${lacking.join(', ')} for ${authContext(connection, system)}`,
        });
      } catch (error) {
        rows.push({
          ...base,
          state: 'unreadable',
          fields: [],
          note: isConnectorError(error) ? error.code : 'unreadable',
        });
      }
    }
  }
  if (only === undefined) {
    for (const blob of stored) {
      const name = nameOf.get(blob.connectionId) ?? `#${blob.connectionId}`;
      if (configuredIds.has(name)) continue;
      rows.push({
        connection: name,
        system: blob.system,
        state: 'ok',
        fields: [],
        keyId: blob.keyId,
        updatedAt: isoTime(blob.updatedAt),
        note: 'connection not in the config (left from an earlier config)',
      });
    }
  }
  return rows;
}

export function renderCredentialList(
  rows: readonly CredentialListRow[],
  loadedKeyId: string | undefined,
): string {
  const table = renderTable(
    [
      { header: 'CONNECTION', value: (r: CredentialListRow) => r.connection },
      { header: 'SYSTEM', value: (r) => r.system },
      { header: 'STATE', value: (r) => r.state },
      { header: 'FIELDS', value: (r) => r.fields.join(',') },
      { header: 'KEY ID', value: (r) => r.keyId },
      { header: 'UPDATED', value: (r) => r.updatedAt },
      { header: 'NOTE', value: (r) => r.note },
    ],
    rows,
  );
  return `${table}${loadedKeyId === undefined ? 'No master key loaded.' : `Loaded master key: ${loadedKeyId}`}\n`;
}

// --------------------------------------------------------------------------------------- rotate-key

export interface RotateReport extends RotationResult {
  /** Where the new key is: a file path, or the environment variable it came from. */
  readonly newKeyAt: string;
  /** Where the old key file was moved (kept as a backup), when it was replaced. */
  readonly oldKeyBackup: string | null;
  readonly verified: number;
  readonly nextSteps: readonly string[];
}

async function freeBackupPath(base: string): Promise<string> {
  if (!(await pathExists(base))) return base;
  for (let i = 2; ; i += 1) {
    const candidate = `${base}.${i}`;
    if (!(await pathExists(candidate))) return candidate;
  }
}

/** Reads every stored secret back under the new key, so a bad rotation is noticed at once. */
async function verifyAll(ctx: AppContext, key: MasterKey): Promise<number> {
  const vault = new CredentialVault({ store: ctx.store, key });
  let n = 0;
  for (const blob of await ctx.store.credentials.list()) {
    const schema: z.ZodType = SECRET_SCHEMAS[blob.system];
    await vault.get(blob.connectionId, blob.system, schema);
    n += 1;
  }
  return n;
}

async function rotateMasterKey(ctx: AppContext, options: RotateOptions, cwd: string): Promise<RotateReport> {
  const env = ctx.env;
  const oldFromEnv = (env[MASTER_KEY_ENV] ?? '').trim() !== '';
  const vault = ctx.vault; // throws the key error when no current key can be loaded
  const newFromEnv = (env[NEW_MASTER_KEY_ENV] ?? '').trim();
  const keyFile = ctx.config.keyFile;

  if (newFromEnv !== '') {
    if (options.newKeyFile !== undefined) {
      throw new UsageError(`Give either ${NEW_MASTER_KEY_ENV} or --new-key-file, not both.`);
    }
    const newKey = MasterKey.parse(newFromEnv, NEW_MASTER_KEY_ENV);
    if (newKey.id === vault.keyId) {
      throw new UsageError(
        `${NEW_MASTER_KEY_ENV} holds the master key already loaded (id ${newKey.id}); nothing to rotate. Give a new key, or unset ${NEW_MASTER_KEY_ENV}.`,
      );
    }
    const result = await vault.rotate(newKey);
    return {
      ...result,
      newKeyAt: NEW_MASTER_KEY_ENV,
      oldKeyBackup: null,
      verified: await verifyAll(ctx, newKey),
      nextSteps: [
        oldFromEnv
          ? `Set ${MASTER_KEY_ENV} to the value of ${NEW_MASTER_KEY_ENV} everywhere the connector runs, then unset ${NEW_MASTER_KEY_ENV}.`
          : `Write the new key into ${keyFile} (mode 0600) or set ${MASTER_KEY_ENV} to it, then unset ${NEW_MASTER_KEY_ENV}.`,
        `Keep the old key (id ${result.fromKeyId}) until you no longer need database backups taken before now.`,
      ],
    };
  }

  const target = resolve(cwd, options.newKeyFile ?? keyFile);
  const replacing = target === keyFile;
  if (replacing && oldFromEnv && (await pathExists(keyFile))) {
    throw new UsageError(
      `${MASTER_KEY_ENV} is set, so ${keyFile} is not the active key; refusing to replace it. Give --new-key-file PATH, or set ${NEW_MASTER_KEY_ENV}.`,
    );
  }
  // When replacing the active key file, stage the new key beside it and swap only after the database
  // rotation has committed; a failure before that leaves the old key in place and deletes the stage.
  const staged = replacing && !oldFromEnv ? `${keyFile}.new` : target;
  let newKey: MasterKey;
  try {
    newKey = await createKeyFile(staged);
  } catch (error) {
    if (isConnectorError(error) && error.code === 'ERR_CREDENTIALS_KEY_FILE_EXISTS' && staged !== target) {
      throw new UsageError(
        `${staged} already exists: an earlier rotate-key may have stopped half-way. Check which key the credentials are under (ML_CONNECTOR_KEY_FILE=${staged} ml-connector credentials list); if they are under it, move it over ${keyFile}, otherwise delete it and run rotate-key again.`,
      );
    }
    throw error;
  }
  let result: RotationResult;
  try {
    result = await vault.rotate(newKey);
  } catch (error) {
    await unlink(staged).catch(() => undefined);
    throw error;
  }
  const verified = await verifyAll(ctx, newKey);
  if (staged !== target) {
    const backup = await freeBackupPath(`${keyFile}.old-${result.fromKeyId}`);
    await rename(keyFile, backup);
    await rename(staged, keyFile);
    return {
      ...result,
      newKeyAt: keyFile,
      oldKeyBackup: backup,
      verified,
      nextSteps: [
        `The old key file was kept as ${backup}. Store it safely apart from the database and delete it once no database backup from before now is needed.`,
        'Restart any running ml-connector service so it loads the new key.',
      ],
    };
  }
  return {
    ...result,
    newKeyAt: target,
    oldKeyBackup: null,
    verified,
    nextSteps: [
      oldFromEnv
        ? `Set ${MASTER_KEY_ENV} to the contents of ${target} (or unset it and set keyFile / ML_CONNECTOR_KEY_FILE to ${target}).`
        : `Point the config at the new key: keyFile: ${target} (or ML_CONNECTOR_KEY_FILE=${target}). The old key file ${keyFile} is unchanged: keep it as a backup until no database backup from before now is needed.`,
      'Restart any running ml-connector service so it loads the new key.',
    ],
  };
}

function systemArgument(value: string): CredentialSystem {
  if ((CREDENTIAL_SYSTEMS as readonly string[]).includes(value)) return value as CredentialSystem;
  throw new UsageError(`Unknown system "${value}"; use epicor or hubspot.`);
}

function renderRotation(report: RotateReport): string {
  const lines = [
    `Re-encrypted ${report.reencrypted} secret${report.reencrypted === 1 ? '' : 's'} from key ${report.fromKeyId} to key ${report.toKeyId}` +
      (report.alreadyRotated > 0 ? ` (${report.alreadyRotated} already under the new key)` : '') +
      `; ${report.verified} read back with the new key.`,
    `New key: ${report.newKeyAt}`,
    ...report.nextSteps.map((s) => `- ${s}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function setCredentialsAction(
  systemText: string,
  options: SetOptions,
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  const system = systemArgument(systemText);
  await using ctx = await openCliContext(globals, redactor);
  const result = await setCredentials(ctx, system, options, redactor);
  output.out(
    globals.json
      ? toJson({ ok: true, ...result })
      : `Stored ${system} credentials (${result.fields.join(', ')}) for connection ${result.connection}, encrypted with key ${result.keyId}.\n`,
  );
  return EXIT.ok;
}

export async function listCredentialsAction(
  options: { connection?: string },
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  await using ctx = await openCliContext(globals, redactor, { requireKey: false });
  const rows = await listCredentials(ctx, options.connection);
  let keyId: string | undefined;
  try {
    keyId = ctx.vault.keyId;
  } catch {
    keyId = undefined;
  }
  output.out(
    globals.json
      ? toJson({ ok: true, loadedKeyId: keyId ?? null, credentials: rows })
      : renderCredentialList(rows, keyId),
  );
  return EXIT.ok;
}

export async function rotateKeyAction(
  options: RotateOptions,
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  await using ctx = await openCliContext(globals, redactor);
  const report = await rotateMasterKey(ctx, options, process.cwd());
  output.out(globals.json ? toJson({ ok: true, ...report }) : renderRotation(report));
  return EXIT.ok;
}
