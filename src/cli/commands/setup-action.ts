/**
 * The `setup` command: what `registerSetupCommand` runs (imported only then, so that `--help` and the
 * other commands do not load the HubSpot client and the store).
 */
import {
  type AppContext,
  ensureConnectionRow,
  loadStoredSecrets,
  MissingCredentialError,
  mappingPropertyDefinitions,
  requiredFields,
} from '../../app/index.js';
import {
  type ConnectionConfig,
  type ConnectionSecrets,
  hubSpotConfigInput,
  type SecretName,
} from '../../config/index.js';
import { createHubSpotClient, type SchemaReport } from '../../hubspot/index.js';
import { EXIT } from '../exit-codes.js';
import { openCliContext, selectedConnections } from '../output/context.js';
import type { ActionContext, Output } from '../output/io.js';
import { toJson } from '../output/json.js';
import type { SetupOptions } from './setup.js';

export interface SetupResult extends SchemaReport {
  readonly connection: string;
  readonly baseUrl: string;
}

/**
 * Setup talks to HubSpot only, so only the HubSpot secrets are required. The bridge that builds the
 * client's input insists on a complete set, so the Epicor entries get a placeholder that is never sent
 * anywhere (no Epicor client is built here).
 */
const NOT_USED = 'not-used-by-setup';

async function hubSpotSecrets(ctx: AppContext, connection: ConnectionConfig): Promise<ConnectionSecrets> {
  const row = await ensureConnectionRow(ctx, connection);
  const stored = await loadStoredSecrets(ctx, row);
  const hubspot: Readonly<Record<string, string | undefined>> = stored.hubspot ?? {};
  const needed = requiredFields(connection, 'hubspot');
  const missing = needed.filter((field) => (hubspot[field] ?? '') === '');
  if (missing.length > 0) {
    throw new MissingCredentialError(
      connection.id,
      missing.map((field) => `hubspot.${field}` as SecretName),
    );
  }
  const secrets: Partial<Record<SecretName, string>> = {
    'epicor.apiKey': NOT_USED,
    'epicor.password': NOT_USED,
    'epicor.clientSecret': NOT_USED,
  };
  for (const field of needed) secrets[`hubspot.${field}` as SecretName] = hubspot[field];
  return secrets;
}

async function setupConnection(ctx: AppContext, connection: ConnectionConfig): Promise<SetupResult> {
  const secrets = await hubSpotSecrets(ctx, connection);
  const row = await ensureConnectionRow(ctx, connection);
  const client = createHubSpotClient(hubSpotConfigInput(connection, secrets), {
    clock: ctx.clock,
    logger: ctx.logger.child({ connection: connection.id, command: 'setup' }),
    redactor: ctx.redactor,
    limiterRegistry: ctx.limiters,
    ...(ctx.transport ? { transport: ctx.transport } : {}),
    onRefreshTokenRotated: async (refreshToken) => {
      const stored = await loadStoredSecrets(ctx, row);
      await ctx.vault.put(row.id, 'hubspot', { ...stored.hubspot, refreshToken });
    },
  });
  const report = await client.ensureSchema(mappingPropertyDefinitions(connection));
  return { connection: connection.id, baseUrl: client.config.baseUrl, ...report };
}

const list = (items: readonly string[]): string => (items.length === 0 ? '-' : items.join(', '));

export function renderSetup(results: readonly SetupResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`Connection ${r.connection}  HubSpot ${r.baseUrl}`);
    lines.push(`  groups created:      ${list(r.groupsCreated)}`);
    lines.push(`  properties created:  ${list(r.propertiesCreated)}`);
    lines.push(`  options added:       ${list(r.optionsAdded)}`);
    lines.push(`  already in place:    ${list(r.unchanged)}`);
    const changed = r.groupsCreated.length + r.propertiesCreated.length + r.optionsAdded.length;
    lines.push(
      changed === 0
        ? `  Nothing to do: all ${r.unchanged.length} properties already existed and are compatible.`
        : `  Done: ${r.propertiesCreated.length} created, ${r.optionsAdded.length} extended, ${r.unchanged.length} already in place.`,
    );
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

export async function setupAction(
  options: SetupOptions,
  { globals, redactor }: ActionContext,
  output: Output,
): Promise<number> {
  await using ctx = await openCliContext(globals, redactor);
  const connections = selectedConnections(ctx, options.connection);
  const results: SetupResult[] = [];
  for (const connection of connections) results.push(await setupConnection(ctx, connection));
  output.out(globals.json ? toJson({ ok: true, connections: results }) : renderSetup(results));
  return EXIT.ok;
}
