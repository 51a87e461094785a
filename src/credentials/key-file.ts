import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import { CredentialsError } from './errors.js';
import { MasterKey } from './master-key.js';

export const MASTER_KEY_ENV = 'ML_CONNECTOR_MASTER_KEY';

/**
 * Writes a new random key to `path` (base64, one line) with mode 0600, creating missing parent
 * directories with mode 0700. Refuses to overwrite an existing file: losing a key loses every secret
 * it encrypted.
 */
export async function createKeyFile(path: string): Promise<MasterKey> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = MasterKey.generate();
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CredentialsError(
        'ERR_CREDENTIALS_KEY_FILE_EXISTS',
        `Key file ${path} already exists; refusing to overwrite it (that would make stored credentials unreadable). ` +
          'Delete it yourself only if nothing was encrypted with it.',
      );
    }
    throw new CredentialsError(
      'ERR_CREDENTIALS_KEY_FILE',
      `Cannot create key file ${path}: ${errnoText(error)}`,
      {
        cause: error,
      },
    );
  }
  try {
    // The mode passed to open() is reduced by the umask but never widened; chmod makes it exact.
    await handle.chmod(0o600);
    await handle.writeFile(`${key.unsafeExport()}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return key;
}

export interface ReadKeyFileOptions {
  /** What to do when group or others can read the file. Default `error`. */
  readonly onInsecureMode?: 'error' | 'warn';
  readonly logger?: Logger;
}

/** Reads a key file, checking first that only its owner can read it (POSIX). */
export async function readKeyFile(path: string, options: ReadKeyFileOptions = {}): Promise<MasterKey> {
  let text: string;
  try {
    const info = await stat(path);
    const loose = info.mode & 0o077;
    if (loose !== 0 && process.platform !== 'win32') {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      const message = `Key file ${path} has mode ${mode}, readable by users other than its owner; run: chmod 600 ${path}`;
      if ((options.onInsecureMode ?? 'error') === 'error') {
        throw new CredentialsError('ERR_CREDENTIALS_KEY_FILE_MODE', message);
      }
      options.logger?.warn({ path, mode }, message);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CredentialsError) throw error;
    throw new CredentialsError(
      'ERR_CREDENTIALS_KEY_FILE',
      `Cannot read key file ${path}: ${errnoText(error)}`,
      {
        cause: error,
      },
    );
  }
  return MasterKey.parse(text, `key file ${path}`);
}

export interface LoadMasterKeyOptions extends ReadKeyFileOptions {
  /** Environment to read `ML_CONNECTOR_MASTER_KEY` from (pass `process.env` from main). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Key file used when the environment variable is not set. */
  readonly keyFile?: string;
}

/** The master key from `ML_CONNECTOR_MASTER_KEY` if set, otherwise from the key file. */
export async function loadMasterKey(options: LoadMasterKeyOptions): Promise<MasterKey> {
  const fromEnv = options.env[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return MasterKey.parse(fromEnv, MASTER_KEY_ENV);
  if (options.keyFile !== undefined) return readKeyFile(options.keyFile, options);
  throw new CredentialsError(
    'ERR_CREDENTIALS_NO_KEY',
    `No master key: set ${MASTER_KEY_ENV} (32 bytes as base64 or hex, e.g. from \`openssl rand -base64 32\`) ` +
      'or configure a key file (created with mode 0600 on first setup).',
  );
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
