import { z } from 'zod';
import { type Clock, systemClock } from '../core/clock.js';
import { fetchTransport, type HttpTransport } from '../core/http.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { type Random, systemRandom } from '../core/random.js';
import { Redactor, redactUrl } from '../core/redact.js';
import { ENTITY_KINDS, type EntityKind, type SourceRecord, type StreamCursor } from '../sync/model.js';
import { createAuthProvider } from './auth.js';
import { keyOf, type LiteralStyles, positionOf } from './cursor.js';
import { EpicorDataError, EpicorError, EpicorPagingError, EpicorResponseError } from './errors.js';
import { parseJsonPreservingBigInts } from './json.js';
import { keysetProblem, keysetProblemMessage } from './keyset-check.js';
import { type EntityProperty, parseEntityProperties, propertiesFromRow } from './metadata.js';
import { queryParameters } from './odata.js';
import { type CheckOptions, type ConnectionReport, checkConnection } from './ping.js';
import { EpicorRequester, type RetryNotice } from './requester.js';
import { type PagingMode, planPage, startFilter } from './scan-plan.js';
import type { EpicorSettings } from './settings.js';
import { type ResolvedStream, resolveStream, STREAM_DEFAULTS } from './streams.js';
import { normaliseBaseUrl, odataRoot, servicePath, withQuery } from './urls.js';

/**
 * The exact query that produced a page: service-relative path plus OData options (and BAQ parameters).
 * Plain JSON, so the sync engine can store it with the batch and `replay` it later.
 */
export type EpicorQuery = {
  readonly v: 1;
  readonly kind: EntityKind;
  /** e.g. `Erp.BO.VendorSvc/Vendors` or `BaqSvc/VendorChanges/Data` */
  readonly path: string;
  /** `$select`, `$filter`, `$orderby`, `$top`, `$skip`, `$expand` — only those used. */
  readonly params: Readonly<Record<string, string | number>>;
  /** BAQ parameters (query string by name). */
  readonly extra: Readonly<Record<string, string>>;
};

export const epicorQuerySchema = z.object({
  v: z.literal(1),
  kind: z.enum(ENTITY_KINDS),
  path: z.string().min(1),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  extra: z.record(z.string(), z.string()),
});

/** One page of a stream. Satisfies the sync engine's `SourcePage`. */
export interface EpicorPage {
  readonly kind: EntityKind;
  readonly records: readonly SourceRecord[];
  /** The cursor after this page (last row's position); null for an empty page. */
  readonly position: StreamCursor | null;
  readonly query: EpicorQuery;
  /** Rows Epicor returned (for vendorExpand: vendors, not contacts). */
  readonly rowCount: number;
  /** Re-runs exactly this page's query against the current data. */
  replay(signal?: AbortSignal): Promise<EpicorPage>;
}

export interface ScanOptions {
  /** Saved cursor; null (or omitted) reads from the beginning. Full scans always start over. */
  readonly from?: StreamCursor | null;
  /** Re-read this far behind `from` (time-based strategies; the sync engine passes its lookback). */
  readonly lookbackMs?: number;
  readonly paging?: PagingMode;
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

export interface EpicorClientDeps {
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** Called before each retry (for the engine's `retry` event, metrics). */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** Shared redactor; the client registers the API key, passwords, secrets and tokens in it. */
  readonly redactor?: Redactor;
}

type Row = Readonly<Record<string, unknown>>;

/**
 * `{ value: [rows] }`. Each row is checked to be a JSON object but not copied: `z.record` would rebuild
 * every row key by key, which on a full sync is most of the garbage per record.
 */
const collectionSchema = z.looseObject({
  value: z.array(
    z.custom<Row>((row) => typeof row === 'object' && row !== null && !Array.isArray(row), 'a JSON object'),
  ),
});

export class EpicorClient {
  readonly settings: EpicorSettings;
  readonly tenantUrl: string;
  readonly #requester: EpicorRequester;
  readonly #styles: LiteralStyles;
  readonly #deps: EpicorClientDeps;

