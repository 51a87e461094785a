import { coerceError } from '../core/errors.js';
import { ENTITY_KINDS, type EntityKind } from '../sync/model.js';
import {
  childFilterProbeApplies,
  isChildFilterQuirk,
  probeChildFilter,
  quirkWarning,
} from './child-filter-probe.js';
import type { EpicorClient } from './client.js';
import { changeColumns, changeFields, keyColumns, positionOf } from './cursor.js';
import { EpicorError } from './errors.js';
import {
  type ChangeFieldsFound,
  type EntityProperty,
  propertiesFromRow,
  recommendStrategy,
  type StrategyRecommendation,
} from './metadata.js';
import { type ColumnSource, checkSelect, type SelectCheck } from './select-check.js';
import type { ChangeStrategy } from './settings.js';
import type { ResolvedStream } from './streams.js';

/**
 * `checkConnection` (a.k.a. ping): reachability, authentication, Company segment and API-key scope,
 * with one `$top=1` call per stream, plus the change columns each entity offers. Expected failures are
 * results, not exceptions; only a bug or an abort throws.
 */

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Stable error code (`ERR_EPICOR_API_KEY`, …) when the check failed. */
  readonly code?: string;
  readonly message: string;
}

export interface EntityCheck extends CheckResult {
  readonly kind: EntityKind;
  readonly path: string;
  /** Rows returned by the `$top=1` call (0 or 1). */
  readonly rows?: number;
  readonly properties?: readonly string[];
  readonly found?: ChangeFieldsFound;
  readonly configured: ChangeStrategy;
  /** Change columns the configured strategy needs but the entity lacks. */
  readonly missingFields: readonly string[];
  readonly recommendation?: StrategyRecommendation;
  /**
   * Do the columns of the stream's `$select` exist on the entity type (per `$metadata`)? Absent when the
   * entity could not be read at all. A `fail` makes the entity (and the report) not ok, with no `code`
   * of its own on the entity: the code is `ERR_EPICOR_SELECT_COLUMNS` on the select line.
   */
  readonly select?: SelectCheck;
  readonly warnings: readonly string[];
}

export interface ConnectionReport {
  readonly ok: boolean;
  readonly tenantUrl: string;
  readonly company: string;
  readonly authMode: 'basic' | 'tokenResource' | 'oauth2';
  readonly checks: readonly CheckResult[];
  readonly entities: readonly EntityCheck[];
}

export interface CheckOptions {
  readonly kinds?: readonly EntityKind[];
  /** Per-request timeout for the checks (default 30 s). */
  readonly timeoutMs?: number;
  /** Read `$metadata` to list change columns (default true). */
  readonly metadata?: boolean;
  readonly signal?: AbortSignal;
}

