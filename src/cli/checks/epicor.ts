/**
 * Epicor side of `ping`: the client's `checkConnection` report in the CLI's terms — one line per check
 * and per stream, the config words for change strategies (`sys-rev-id`, not `sysRevId`), and the fix
 * for each failure.
 */
import { KIND_BY_STREAM_KEY, STREAM_KEYS, type StreamKey } from '../../config/index.js';
import type { ChangeStrategy, ConnectionReport, EntityCheck } from '../../epicor/index.js';
import type { MappingSettings } from '../../sync/mapping/index.js';
import type { EntityKind } from '../../sync/model.js';
import { selectColumnsCheck } from './select-columns.js';
import type { PingCheck } from './types.js';

export function streamKeyOf(kind: EntityKind): StreamKey {
  return STREAM_KEYS.find((key) => KIND_BY_STREAM_KEY[key] === kind) ?? 'vendors';
}

/** A client change strategy written the way the config file spells it. */
export function strategyInConfigWords(strategy: ChangeStrategy): string {
  switch (strategy.strategy) {
    case 'datetime':
      return `updated-on (field ${strategy.field})`;
    case 'changeDateTime':
      return `change-date-time (${strategy.dateField} + ${strategy.timeField})`;
    case 'changeDate':
      return `change-date (${strategy.field})`;
    case 'sysRevId':
      return `sys-rev-id (${strategy.field})`;
    case 'full':
      return 'full-scan';
  }
}

const CHANGE_FIELDS = ['UpdatedOn', 'ChangeDate', 'ChangeTime', 'SysRevID'] as const;

/** `ChangeDate ✓ ChangeTime ✓ SysRevID ✓ UpdatedOn ✗`, from the entity's property names. */
export function changeFieldsText(entity: EntityCheck): string | undefined {
  const names = entity.properties;
  if (names === undefined || names.length === 0) return undefined;
  return CHANGE_FIELDS.map((f) => `${f} ${names.includes(f) ? '✓' : '✗'}`).join(' ');
}

function fixFor(
  code: string | undefined,
  connectionId: string,
  context: { path?: string; stream?: StreamKey } = {},
): string | undefined {
  const store = `\`ml-connector credentials set epicor --connection ${connectionId}\``;
  switch (code) {
    case 'ERR_EPICOR_NETWORK':
    case 'ERR_EPICOR_TIMEOUT':
      return 'check epicor.tenantUrl (server and instance), DNS, VPN, proxy and firewall from this host; raise epicor.requestTimeout for a slow server';
    case 'ERR_EPICOR_API_KEY':
      return `check the API key in Epicor (API Key Maintenance: not expired, same environment, an access scope that includes the services below), then store it with ${store}`;
    case 'ERR_EPICOR_CREDENTIALS':
    case 'ERR_EPICOR_UNAUTHORIZED':
      return `check epicor.auth (kind, username, tokenUrl/clientId) in the config and the stored password or client secret; store it again with ${store}`;
    case 'ERR_EPICOR_ACCESS_DENIED':
      return `add ${context.path ?? 'the service'} to the API key's access scope and give the Epicor user security rights to it`;
    case 'ERR_EPICOR_NOT_FOUND':
      return `check epicor.company (it is case-sensitive) and that epicor.tenantUrl names the right instance; ${context.path ?? 'the service'} must exist in this Kinetic version`;
    case 'ERR_EPICOR_LICENSE':
      return 'every Epicor licence is in use; retry later or free a session for the integration user';
    case 'ERR_EPICOR_CHANGE_FIELDS':
      return context.stream === undefined
        ? undefined
        : `set streams.${context.stream}.change to the recommended strategy below, or to full-scan`;
    default:
      return code === undefined
        ? undefined
        : 'see the message; rerun with --log-level debug for the requests made';
  }
}

function entityCheck(entity: EntityCheck, connectionId: string): PingCheck {
  const stream = streamKeyOf(entity.kind);
  const fields = changeFieldsText(entity);
  const configured = strategyInConfigWords(entity.configured);
  const recommended = entity.recommendation
    ? strategyInConfigWords(entity.recommendation.strategy)
    : undefined;
  const parts = [entity.message];
  if (fields !== undefined) parts.push(`change fields: ${fields}`);
  parts.push(`configured: ${configured}`);
  if (recommended !== undefined) {
    parts.push(
      recommended === configured
        ? 'as recommended'
        : `recommended: ${recommended} (${entity.recommendation?.reason ?? ''})`,
    );
  }
  const fix = fixFor(entity.code, connectionId, { path: entity.path, stream });
  // A failing $select check alone makes the entity not ok; it is reported on its own select: line.
  const readOk = entity.ok || (entity.code === undefined && entity.select?.status === 'fail');
  return {
    name: `stream:${stream}`,
    status: entity.code === 'ERR_EPICOR_NOT_CHECKED' ? 'skip' : readOk ? 'pass' : 'fail',
    ...(entity.code === undefined ? {} : { code: entity.code }),
    message: parts.join('; '),
    ...(fix === undefined ? {} : { fix }),
  };
}

export interface EpicorChecksOptions {
  /**
   * The connection's `mapping:` block, so a missing `$select` column names the exact HubSpot properties
   * filled from it. Without it only the default mappings are named.
   */
  readonly mapping?: MappingSettings;
}

/**
 * The report as ping lines: reachability, auth, API key, company, then per stream its read and change
 * columns (`stream:<key>`), its `$select` columns (`select:<key>`) and warnings.
 */
export function epicorChecks(
  report: ConnectionReport,
  connectionId: string,
  options: EpicorChecksOptions = {},
): PingCheck[] {
  const out: PingCheck[] = [];
  // A failure that stops every data call (network, auth, API key) is reported once, at the top; the
  // lines that merely follow from it point back to it instead of repeating it.
  const causes = new Set(report.checks.filter((c) => !c.ok && c.code !== undefined).map((c) => c.code));
  for (const check of report.checks) {
    const fix = check.ok ? undefined : fixFor(check.code, connectionId);
    const consequence =
      !check.ok && check.code === undefined && (causes.size > 0 || check.message.startsWith('not '));
    out.push({
      name: check.name,
      status: check.ok ? 'pass' : consequence ? 'skip' : 'fail',
      ...(check.code === undefined ? {} : { code: check.code }),
      message: check.message,
      ...(fix === undefined ? {} : { fix }),
    });
  }
  for (const entity of report.entities) {
    if (!entity.ok && entity.code !== undefined && causes.has(entity.code)) {
      out.push({
        name: `stream:${streamKeyOf(entity.kind)}`,
        status: 'fail',
        code: entity.code,
        message: `${entity.path} not read (see above)`,
      });
      continue;
    }
    out.push(entityCheck(entity, connectionId));
    const select = selectColumnsCheck(entity, streamKeyOf(entity.kind), options.mapping);
    if (select !== undefined) out.push(select);
    for (const warning of entity.warnings) {
      if (!entity.ok && warning === entity.message) continue;
      out.push({ name: `stream:${streamKeyOf(entity.kind)}`, status: 'warn', message: warning });
    }
  }
  return out;
}