  constructor(settings: EpicorSettings, deps: EpicorClientDeps = {}) {
    this.settings = settings;
    this.#deps = deps;
    this.tenantUrl = normaliseBaseUrl(settings.tenantUrl, 'tenantUrl', settings.allowInsecureHttp);
    const redactor = deps.redactor ?? new Redactor();
    redactor.add(settings.apiKey);
    const auth = settings.auth;
    if (auth.mode === 'oauth2') redactor.add(auth.clientSecret);
    else redactor.add(auth.password);
    const clock = deps.clock ?? systemClock;
    this.#requester = new EpicorRequester({
      settings,
      transport: deps.transport ?? fetchTransport,
      clock,
      random: deps.random ?? systemRandom,
      logger: deps.logger ?? silentLogger,
      redactor,
      ...(deps.onRetry ? { onRetry: deps.onRetry } : {}),
    });
    this.#requester.useAuth(createAuthProvider(settings, this.tenantUrl, this.#requester, clock, redactor));
    this.#styles = {
      timeZone: settings.timeZone,
      dateTimeLiteral: settings.dateTimeLiteral,
      dateLiteral: settings.dateLiteral,
    };
  }

  /** The same client with other settings (e.g. no retries for `checkConnection`), sharing the deps. */
  withSettings(settings: EpicorSettings): EpicorClient {
    return new EpicorClient(settings, this.#deps);
  }

  /** HTTP exchanges made so far (every attempt counts). */
  get exchanges(): number {
    return this.#requester.exchanges;
  }

  stream(kind: EntityKind): ResolvedStream {
    return resolveStream(this.settings, kind);
  }

  /** `{tenant}/api/v2/odata/{Company}/{path}?{query}` */
  urlFor(
    path: string,
    params: Readonly<Record<string, string | number>> = {},
    extra: Readonly<Record<string, string>> = {},
  ): string {
    return withQuery(
      `${odataRoot(this.tenantUrl, this.settings.company)}/${path}`,
      queryParameters(params, extra),
    );
  }

  /**
   * Pages of `kind` after `from`, in change order, one request per page, as an async iterator: memory
   * holds one page at a time. Keyset paging by default; the last page is the first short (or, with
   * `lastPage: 'empty'`, empty) page.
   */
  async *scan(kind: EntityKind, options: ScanOptions = {}): AsyncGenerator<EpicorPage, void, undefined> {
    const stream = this.stream(kind);
    const paging = options.paging ?? this.settings.paging;
    const pageSize = options.pageSize ?? stream.pageSize;
    const start = startFilter(
      stream,
      { from: options.from ?? null, lookbackMs: options.lookbackMs ?? 0 },
      this.#styles,
    );
    let after: StreamCursor | null = null;
    for (let pageIndex = 0; ; pageIndex++) {
      const params = planPage(stream, { paging, start, after, pageIndex, pageSize }, this.#styles);
      const query: EpicorQuery = { v: 1, kind, path: stream.path, params, extra: stream.baqParameters };
      const { page, firstRow, lastRow } = await this.#runQuery(query, stream, options.signal);
      if (paging === 'keyset' && after !== null) {
        // Checked before the page is handed out: rows out of order would move the cursor backwards.
        const problem = keysetProblem(after, firstRow, lastRow, {
          compareKeys: stream.keyFields.every((k) => k.type === 'int'),
        });
        if (problem !== undefined) {
          throw new EpicorPagingError(
            keysetProblemMessage(problem, {
              path: stream.path,
              change: stream.change,
              after,
              timeZone: this.settings.timeZone,
            }),
          ).attachQuery(query);
        }
      }
      yield page;
      if (page.rowCount === 0) return;
      if (this.settings.lastPage === 'short' && page.rowCount < pageSize) return;
      after = lastRow;
    }
  }

  /** Re-runs a stored page query (validated first) and returns that page as it reads now. */
  async replay(query: unknown, signal?: AbortSignal): Promise<EpicorPage> {
    const parsed = epicorQuerySchema.safeParse(query);
    if (!parsed.success) {
      throw new EpicorDataError(
        `Not an Epicor page query: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      );
    }
    const stored = parsed.data as EpicorQuery;
    return (await this.#runQuery(stored, this.stream(stored.kind), signal)).page;
  }

  /** Every key currently in the stream (keys only, keyset-paged); used by reconcile. */
  async *listKeys(kind: EntityKind, signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
    const base = this.stream(kind);
    const stream: ResolvedStream = {
      ...base,
      change: { strategy: 'full' },
      select: base.expand ? undefined : base.keyFields.map((k) => k.name),
    };
    let after: StreamCursor | null = null;
    for (;;) {
      const params = planPage(
        stream,
        { paging: 'keyset', start: undefined, after, pageIndex: 0, pageSize: stream.pageSize },
        this.#styles,
      );
      const query: EpicorQuery = { v: 1, kind, path: stream.path, params, extra: stream.baqParameters };
      const { page, lastRow } = await this.#runQuery(query, stream, signal);
      for (const record of page.records) yield record.key;
      if (page.rowCount === 0 || lastRow === null) return;
      if (this.settings.lastPage === 'short' && page.rowCount < stream.pageSize) return;
      after = lastRow;
    }
  }

  /** GET an OData collection and return its rows (big integers kept as strings). */
  async getRows(
    path: string,
    params: Readonly<Record<string, string | number>> = {},
    extra: Readonly<Record<string, string>> = {},
    signal?: AbortSignal,
  ): Promise<Row[]> {
    const url = this.urlFor(path, params, extra);
    const response = await this.#requester.send(
      { url, method: 'GET', authenticate: true, apiKey: true, purpose: 'data' },
      signal,
    );
    let json: unknown;
    try {
      json = parseJsonPreservingBigInts(response.text);
    } catch (error) {
      throw new EpicorResponseError(
        `Epicor answered ${path} with a body that is not JSON`,
        { url: this.#display(url) },
        error,
      );
    }
    const parsed = collectionSchema.safeParse(json);
    if (!parsed.success) {
      throw new EpicorResponseError(`Epicor answered ${path} without a "value" array of rows`, {
        url: this.#display(url),
      });
    }
    return parsed.data.value;
  }

  /** Properties of the stream's entity type from the service's `$metadata` (a sample row for BAQs). */
  async entityProperties(kind: EntityKind, signal?: AbortSignal): Promise<EntityProperty[]> {
    const stream = this.stream(kind);
    if (stream.service === undefined) {
      const rows = await this.getRows(stream.path, { $top: 1 }, stream.baqParameters, signal);
      return rows[0] ? propertiesFromRow(rows[0]) : [];
    }
    const entitySet = stream.expand ? STREAM_DEFAULTS.vendorContact.entitySet : (stream.entitySet ?? '');
    return this.metadataProperties(stream.service, entitySet, signal);
  }

  /** Properties of `entitySet` listed in `{service}/$metadata`. */
  async metadataProperties(
    service: string,
    entitySet: string,
    signal?: AbortSignal,
  ): Promise<EntityProperty[]> {
    const url = this.urlFor(servicePath(service, '$metadata'));
    const response = await this.#requester.send(
      {
        url,
        method: 'GET',
        headers: { accept: 'application/xml' },
        authenticate: true,
        apiKey: true,
        purpose: 'data',
      },
      signal,
    );
    try {
      return parseEntityProperties(response.text, entitySet);
    } catch (error) {
      throw new EpicorResponseError(
        `Could not read ${service}/$metadata as CSDL XML`,
        { url: this.#display(url) },
        error,
      );
    }
  }

  /** Fetches a bearer token now (token modes), so `checkConnection` can report auth separately. */
  async authenticate(): Promise<void> {
    const auth = this.settings.auth;
    if (auth.mode === 'basic') return;
    await this.#requester.authorizationHeader();
  }

  /** Reachability, auth, Company, API-key scope and change columns, as a structured report. */
  checkConnection(options?: CheckOptions): Promise<ConnectionReport> {
    return checkConnection(this, options);
  }

  /** Alias of `checkConnection`. */
  ping(options?: CheckOptions): Promise<ConnectionReport> {
    return checkConnection(this, options);
  }

  async #runQuery(
    query: EpicorQuery,
    stream: ResolvedStream,
    signal: AbortSignal | undefined,
  ): Promise<{ page: EpicorPage; firstRow: StreamCursor | null; lastRow: StreamCursor | null }> {
    let rows: Row[];
    try {
      rows = await this.getRows(query.path, query.params, query.extra, signal);
    } catch (error) {
      if (error instanceof EpicorError) error.attachQuery(query);
      throw error;
    }
    const records: SourceRecord[] = [];
    let firstRow: StreamCursor | null = null;
    let lastRow: StreamCursor | null = null;
    try {
      for (const row of rows) {
        const position = positionOf(row, stream.change, stream.keyFields, this.settings.timeZone);
        firstRow ??= position;
        lastRow = position;
        if (stream.expand) {
          const children = row[stream.expand.navigation];
          if (!Array.isArray(children)) continue;
          for (const child of children) {
            if (typeof child !== 'object' || child === null) continue;
            const fields = child as Row;
            records.push({
              kind: stream.kind,
              key: keyOf(fields, stream.expand.childKeyFields),
              position,
              fields,
            });
          }
        } else {
          records.push({ kind: stream.kind, key: keyOf(row, stream.keyFields), position, fields: row });
        }
      }
    } catch (error) {
      if (error instanceof EpicorError) error.attachQuery(query);
      throw error;
    }
    const page: EpicorPage = {
      kind: stream.kind,
      records,
      position: lastRow,
      query,
      rowCount: rows.length,
      replay: (replaySignal?: AbortSignal) => this.replay(query, replaySignal),
    };
    return { page, firstRow, lastRow };
  }

  #display(url: string): string {
    return redactUrl(url);
  }
}

export function createEpicorClient(settings: EpicorSettings, deps: EpicorClientDeps = {}): EpicorClient {
  return new EpicorClient(settings, deps);
}
