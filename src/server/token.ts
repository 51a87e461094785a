/**
 * Where the API token comes from: `ML_CONNECTOR_API_TOKEN`, else the file named by
 * `ML_CONNECTOR_API_TOKEN_FILE`, else `<dataDir>/api-token`. When no token exists anywhere, `run` (and the
 * demo) generate one into the file (mode 0600, like the master key) and say where it is. The token is a
 * secret: it is never logged, never put in a page, and registered with the redactor.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConnectorError } from '../core/errors.js';

export const API_TOKEN_ENV = 'ML_CONNECTOR_API_TOKEN';
export const API_TOKEN_FILE_ENV = 'ML_CONNECTOR_API_TOKEN_FILE';
export const DEFAULT_TOKEN_FILENAME = 'api-token';
const MIN_LENGTH = 16;

export class ApiTokenError extends ConnectorError {
  constructor(message: string) {
    super('ERR_API_TOKEN', message);
  }
}

export interface ResolvedToken {
  readonly token: string;
  /** `env`, or the file it was read from or written to. */
  readonly source: string;
  readonly generated: boolean;
}

export function generateApiToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function resolveApiToken(options: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dataDir: string;
  /** Create the file with a fresh token when there is none (default true). */
  readonly generate?: boolean;
}): Promise<ResolvedToken> {
  const fromEnv = options.env[API_TOKEN_ENV]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_LENGTH) {
      throw new ApiTokenError(`${API_TOKEN_ENV} is too short: use at least ${MIN_LENGTH} characters.`);
    }
    return { token: fromEnv, source: API_TOKEN_ENV, generated: false };
  }
  const fileEnv = options.env[API_TOKEN_FILE_ENV]?.trim();
  const file = resolve(
    fileEnv !== undefined && fileEnv !== '' ? fileEnv : join(options.dataDir, DEFAULT_TOKEN_FILENAME),
  );
  let text: string | undefined;
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) {
      throw new ApiTokenError(
        `The API token file ${file} can be read by other users; run \`chmod 600 ${file}\`.`,
      );
    }
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if (error instanceof ApiTokenError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    if (text.length < MIN_LENGTH) {
      throw new ApiTokenError(
        `The API token in ${file} is too short: use at least ${MIN_LENGTH} characters.`,
      );
    }
    return { token: text, source: file, generated: false };
  }
  if (options.generate === false) {
    throw new ApiTokenError(
      `No API token: set ${API_TOKEN_ENV}, or put one in ${file} (mode 600), or let \`ml-connector run\` create it.`,
    );
  }
  const token = generateApiToken();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return { token, source: file, generated: true };
}
