/**
 * Turning what the user gives us into a secret object for the vault: JSON or `KEY=value` lines from
 * stdin, documented environment variables, or hidden prompts on a terminal. Nothing here ever puts a
 * value (or a name that might be a value) into an error message: problems are reported by line number
 * and by the names we expected.
 */
import type { CredentialSystem } from '../../store/types.js';
import { UsageError } from '../output/errors.js';

/** Longest stdin accepted: secrets are short, and a runaway pipe should not fill memory. */
export const MAX_SECRET_INPUT_BYTES = 64 * 1024;

/** Human descriptions of each vault field, used for prompts and help. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  apiKey: 'API key',
  password: 'password',
  clientSecret: 'OAuth client secret',
  token: 'private app access token',
  refreshToken: 'OAuth refresh token',
};

/** Other names accepted for a field, besides its own and its environment variable. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  apiKey: ['xapikey'],
  token: ['accesstoken', 'privateapptoken'],
};

const camelToSnake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** `ML_CONNECTOR_EPICOR_API_KEY`, `ML_CONNECTOR_HUBSPOT_TOKEN`, … */
export function envVarName(system: CredentialSystem, field: string): string {
  return `ML_CONNECTOR_${system.toUpperCase()}_${camelToSnake(field)}`;
}

/** Shown in errors and help: `API_KEY` (or apiKey, ML_CONNECTOR_EPICOR_API_KEY). */
export function describeNames(system: CredentialSystem, fields: readonly string[]): string {
  return fields.map((f) => `${camelToSnake(f)} / ${f} / ${envVarName(system, f)}`).join(', ');
}

const canonical = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The vault field a user-supplied name refers to, among every field the system's schema knows. */
function fieldFor(system: CredentialSystem, name: string, known: readonly string[]): string | undefined {
  const key = canonical(name);
  for (const field of known) {
    const names = [field, `${system}_${field}`, envVarName(system, field), ...(ALIASES[field] ?? [])];
    if (names.some((n) => canonical(n) === key)) return field;
  }
  return undefined;
}

export interface RawEntry {
  readonly name: string;
  readonly value: string;
  /** Where it came from, for messages: `line 3`, `key 2`. */
  readonly where: string;
  /** The whole line, for `KEY=value` input (a lone line may be a bare value that contains `=`). */
  readonly line?: string;
}

const KEY_VALUE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/;

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) return v.slice(1, -1);
  return v;
}

/**
 * Parses stdin text: a JSON object of strings, or `KEY=value` lines (`export ` prefix, `#` comments,
 * blank lines and surrounding quotes allowed). A single line that is neither is returned as a bare
 * value (`name: ''`) for the caller to use when exactly one field is expected.
 */
export function parseSecretText(text: string): RawEntry[] {
  if (Buffer.byteLength(text, 'utf8') > MAX_SECRET_INPUT_BYTES) {
    throw new UsageError(`stdin is larger than ${MAX_SECRET_INPUT_BYTES} bytes; give only the secrets.`);
  }
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new UsageError('stdin is empty; give the secrets as JSON or KEY=value lines.');
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // JSON.parse messages quote the input, which is secret: say only that it failed.
      throw new UsageError('stdin starts with "{" but is not valid JSON; give one JSON object of strings.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError('stdin JSON must be one object, e.g. {"apiKey": "…", "password": "…"}.');
    }
    return Object.entries(parsed).map(([name, value], i) => {
      if (typeof value !== 'string') {
        throw new UsageError(
          `stdin JSON: the value of key ${i + 1} is not a string; give every secret as a string.`,
        );
      }
      return { name, value, where: `key ${i + 1}` };
    });
  }
  const lines = trimmed.split(/\r?\n/);
  const entries: RawEntry[] = [];
  lines.forEach((line, i) => {
    const body = line.trim();
    if (body === '' || body.startsWith('#')) return;
    const match = KEY_VALUE.exec(body);
    if (match === null) {
      entries.push({ name: '', value: body, where: `line ${i + 1}`, line: body });
      return;
    }
    entries.push({
      name: match[1] ?? '',
      value: unquote(match[2] ?? ''),
      where: `line ${i + 1}`,
      line: body,
    });
  });
  return entries;
}

