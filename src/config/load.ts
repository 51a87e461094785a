/**
 * Reads, validates and freezes the configuration. Every problem is reported at once, each with its
 * path (`connections[0].epicor.company: Required`), in one `ConfigError`; no message ever repeats a
 * value found under a secret-looking key. A few documented environment variables take precedence over
 * the file. Relative paths in the file are read from the file's folder; relative paths from the
 * environment from the working directory.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { type ConnectionConfig, configFileSchema, type LogLevel } from './schema.js';
import { stripSecretKeys } from './secrets.js';

/** Environment variables that override the file, and the key each replaces. */
export const ENV_OVERRIDES = {
  ML_CONNECTOR_DATA_DIR: 'dataDir',
  /** `postgres://…` / `postgresql://…` (may carry the password), or `sqlite:PATH`. Replaces `store`. */
  ML_CONNECTOR_DATABASE_URL: 'store',
  ML_CONNECTOR_KEY_FILE: 'keyFile',
  ML_CONNECTOR_LOG_LEVEL: 'log.level',
} as const;
export type EnvOverride = keyof typeof ENV_OVERRIDES;

export type Env = Readonly<Record<string, string | undefined>>;

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string; readonly cacheMb?: number }
  | { readonly kind: 'postgres'; readonly url: string };

/** The validated, resolved, deep-frozen configuration. */
export interface Config {
  /** Absolute. */
  readonly dataDir: string;
  readonly store: StoreConfig;
  /** Absolute path of the master key that encrypts the credential store. */
  readonly keyFile: string;
  readonly log: { readonly level: LogLevel };
  readonly memory: { readonly heapGrowthPercent: number };
  readonly connections: readonly ConnectionConfig[];
}

export interface ParseConfigOptions {
  /** Default `process.env`. */
  readonly env?: Env;
  /** Folder relative file paths are read from; default `cwd`. */
  readonly baseDir?: string;
  /** Folder relative env paths are read from; default `process.cwd()`. */
  readonly cwd?: string;
}

/** `connections[0].epicor.company`; the root is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

const requiredMessage = (issue: z.core.$ZodRawIssue): string | undefined =>
  (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined
    ? 'Required'
    : undefined;

/**
 * A failed union ("Invalid input") is replaced by the issues of the one branch whose shape matched, so
 * the user reads what is wrong inside it rather than that nothing matched.
 */
function unwrapUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const matched = issue.errors.filter(
      (branch) =>
        !branch.every(
          (i) => (i.code === 'invalid_type' || i.code === 'invalid_value') && i.path.length === 0,
        ),
    );
    const [only] = matched;
    if (matched.length !== 1 || only === undefined) return [issue];
    return unwrapUnions(only.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

function zodIssues(raw: readonly z.core.$ZodIssue[], envPaths: ReadonlyMap<string, string>): string[] {
  const issues = unwrapUnions(raw);
  const out: string[] = [];
  const note = (path: string): string => {
    for (const [prefix, name] of envPaths) {
      if (path === prefix || path.startsWith(`${prefix}.`)) return ` (from ${name})`;
    }
    return '';
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        out.push(`${path}: unknown key (check the spelling; see docs/configuration.md)`);
      }
      continue;
    }
    const path = formatPath(issue.path);
    out.push(`${path}: ${issue.message}${note(path)}`);
  }
  return out;
}

