import { readFileSync } from 'node:fs';

/**
 * Read from package.json at run time so the CLI and the package never disagree: `../../../` from
 * `dist/src/cli/`, `../../` when run from source (tsx). Checked by hand, not with zod: this runs on
 * every start, `--help` included, and must not load a validation library.
 */
function readVersion(): string {
  for (const path of ['../../../package.json', '../../package.json']) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
    } catch {
      continue;
    }
    const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (fields['name'] === 'ml-connector' && typeof fields['version'] === 'string') return fields['version'];
  }
  throw new Error('Cannot find the version of ml-connector: no package.json above this module.');
}

export const VERSION: string = readVersion();
