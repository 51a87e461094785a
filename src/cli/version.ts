import { readFileSync } from 'node:fs';

/**
 * Read from package.json at run time so the CLI and the package never disagree. Checked by hand, not
 * with zod: this runs on every start, `--help` included, and must not load a validation library.
 */
function readVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const version =
    typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
  if (typeof version !== 'string') throw new Error('package.json has no "version" string.');
  return version;
}

export const VERSION: string = readVersion();
