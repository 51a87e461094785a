/**
 * The `init` command: what `registerInitCommand` runs (imported only then, so that `--help` and the
 * other commands do not load the config schema).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { defaultConfigText, parseConfig } from '../../config/index.js';
import { pathExists } from '../../core/fs.js';
import { createKeyFile, MASTER_KEY_ENV, MasterKey, readKeyFile } from '../../credentials/index.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../output/errors.js';
import type { ActionContext, Env, Output } from '../output/io.js';
import { toJson } from '../output/json.js';
import { CONFIG_FILE_NAME, type InitOptions } from './init.js';

export interface InitResult {
  readonly configPath: string;
  readonly configOverwritten: boolean;
  readonly keySource: 'env' | 'created' | 'existing';
  readonly keyFile: string | null;
  readonly keyId: string;
}

/**
 * Writes the commented config and creates the master key file. The config text is validated (with the
 * environment's overrides) before anything touches the disk; an existing config is only replaced with
 * `force`, and an existing key file is never replaced (that would orphan every stored secret).
 */
export async function initialise(
  options: InitOptions & { readonly configPath: string; readonly env: Env; readonly cwd: string },
): Promise<InitResult> {
  const configPath = resolve(
    options.cwd,
    options.dir === undefined ? options.configPath : join(options.dir, CONFIG_FILE_NAME),
  );
  const text = defaultConfigText({
    ...(options.tenantUrl === undefined ? {} : { tenantUrl: options.tenantUrl }),
    ...(options.company === undefined ? {} : { company: options.company }),
    ...(options.username === undefined ? {} : { username: options.username }),
  });
  const config = parseConfig(text, { env: options.env, baseDir: dirname(configPath), cwd: options.cwd });
  const envKey = options.env[MASTER_KEY_ENV];
  const keyFromEnv = envKey !== undefined && envKey.trim() !== '' ? MasterKey.parse(envKey) : undefined;

  const configExists = await pathExists(configPath);
  if (configExists && options.force !== true) {
    throw new UsageError(
      `${configPath} already exists; refusing to overwrite it. Edit it, or run init again with --force to replace it with the default template (the key file is never replaced).`,
    );
  }
  await mkdir(dirname(configPath), { recursive: true });
  const temp = `${configPath}.${process.pid}.tmp`;
  await writeFile(temp, text, { encoding: 'utf8', mode: 0o644 });
  await rename(temp, configPath);

  if (keyFromEnv !== undefined) {
    return {
      configPath,
      configOverwritten: configExists,
      keySource: 'env',
      keyFile: null,
      keyId: keyFromEnv.id,
    };
  }
  // An existing key file is kept: the credential store may already be encrypted with it.
  const existing = await pathExists(config.keyFile);
  const key = existing ? await readKeyFile(config.keyFile) : await createKeyFile(config.keyFile);
  return {
    configPath,
    configOverwritten: configExists,
    keySource: existing ? 'existing' : 'created',
    keyFile: config.keyFile,
    keyId: key.id,
  };
}

export function renderInit(result: InitResult, cwd: string): string {
  const rel = (path: string): string => {
    const r = relative(cwd, path);
    return r === '' || r.startsWith('..') ? path : r;
  };
  const configArg = rel(result.configPath) === CONFIG_FILE_NAME ? '' : ` --config ${rel(result.configPath)}`;
  const lines = [
    `${result.configOverwritten ? 'Replaced' : 'Wrote'} ${rel(result.configPath)} (commented; no secrets belong in it).`,
    result.keySource === 'env'
      ? `Master key: from ${MASTER_KEY_ENV} (key id ${result.keyId}); no key file written. Keep that variable set for every command.`
      : result.keySource === 'existing'
        ? `Master key: kept the existing ${rel(result.keyFile ?? '')} (key id ${result.keyId}).`
        : `Master key: created ${rel(result.keyFile ?? '')} (mode 0600, key id ${result.keyId}).`,
    '',
    'Next steps:',
    `  1. Edit ${rel(result.configPath)}: epicor.tenantUrl, epicor.company, epicor.auth, hubspot settings.`,
    `  2. Store the secrets (prompted, hidden):`,
    `       ml-connector${configArg} credentials set epicor --connection main`,
    `       ml-connector${configArg} credentials set hubspot --connection main`,
    `  3. Check both systems:  ml-connector${configArg} ping`,
    `  4. Create the HubSpot properties:  ml-connector${configArg} setup`,
    `  5. Run a first sync:  ml-connector${configArg} sync`,
  ];
  if (result.keySource !== 'env') {
    lines.push(
      '',
      `Back up ${rel(result.keyFile ?? '')} somewhere other than the database backups: without it the stored`,
      'credentials cannot be read. Keep the data folder out of version control.',
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function initAction(
  options: InitOptions,
  { globals }: ActionContext,
  output: Output,
): Promise<number> {
  const result = await initialise({
    ...options,
    configPath: globals.configPath,
    env: process.env,
    cwd: process.cwd(),
  });
  output.out(globals.json ? toJson({ ok: true, ...result }) : renderInit(result, process.cwd()));
  return EXIT.ok;
}