export async function checkConnection(
  base: EpicorClient,
  options: CheckOptions = {},
): Promise<ConnectionReport> {
  const settings = base.settings;
  // A check should answer quickly: no retries, no multi-minute license waits.
  const client = base.withSettings({
    ...settings,
    requestTimeoutMs: Math.min(settings.requestTimeoutMs, options.timeoutMs ?? 30_000),
    retry: { ...settings.retry, maxAttempts: 1, license: { ...settings.retry.license, maxAttempts: 1 } },
  });
  const signal = options.signal;
  const checks: CheckResult[] = [];
  const errors: EpicorError[] = [];
  let responded = false;

  const note = (error: unknown): EpicorError => {
    if (signal?.aborted) throw signal.reason ?? error;
    if (!(error instanceof EpicorError)) throw coerceError(error);
    errors.push(error);
    if (error.status !== undefined) responded = true;
    return error;
  };

  let authOk = true;
  if (settings.auth.mode !== 'basic') {
    try {
      await client.authenticate();
      responded = true;
      checks.push({ name: 'auth', ok: true, message: `obtained a bearer token (${settings.auth.mode})` });
    } catch (error) {
      const e = note(error);
      authOk = false;
      checks.push({ name: 'auth', ok: false, code: e.code, message: e.message });
    }
  }

  const entities: EntityCheck[] = [];
  const kinds = options.kinds ?? ENTITY_KINDS;
  for (const kind of kinds) {
    const stream = client.stream(kind);
    const configured = stream.change;
    if (!authOk) {
      entities.push({
        kind,
        path: stream.path,
        name: `entity:${kind}`,
        ok: false,
        code: 'ERR_EPICOR_NOT_CHECKED',
        message: 'not checked: authentication failed',
        configured,
        missingFields: [],
        warnings: [],
      });
      continue;
    }
    entities.push(
      await checkEntity(client, kind, options.metadata ?? true, signal, note, () => (responded = true)),
    );
  }

  const firstNetwork = errors.find((e) => e.code === 'ERR_EPICOR_NETWORK' || e.code === 'ERR_EPICOR_TIMEOUT');
  checks.unshift({
    name: 'reachability',
    ok: responded,
    ...(responded || !firstNetwork ? {} : { code: firstNetwork.code }),
    message: responded
      ? `${client.tenantUrl} answered`
      : (firstNetwork?.message ?? 'no request was answered'),
  });
  if (settings.auth.mode === 'basic') {
    const bad = errors.find((e) => e.code === 'ERR_EPICOR_CREDENTIALS');
    checks.push(
      bad
        ? { name: 'auth', ok: false, code: bad.code, message: bad.message }
        : { name: 'auth', ok: responded, message: responded ? 'Basic credentials accepted' : 'not checked' },
    );
  }
  const badKey = errors.find((e) => e.code === 'ERR_EPICOR_API_KEY');
  const anyEntityOk = entities.some((e) => e.ok);
  checks.push(
    badKey
      ? { name: 'apiKey', ok: false, code: badKey.code, message: badKey.message }
      : {
          name: 'apiKey',
          ok: anyEntityOk,
          message: anyEntityOk ? 'API key accepted' : 'not confirmed (no data call succeeded)',
        },
  );
  const notFound = errors.find(
    (e) => e.code === 'ERR_EPICOR_NOT_FOUND' || (e.status === 400 && /compan/i.test(e.errorMessage ?? '')),
  );
  checks.push(
    anyEntityOk
      ? { name: 'company', ok: true, message: `company ${settings.company} serves data` }
      : {
          name: 'company',
          ok: false,
          ...(notFound ? { code: notFound.code } : {}),
          message: notFound
            ? `${notFound.message}`
            : `no data call succeeded for company ${settings.company}; see the entity checks`,
        },
  );
  const ok = checks.every((c) => c.ok) && entities.every((e) => e.ok);
  return {
    ok,
    tenantUrl: client.tenantUrl,
    company: settings.company,
    authMode: settings.auth.mode,
    checks,
    entities,
  };
}

