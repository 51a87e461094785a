import type { EpicorSimulator } from '../../../sim/epicor/index.js';
import type { EntityKind, SourceRecord } from '../../sync/model.js';
import type { EpicorClient, EpicorPage, ScanOptions } from '../client.js';
import { type EpicorSettings, parseEpicorSettings } from '../settings.js';

/** Test helpers: client settings for a running Epicor simulator, and scan collection. */

export type AuthChoice = 'basic' | 'tokenResource' | 'oauth2';

export function simSettings(
  sim: EpicorSimulator,
  options: { auth?: AuthChoice; [key: string]: unknown } = {},
): EpicorSettings {
  const { auth = 'basic', ...rest } = options;
  const user = sim.settings.users[0] ?? { username: 'manager', password: 'manager' };
  const client = sim.settings.oauthClients[0] ?? { clientId: 'sim-client', clientSecret: 'sim-secret' };
  const authSettings =
    auth === 'basic'
      ? { mode: 'basic', ...user }
      : auth === 'tokenResource'
        ? { mode: 'tokenResource', ...user }
        : { mode: 'oauth2', tokenUrl: sim.settings.idpTokenUrl, ...client };
  return parseEpicorSettings({
    tenantUrl: sim.tenantUrl,
    company: sim.settings.companies[0] ?? 'EPIC06',
    apiKey: sim.settings.apiKey,
    auth: authSettings,
    timeZone: 'America/Chicago',
    ...rest,
  });
}

export interface Collected {
  readonly pages: EpicorPage[];
  readonly records: SourceRecord[];
}

/** Runs a scan to the end; keeps pages (tests only — production code streams them). */
export async function collect(
  client: EpicorClient,
  kind: EntityKind,
  options: ScanOptions = {},
): Promise<Collected> {
  const pages: EpicorPage[] = [];
  const records: SourceRecord[] = [];
  for await (const page of client.scan(kind, options)) {
    pages.push(page);
    records.push(...page.records);
  }
  return { pages, records };
}
