/**
 * Edits the connections of the YAML config file — add, replace, patch, remove — keeping the rest of the
 * file as it was: comments, blank lines, key order and quoting outside the edited connection are kept
 * byte for byte (the edit is spliced into the original text; inside an edited connection the comments of
 * keys that stay are kept too). Every edit is validated with the full config schema (`parseConfig`, every
 * problem with its path) BEFORE anything is written, and written atomically (temp file in the same folder,
 * same file mode, rename). The schema refuses secret-looking keys, so no secret can be written this way.
 */
import { randomUUID } from 'node:crypto';
import { chmod, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap, YAMLSeq } from 'yaml';
import { ConfigError, ConnectorError } from '../core/errors.js';
import { type Config, type ParseConfigOptions, parseConfig } from './load.js';

/** A connection's settings as plain data (parsed JSON/YAML); validated only as part of the whole file. */
export type ConnectionInput = Readonly<Record<string, unknown>>;

export type ConnectionEdit =
  | { readonly op: 'add'; readonly connection: ConnectionInput }
  /** The connection becomes exactly `connection` (its `id` may be left out). */
  | { readonly op: 'replace'; readonly id: string; readonly connection: ConnectionInput }
  /**
   * Merge patch (RFC 7386 style): objects merge, `null` removes a key, anything else replaces. An object
   * whose `kind` differs from the current one replaces it (auth kinds have different keys).
   */
  | { readonly op: 'patch'; readonly id: string; readonly patch: ConnectionInput }
  | { readonly op: 'remove'; readonly id: string };

export class ConnectionNotFoundError extends ConnectorError {
  readonly connectionId: string;
  constructor(id: string, known: readonly string[]) {
    super(
      'ERR_CONNECTION_NOT_FOUND',
      `No connection "${id}" in the config file (known: ${known.length === 0 ? 'none' : known.join(', ')}).`,
    );
    this.connectionId = id;
  }
}

export class ConnectionExistsError extends ConnectorError {
  readonly connectionId: string;
  constructor(id: string) {
    super(
      'ERR_CONNECTION_EXISTS',
      `A connection "${id}" is already in the config file; change it with set/PUT, or choose another id.`,
    );
    this.connectionId = id;
  }
}

/** The config file could not be read or replaced (read-only mount, permissions); nothing was changed. */
export class ConfigWriteError extends ConnectorError {
  constructor(message: string, cause?: unknown) {
    super('ERR_CONFIG_WRITE', message, { cause });
  }
}