/**
 * Maps parsed entries onto the vault fields `needed` (the connection's auth kind decides them; `known`
 * is every field the system's schema has). Throws a UsageError naming the problem — an unknown name,
 * a field this auth kind does not use, a duplicate, an empty value or a missing field — never a value.
 */
export function resolveSecretFields(
  system: CredentialSystem,
  entries: readonly RawEntry[],
  needed: readonly string[],
  known: readonly string[],
  context: string,
): Record<string, string> {
  const expected = `expected ${describeNames(system, needed)}`;
  // One bare line and one field: the whole line is that field (`echo "$TOKEN" | … --stdin`), even
  // when it happens to contain `=` (base64 padding), unless it names a field.
  const [only] = entries;
  const [single] = needed;
  if (entries.length === 1 && only?.line !== undefined && single !== undefined && needed.length === 1) {
    if (only.name === '' || fieldFor(system, only.name, known) === undefined) {
      return checkValues(system, { [single]: only.line }, needed, context);
    }
  }
  const out: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.name === '') throw new UsageError(`${entry.where} is not KEY=value (${expected}).`);
    const field = fieldFor(system, entry.name, known);
    if (field === undefined) {
      throw new UsageError(`${entry.where}: unknown name (${expected}; names match case-insensitively).`);
    }
    if (!needed.includes(field)) {
      throw new UsageError(`${entry.where}: ${system}.${field} is not used by ${context}; ${expected}.`);
    }
    if (field in out) throw new UsageError(`${entry.where}: ${system}.${field} is given twice.`);
    out[field] = entry.value;
  }
  return checkValues(system, out, needed, context);
}

function checkValues(
  system: CredentialSystem,
  values: Record<string, string>,
  needed: readonly string[],
  context: string,
): Record<string, string> {
  const missing = needed.filter((f) => !(f in values));
  if (missing.length > 0) {
    throw new UsageError(
      `${context} needs ${needed.map((f) => `${system}.${f}`).join(' and ')}; missing ${missing.map((f) => `${system}.${f}`).join(', ')} (give ${describeNames(system, missing)}).`,
    );
  }
  const empty = needed.filter((f) => values[f]?.trim() === '');
  if (empty.length > 0) throw new UsageError(`${empty.map((f) => `${system}.${f}`).join(', ')} is empty.`);
  return values;
}

/** The needed fields from `ML_CONNECTOR_<SYSTEM>_<FIELD>` variables; every missing one is named. */
export function secretsFromEnv(
  system: CredentialSystem,
  needed: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  context: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const field of needed) {
    const value = env[envVarName(system, field)];
    if (value === undefined || value.trim() === '') missing.push(envVarName(system, field));
    else out[field] = value.trim();
  }
  if (missing.length > 0) {
    throw new UsageError(
      `--from-env: ${context} needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not set.`,
    );
  }
  return out;
}

/** Asks for one secret with hidden input; resolves to the typed value. */
export type AskSecret = (message: string) => Promise<string>;

export async function promptSecrets(
  system: CredentialSystem,
  needed: readonly string[],
  ask: AskSecret,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const title = system === 'epicor' ? 'Epicor' : 'HubSpot';
  for (const field of needed) out[field] = (await ask(`${title} ${FIELD_LABELS[field] ?? field}:`)).trim();
  return out;
}

/** Reads all of a stream as UTF-8, refusing more than `MAX_SECRET_INPUT_BYTES`. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += buffer.length;
    if (size > MAX_SECRET_INPUT_BYTES) {
      throw new UsageError(`stdin is larger than ${MAX_SECRET_INPUT_BYTES} bytes; give only the secrets.`);
    }
    chunks.push(buffer);
  }
  const all = Buffer.concat(chunks);
  const text = all.toString('utf8');
  all.fill(0);
  return text;
}