function yamlToObject(text: string, issues: string[]): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  for (const error of doc.errors) {
    const [line, col] = [error.linePos?.[0].line, error.linePos?.[0].col];
    const where = line === undefined ? 'YAML' : `YAML line ${line}, column ${col ?? 1}`;
    // First line only: later lines quote the source, which may hold a secret.
    issues.push(
      `${where}: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  if (doc.errors.length > 0) return undefined;
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return value ?? {};
}

/** Applies env overrides to the raw file object; returns which config paths came from which variable. */
function applyEnv(
  raw: Record<string, unknown>,
  env: Env,
  cwd: string,
  issues: string[],
): Map<string, string> {
  const sources = new Map<string, string>();
  const get = (name: EnvOverride): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const dataDir = get('ML_CONNECTOR_DATA_DIR');
  if (dataDir !== undefined) {
    raw['dataDir'] = resolve(cwd, dataDir);
    sources.set('dataDir', 'ML_CONNECTOR_DATA_DIR');
  }
  const dbUrl = get('ML_CONNECTOR_DATABASE_URL');
  if (dbUrl !== undefined) {
    if (/^postgres(ql)?:\/\//i.test(dbUrl)) raw['store'] = { postgresUrl: dbUrl };
    else if (/^sqlite:/i.test(dbUrl))
      raw['store'] = { sqlitePath: resolve(cwd, dbUrl.slice('sqlite:'.length)) };
    else issues.push('ML_CONNECTOR_DATABASE_URL: expected postgres://…, postgresql://… or sqlite:PATH');
    sources.set('store', 'ML_CONNECTOR_DATABASE_URL');
  }
  const keyFile = get('ML_CONNECTOR_KEY_FILE');
  if (keyFile !== undefined) {
    raw['keyFile'] = resolve(cwd, keyFile);
    sources.set('keyFile', 'ML_CONNECTOR_KEY_FILE');
  }
  const level = get('ML_CONNECTOR_LOG_LEVEL');
  if (level !== undefined) {
    const log = raw['log'];
    raw['log'] = { ...(log !== null && typeof log === 'object' ? log : {}), level };
    sources.set('log.level', 'ML_CONNECTOR_LOG_LEVEL');
  }
  return sources;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks across list items, done on the raw object so they are reported even when other parts of the
 * same list are invalid (zod skips an object's refinements once one of its members failed).
 */
function duplicateChecks(raw: Record<string, unknown>): string[] {
  const issues: string[] = [];
  const duplicates = (items: unknown, key: string, path: (string | number)[], what: string): void => {
    if (!Array.isArray(items)) return;
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      const value = isRecord(item) ? item[key] : undefined;
      if (typeof value !== 'string') return;
      if (seen.has(value)) issues.push(`${formatPath([...path, i, key])}: "${value}" ${what}`);
      seen.add(value);
    });
  };
  const connections = raw['connections'];
  duplicates(connections, 'id', ['connections'], 'is used by another connection');
  if (!Array.isArray(connections)) return issues;
  connections.forEach((connection, c) => {
    const mapping = isRecord(connection) ? connection['mapping'] : undefined;
    if (!isRecord(mapping)) return;
    for (const [kind, settings] of Object.entries(mapping)) {
      if (isRecord(settings)) {
        duplicates(
          settings['fields'],
          'to',
          ['connections', c, 'mapping', kind, 'fields'],
          'is mapped twice',
        );
      }
    }
  });
  return issues;
}

/** YAML `key:` with nothing after it is null; treat it as "not given" so defaults apply. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  }
  return value;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** Validates config text (YAML; JSON is YAML too). Throws `ConfigError` listing every problem. */
export function parseConfig(text: string, options: ParseConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const baseDir = options.baseDir ?? cwd;
  const issues: string[] = [];

  const parsed = yamlToObject(text, issues);
  if (parsed === undefined) throw new ConfigError(issues);
  if (typeof parsed !== 'object' || Array.isArray(parsed) || parsed === null) {
    throw new ConfigError(['(root): expected a mapping of keys (dataDir, store, connections, …)']);
  }
  const raw = dropNulls(parsed) as Record<string, unknown>;

  for (const hit of stripSecretKeys(raw)) {
    issues.push(
      `${formatPath(hit.path)}: secrets must not be in the config file; keep them in the encrypted credential store (see docs/configuration.md#secrets)`,
    );
  }
  const envPaths = applyEnv(raw, env, cwd, issues);
  issues.push(...duplicateChecks(raw));

  const result = configFileSchema.safeParse(raw, { error: requiredMessage });
  if (!result.success) issues.push(...zodIssues(result.error.issues, envPaths));
  if (!result.success || issues.length > 0) throw new ConfigError(issues);

  const file = result.data;
  const postgresUrl = file.store.postgresUrl;
  if (postgresUrl !== undefined && !envPaths.has('store') && new URL(postgresUrl).password !== '') {
    throw new ConfigError([
      'store.postgresUrl: must not contain a password; set PGPASSWORD or ML_CONNECTOR_DATABASE_URL instead',
    ]);
  }
  const fromFile = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  const dataDir = fromFile(file.dataDir);
  const store: StoreConfig =
    postgresUrl !== undefined
      ? { kind: 'postgres', url: postgresUrl }
      : {
          kind: 'sqlite',
          path:
            file.store.sqlitePath === undefined
              ? join(dataDir, 'ml-connector.db')
              : fromFile(file.store.sqlitePath),
          ...(file.store.sqliteCacheMb === undefined ? {} : { cacheMb: file.store.sqliteCacheMb }),
        };
  const config: Config = {
    dataDir,
    store,
    keyFile: file.keyFile === undefined ? join(dataDir, 'master.key') : fromFile(file.keyFile),
    log: file.log,
    memory: file.memory,
    connections: file.connections,
  };
  return deepFreeze(config);
}

/** Reads and validates the config file at `path`. Throws `ConfigError` (code `ERR_CONFIG`). */
export async function loadConfig(
  path: string,
  env: Env = process.env,
  options: { readonly cwd?: string } = {},
): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const hint = code === 'ENOENT' ? ' (create one with `ml-connector init`)' : '';
    throw new ConfigError([`${absolute}: cannot read the config file: ${code}${hint}`]);
  }
  return parseConfig(text, { env, cwd, baseDir: dirname(absolute) });
}