export interface EditResult {
  /** The connection added, changed or removed. */
  readonly connectionId: string;
  /** The new file text. */
  readonly text: string;
  /** The new file, validated (as `loadConfig` would read it). */
  readonly config: Config;
  /** False when the edit left the file as it was (e.g. a patch with the current values). */
  readonly changed: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const idOf = (node: unknown): unknown => (isMap(node) ? node.get('id') : undefined);

/** A change of one scalar's source text (the rest of the file is untouched). */
interface ScalarEdit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** What `applyObject` did: scalar edits that can be spliced, and whether anything else changed. */
interface Applied {
  readonly scalars: ScalarEdit[];
  structural: boolean;
}

/** The source text of a scalar with its style kept, or undefined when it would not fit on its line. */
function scalarText(node: Scalar, value: unknown): string | undefined {
  const copy = node.clone() as Scalar;
  copy.value = value;
  copy.comment = null;
  copy.commentBefore = null;
  copy.spaceBefore = false;
  const text = new Document(copy).toString({ lineWidth: 0 }).replace(/\n$/, '');
  return text.includes('\n') ? undefined : text;
}

/** Writes `value` into `map` in place, so keys that stay keep their comments and styles. */
function applyObject(
  doc: Document,
  map: YAMLMap,
  value: Record<string, unknown>,
  removeMissing: boolean,
  applied: Applied,
): void {
  for (const [key, next] of Object.entries(value)) {
    if (next === undefined) continue;
    if (next === null) {
      if (map.has(key)) applied.structural = true;
      map.delete(key);
      continue;
    }
    const current = map.get(key, true);
    if (isMap(current) && isPlainObject(next)) {
      const kind = current.get('kind');
      if (!('kind' in next) || next['kind'] === kind) {
        applyObject(doc, current, next, removeMissing, applied);
        continue;
      }
    } else if (isScalar(current) && typeof next !== 'object') {
      if (current.value !== next) {
        const text = scalarText(current, next);
        const range = current.range;
        if (text === undefined || range === undefined || range === null) applied.structural = true;
        else applied.scalars.push({ from: range[0], to: range[1], text });
        current.value = next;
      }
      continue;
    } else if (isSeq(current) && Array.isArray(next) && isDeepStrictEqual(current.toJSON(), next)) {
      continue;
    }
    applied.structural = true;
    map.set(key, doc.createNode(next));
  }
  if (removeMissing) {
    for (const pair of [...map.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' || value[key] === undefined || value[key] === null) {
        applied.structural = true;
        map.delete(pair.key);
      }
    }
  }
}

/** Offset of the start of the line holding `offset`. */
const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

const indentOf = (line: string): number => line.length - line.trimStart().length;

interface ItemSpan {
  /** Start of the item's `- ` line. */
  readonly start: number;
  /** Start of the first line after the item (comments indented inside the item belong to it). */
  readonly end: number;
  /** Column of the item's dash. */
  readonly column: number;
}

/** Where a block sequence item sits in the text; undefined when the layout is not the plain one. */
function itemSpan(text: string, node: unknown): ItemSpan | undefined {
  if (!isMap(node) || node.flow === true || node.range === undefined || node.range === null) return undefined;
  const [from, valueEnd] = node.range;
  let dash = from - 1;
  while (dash >= 0 && /\s/.test(text[dash] ?? '')) dash -= 1;
  if (text[dash] !== '-') return undefined;
  const start = lineStart(text, dash);
  if (text.slice(start, dash).trim() !== '') return undefined;
  const column = dash - start;
  let end = valueEnd;
  if (end > 0 && text[end - 1] !== '\n') {
    const nl = text.indexOf('\n', end);
    end = nl === -1 ? text.length : nl + 1;
  }
  // Comment lines indented deeper than the dash still belong to the item (blank lines only between them).
  let scan = end;
  while (scan < text.length) {
    const nl = text.indexOf('\n', scan);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const line = text.slice(scan, lineEnd).replace(/\r?\n$/, '');
    if (line.trim() === '') {
      scan = lineEnd;
      continue;
    }
    if (line.trimStart().startsWith('#') && indentOf(line) > column) {
      scan = lineEnd;
      end = lineEnd;
      continue;
    }
    break;
  }
  return { start, end, column };
}

/**
 * The text without the item's lines, and without the comment lines right above it at its dash column (they
 * describe it). When the item opened its list or followed a blank line, the blank lines after it go too.
 */
function removeLines(text: string, span: ItemSpan): string {
  let start = span.start;
  while (start > 0) {
    const prev = lineStart(text, start - 1);
    const line = text.slice(prev, start - 1);
    if (!(line.trimStart().startsWith('#') && indentOf(line) === span.column)) break;
    start = prev;
  }
  let end = span.end;
  const before = start > 0 ? text.slice(lineStart(text, start - 1), start - 1) : '';
  if (start === 0 || before.trim() === '' || before.trimEnd().endsWith(':')) {
    while (end < text.length) {
      const nl = text.indexOf('\n', end);
      if (nl === -1 || text.slice(end, nl).trim() !== '') break;
      end = nl + 1;
    }
  }
  return text.slice(0, start) + text.slice(end);
}

/** One connection rendered as a block sequence item at `column`. */
function renderItem(node: YAMLMap, column: number): string {
  const copy = node.clone() as YAMLMap;
  copy.commentBefore = null;
  copy.comment = null;
  copy.spaceBefore = false;
  const seq = new YAMLSeq();
  seq.items.push(copy);
  const tmp = new Document(seq);
  const pad = ' '.repeat(column);
  return tmp
    .toString({ lineWidth: 0 })
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

interface Located {
  readonly seq: YAMLSeq | undefined;
  readonly index: number;
  readonly ids: string[];
}

function locate(doc: Document, id: string | undefined): Located {
  const node = doc.get('connections', true);
  const seq = isSeq(node) ? node : undefined;
  const ids = (seq?.items ?? []).map(idOf).filter((v): v is string => typeof v === 'string');
  const index = id === undefined || seq === undefined ? -1 : seq.items.findIndex((item) => idOf(item) === id);
  return { seq, index, ids };
}

/**
 * Applies `edit` to the config text and validates the whole result. Pure (no I/O). Throws
 * `ConnectionNotFoundError`, `ConnectionExistsError`, or `ConfigError` with every problem and its path.
 */
export function editConfigText(
  text: string,
  edit: ConnectionEdit,
  options: ParseConfigOptions = {},
): EditResult {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    parseConfig(text, options); // throws the file's own problems
    throw new ConfigError(['(root): expected a mapping of keys (dataDir, store, connections, …)']);
  }
  const input = edit.op === 'add' ? edit.connection : edit.op === 'replace' ? edit.connection : undefined;
  if (input !== undefined && !isPlainObject(input)) {
    throw new ConfigError(['connection: expected a mapping of settings (id, epicor, hubspot, …)']);
  }
  const targetId = edit.op === 'add' ? edit.connection['id'] : edit.id;
  const { seq, index, ids } = locate(doc, typeof targetId === 'string' ? targetId : undefined);
  const json = text.trimStart().startsWith('{');
  let spliced: string | undefined;
  let connectionId: string;

  if (edit.op === 'add') {
    connectionId = typeof targetId === 'string' ? targetId : '';
    if (index >= 0) throw new ConnectionExistsError(connectionId);
    const node = doc.createNode(edit.connection) as YAMLMap;
    const last = seq?.items.at(-1);
    const span = seq === undefined || seq.flow === true ? undefined : itemSpan(text, last);
    if (seq === undefined) doc.set('connections', doc.createNode([edit.connection]));
    else {
      if (seq.items.length === 0) seq.flow = false;
      seq.items.push(node);
    }
    if (span !== undefined && !json) {
      const head = text.slice(0, span.end);
      spliced = `${head}${head.endsWith('\n') ? '' : '\n'}${renderItem(node, span.column)}${text.slice(span.end)}`;
    }
  } else {
    connectionId = edit.id;
    const current = seq?.items[index];
    if (seq === undefined || index < 0 || !isMap(current)) throw new ConnectionNotFoundError(edit.id, ids);
    const span = seq.flow === true ? undefined : itemSpan(text, current);
    if (edit.op === 'remove') {
      seq.items.splice(index, 1);
      if (span !== undefined && !json) spliced = removeLines(text, span);
    } else {
      const value = edit.op === 'replace' ? { ...edit.connection } : { ...edit.patch };
      if (value['id'] !== undefined && value['id'] !== edit.id) {
        throw new ConfigError([
          `connections[${index}].id: the id cannot be changed (it keys the store's history); remove and add instead`,
        ]);
      }
      const applied: Applied = { scalars: [], structural: false };
      // `id` first, as written.
      applyObject(doc, current, { id: edit.id, ...value }, edit.op === 'replace', applied);
      if (!json && !applied.structural) {
        // Only scalar values changed: replace their text, last first so offsets stay valid.
        spliced = text;
        for (const change of [...applied.scalars].sort((a, b) => b.from - a.from)) {
          spliced = spliced.slice(0, change.from) + change.text + spliced.slice(change.to);
        }
      } else if (span !== undefined && !json) {
        // Only the item's own lines (its trailing comments stay where they are).
        const valueEnd = current.range?.[1] ?? span.end;
        const end = text[valueEnd - 1] === '\n' ? valueEnd : span.end;
        spliced = text.slice(0, span.start) + renderItem(current, span.column) + text.slice(end);
      }
    }
  }

  const whole = json ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString({ lineWidth: 0 });
  let next = whole;
  if (spliced !== undefined) {
    // Use the minimal splice only when it reads back exactly as the structural edit.
    const check = parseDocument(spliced, { uniqueKeys: true });
    if (check.errors.length === 0 && isDeepStrictEqual(check.toJS(), doc.toJS())) next = spliced;
  }
  const config = parseConfig(next, options);
  return { connectionId, text: next, config, changed: next !== text };
}

// ---------------------------------------------------------------------------------------- the file

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier edit of the same file in this process. */
function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([`${path}: cannot read the config file: ${code}`]);
  }
}