async function checkEntity(
  client: EpicorClient,
  kind: EntityKind,
  readMetadata: boolean,
  signal: AbortSignal | undefined,
  note: (error: unknown) => EpicorError,
  responded: () => void,
): Promise<EntityCheck> {
  const stream = client.stream(kind);
  const configured = stream.change;
  const base = { kind, path: stream.path, name: `entity:${kind}`, configured };
  let rows: Readonly<Record<string, unknown>>[];
  try {
    rows = await client.getRows(stream.path, { $top: 1 }, stream.baqParameters, signal);
    responded();
  } catch (error) {
    const e = note(error);
    return { ...base, ok: false, code: e.code, message: e.message, missingFields: [], warnings: [] };
  }
  const warnings: string[] = [];
  let properties: EntityProperty[] = [];
  const sample = stream.expand ? firstChild(rows[0], stream.expand.navigation) : rows[0];
  // What the $select check compares against: the paged entity's columns from $metadata, never a row.
  let columns: ColumnSource = {
    unavailable:
      stream.service === undefined
        ? 'a BAQ has no service $metadata to list its columns'
        : '$metadata was not read (metadata: false)',
  };
  if (readMetadata && stream.service !== undefined) {
    try {
      properties = await client.entityProperties(kind, signal);
      columns = { properties: properties.map((p) => p.name) };
      if (stream.expand && stream.entitySet !== undefined) {
        // vendorExpand selects on the parent (Vendors); `properties` above describe the contacts.
        const parent = await client.metadataProperties(stream.service, stream.entitySet, signal);
        columns = { properties: parent.map((p) => p.name) };
      }
    } catch (error) {
      const e = note(error);
      warnings.push(`could not read $metadata (${e.code}); change columns inferred from a sample row`);
      columns = { unavailable: `could not read ${stream.service}/$metadata (${e.code})` };
    }
  }
  if (properties.length === 0 && sample) properties = propertiesFromRow(sample);
  const names = properties.map((p) => p.name);
  const datetimeField = configured.strategy === 'datetime' ? configured.field : undefined;
  const recommendation =
    names.length > 0 ? recommendStrategy(properties, datetimeField ? { datetimeField } : {}) : undefined;
  const missingFields =
    names.length === 0 ? [] : changeFields(configured).filter((field) => !names.includes(field));
  if (missingFields.length > 0) {
    warnings.push(
      `the configured ${configured.strategy} strategy needs ${missingFields.join(', ')}, which ${stream.path} does not have`,
    );
  }
  const select = checkSelect(stream, columns, missingFields);
  // The quirk probe goes first: under the quirk every filtered read misbehaves, so the time-zone probe
  // would find nothing and blame `timeZone`.
  const probe =
    childFilterProbeApplies(stream) && rows[0]
      ? await probeChildFilter(client, stream, { sample: rows[0], ...(signal ? { signal } : {}) })
      : undefined;
  const quirk = probe && isChildFilterQuirk(probe) ? quirkWarning(probe) : undefined;
  if (quirk) warnings.push(quirk);
  if (!quirk && !stream.expand && rows[0]) {
    const zone = await timeZoneProbe(client, stream, rows[0], signal);
    if (zone) warnings.push(zone);
  }
  return {
    ...base,
    ok: missingFields.length === 0 && select.status !== 'fail',
    ...(missingFields.length > 0 ? { code: 'ERR_EPICOR_CHANGE_FIELDS' } : {}),
    message:
      missingFields.length > 0
        ? (warnings[warnings.length - 1] ?? '')
        : `read ${rows.length} row${rows.length === 1 ? '' : 's'} from ${stream.path}`,
    rows: rows.length,
    properties: names,
    ...(recommendation ? { found: recommendation.found, recommendation } : {}),
    missingFields,
    select,
    warnings,
  };
}

function firstChild(row: Readonly<Record<string, unknown>> | undefined, navigation: string) {
  const children = row?.[navigation];
  const first: unknown = Array.isArray(children) ? children[0] : undefined;
  return typeof first === 'object' && first !== null
    ? (first as Readonly<Record<string, unknown>>)
    : undefined;
}

/**
 * Reads the sample row back by its own change date (and time) and key, written exactly as paging
 * writes them. Not finding it means the date literals name another day or time for the server: almost
 * always `timeZone` differs from the tenant's, which makes keyset paging fail or skip rows. Only for
 * the date-based strategies; a datetime column's sub-second precision would make `eq` unreliable.
 */
async function timeZoneProbe(
  client: EpicorClient,
  stream: ResolvedStream,
  row: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const change = stream.change;
  if (change.strategy !== 'changeDateTime' && change.strategy !== 'changeDate') return undefined;
  const { timeZone, dateTimeLiteral, dateLiteral } = client.settings;
  let filter: string;
  let value: string;
  try {
    const position = positionOf(row, change, stream.keyFields, timeZone);
    value = position.value;
    if (value === '') return undefined;
    const columns = [
      ...changeColumns(value, change, { timeZone, dateTimeLiteral, dateLiteral }),
      ...keyColumns(position.key, stream.keyFields),
    ];
    filter = columns.map((c) => `${c.field} eq ${c.literal ?? 'null'}`).join(' and ');
  } catch {
    return undefined; // an unreadable row is reported by the sync itself
  }
  try {
    const found = await client.getRows(
      stream.path,
      { $filter: filter, $top: 1 },
      stream.baqParameters,
      signal,
    );
    if (found.length > 0) return undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined; // the filter itself is refused: paging reports that with its own error
  }
  const columns = changeFields(change).join('+');
  return (
    `${stream.path}: a row read back by its own ${columns} (${value}, tenant-local as configured) was not found. ` +
    `connections[].epicor.timeZone (configured: ${timeZone}) probably differs from the Epicor tenant's time zone; ` +
    "keyset paging would then fail or skip rows. Set it to the tenant's IANA zone (e.g. America/Chicago)."
  );
}
