/**
 * The `ping` command: what `registerPingCommand` runs (imported only then, so that `--help` and the
 * other commands do not load the Epicor and HubSpot clients).
 */
import {
  type AppContext,
  connectionSecrets,
  ensureConnectionRow,
  loadStoredSecrets,
  mappingPropertyDefinitions,
} from '../../app/index.js';
import {
  type ConnectionConfig,
  enabledKinds,
  epicorSettingsInput,
  hubSpotConfigInput,
} from '../../config/index.js';
import { checkConnection, createEpicorClient, parseEpicorSettings } from '../../epicor/index.js';
import { createHubSpotClient } from '../../hubspot/index.js';
import { changeFieldsText, epicorChecks, strategyInConfigWords, streamKeyOf } from '../checks/epicor.js';
import { allDefinitions, checkHubSpot, type PropertyState } from '../checks/hubspot.js';
import { failed, type PingCheck } from '../checks/types.js';
import { EXIT } from '../exit-codes.js';
import { renderChecks } from '../output/checks.js';
import { openCliContext, selectedConnections } from '../output/context.js';
import type { ActionContext, Output } from '../output/io.js';
import { toJson } from '../output/json.js';
import type { PingOptions } from './ping.js';

export interface StreamPing {
  readonly stream: string;
  readonly path: string;
  readonly ok: boolean;
  readonly changeFields: string | null;
  readonly configured: string;
  readonly recommended: string | null;
  readonly reason: string | null;
  readonly warnings: readonly string[];
}

export interface ConnectionPing {
  readonly connection: string;
  readonly ok: boolean;
  readonly failures: number;
  readonly epicor: {
    readonly tenantUrl: string;
    readonly company: string;
    readonly authMode: string;
    readonly checks: readonly PingCheck[];
    readonly streams: readonly StreamPing[];
  };
  readonly hubspot: {
    readonly baseUrl: string;
    readonly authKind: string;
    readonly checks: readonly PingCheck[];
    readonly properties: readonly PropertyState[];
  };
}

async function pingConnection(
  ctx: AppContext,
  connection: ConnectionConfig,
  timeoutMs: number,
): Promise<ConnectionPing> {
  const row = await ensureConnectionRow(ctx, connection);
  const stored = await loadStoredSecrets(ctx, row);
  const secrets = connectionSecrets(connection, stored.epicor, stored.hubspot);
  const logger = ctx.logger.child({ connection: connection.id, command: 'ping' });
  const common = {
    clock: ctx.clock,
    logger,
    redactor: ctx.redactor,
    ...(ctx.transport ? { transport: ctx.transport } : {}),
  };
  const epicor = createEpicorClient(parseEpicorSettings(epicorSettingsInput(connection, secrets)), common);
  const hubInput = hubSpotConfigInput(connection, secrets);
  // A check should answer quickly: no retry ladder, a short timeout.
  const hubspot = createHubSpotClient(
    {
      ...hubInput,
      requestTimeoutMs: Math.min(hubInput.requestTimeoutMs ?? timeoutMs, timeoutMs),
      retry: { maxRetries: 0, maxRateLimitRetries: 2 },
    },
    {
      ...common,
      limiterRegistry: ctx.limiters,
      onRefreshTokenRotated: async (refreshToken) => {
        await ctx.vault.put(row.id, 'hubspot', { ...stored.hubspot, refreshToken });
      },
    },
  );
  const [epicorReport, hubspotReport] = await Promise.all([
    checkConnection(epicor, { kinds: enabledKinds(connection), timeoutMs }),
    checkHubSpot(hubspot, {
      definitions: allDefinitions(hubspot, mappingPropertyDefinitions(connection)),
      connectionId: connection.id,
    }),
  ]);
  const eChecks = epicorChecks(epicorReport, connection.id, { mapping: connection.mapping });
  const failures = failed(eChecks) + failed(hubspotReport.checks);
  return {
    connection: connection.id,
    ok: failures === 0,
    failures,
    epicor: {
      tenantUrl: epicorReport.tenantUrl,
      company: epicorReport.company,
      authMode: epicorReport.authMode,
      checks: eChecks,
      streams: epicorReport.entities.map((e) => ({
        stream: streamKeyOf(e.kind),
        path: e.path,
        ok: e.ok,
        changeFields: changeFieldsText(e) ?? null,
        configured: strategyInConfigWords(e.configured),
        recommended: e.recommendation ? strategyInConfigWords(e.recommendation.strategy) : null,
        reason: e.recommendation?.reason ?? null,
        warnings: e.warnings,
      })),
    },
    hubspot: {
      baseUrl: hubspotReport.baseUrl,
      authKind: hubspotReport.authKind,
      checks: hubspotReport.checks,
      properties: hubspotReport.properties,
    },
  };
}

export function renderPing(results: readonly ConnectionPing[]): string {
  const parts: string[] = [];
  for (const r of results) {
    parts.push(`Connection ${r.connection}\n`);
    parts.push(
      renderChecks(
        `  Epicor  ${r.epicor.tenantUrl}  company ${r.epicor.company}  auth ${r.epicor.authMode}`,
        r.epicor.checks,
        '    ',
      ),
    );
    parts.push(
      renderChecks(`  HubSpot  ${r.hubspot.baseUrl}  auth ${r.hubspot.authKind}`, r.hubspot.checks, '    '),
    );
    parts.push('\n');
  }
  const failures = results.reduce((n, r) => n + r.failures, 0);
  const warnings = results.reduce(
    (n, r) => n + [...r.epicor.checks, ...r.hubspot.checks].filter((c) => c.status === 'warn').length,
    0,
  );
  parts.push(
    failures === 0
      ? `All checks passed${warnings === 0 ? '' : ` (${warnings} with advice marked !)`}.\n`
      : `${failures} check${failures === 1 ? '' : 's'} failed (exit ${EXIT.pingFailed}); each ✗ line says how to fix it.\n`,
  );
  return parts.join('');
}

export async function pingAction(
  options: PingOptions,
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  await using ctx = await openCliContext(globals, redactor);
  const connections = selectedConnections(ctx, options.connection);
  const results: ConnectionPing[] = [];
  for (const connection of connections)
    results.push(await pingConnection(ctx, connection, options.timeout * 1000));
  const ok = results.every((r) => r.ok);
  output.out(globals.json ? toJson({ ok, connections: results }) : renderPing(results));
  return ok ? EXIT.ok : EXIT.pingFailed;
}