/** Writes `text` to a temp file beside `path` with `path`'s mode, flushes it, and renames it over `path`. */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode); // the umask may have narrowed it
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigWriteError(
      `Cannot write the config file ${path} (${code}); nothing was changed. Is it on a read-only mount?`,
      error,
    );
  }
}

export interface EditFileOptions {
  /** For env overrides during validation. Default `process.env`. */
  readonly env?: ParseConfigOptions['env'];
  /** Default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * Reads the config file, applies `edit`, validates the whole result (nothing is written on error) and
 * replaces the file atomically, keeping its mode (a symlinked file is written through the link). Edits of
 * the same file in this process run one at a time; an edit made meanwhile by another process is detected
 * and the edit re-applied on top of it.
 */
export function editConfigFile(
  path: string,
  edit: ConnectionEdit,
  options: EditFileOptions = {},
): Promise<EditResult & { readonly path: string }> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, path);
  return serialised(absolute, async () => {
    let target: string;
    try {
      target = await realpath(absolute);
    } catch {
      target = absolute;
    }
    for (let attempt = 0; ; attempt += 1) {
      const before = await readText(target);
      const result = editConfigText(before, edit, {
        ...(options.env === undefined ? {} : { env: options.env }),
        cwd,
        baseDir: dirname(absolute),
      });
      if (!result.changed) return { ...result, path: absolute };
      const mode = (await stat(target)).mode & 0o7777;
      // Another process may have written the file since it was read: apply the edit to its version.
      if ((await readText(target)) !== before && attempt < 3) continue;
      await writeFileAtomic(target, result.text, mode);
      return { ...result, path: absolute };
    }
  });
}
