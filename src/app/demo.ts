/**
 * The demo's steps, each reusable (the service demo with a dashboard builds on them): start both
 * simulators in this process, write a config and master key into a demo folder, store the simulators'
 * credentials in the vault, create the HubSpot properties (setup), and run a real sync.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EpicorSimulator } from '../../sim/epicor/index.js';
import type { HubSpotSimulator } from '../../sim/hubspot/index.js';
import { DEFAULT_DEMO_DIR } from '../config/constants.js';
import { demoConfig, parseConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Redactor } from '../core/redact.js';
import { createKeyFile, MASTER_KEY_ENV, readKeyFile } from '../credentials/index.js';
import type { SchemaReport } from '../hubspot/index.js';
import type { RunResult, SyncEvents } from '../sync/index.js';
import { buildConnection, type ConnectionRuntime, ensureConnectionRow } from './connection.js';
import { type AppContext, type Env, openAppContext } from './context.js';

export const DEMO_CONNECTION_ID = 'demo';
export { DEFAULT_DEMO_DIR };

export interface DemoSimulatorOptions {
  /** Vendors and customers each (contacts: 0–3 per record, generated). Default 250. */
  readonly records?: number;
  readonly seed?: number;
  /** HubSpot tier of the simulated portal. Default `professional`. */
  readonly tier?: 'free' | 'starter' | 'professional' | 'enterprise';
  readonly clock?: Clock;
}

export interface DemoSimulators {
  readonly epicor: EpicorSimulator;
  readonly hubspot: HubSpotSimulator;
  close(): Promise<void>;
}

/** Both simulators on loopback, in this process (imported lazily: they are not product code). */
export async function startDemoSimulators(options: DemoSimulatorOptions = {}): Promise<DemoSimulators> {
  const { startEpicorSimulator } = await import('../../sim/epicor/index.js');
  const { startHubSpotSimulator } = await import('../../sim/hubspot/index.js');
  const records = options.records ?? 250;
  const epicor = await startEpicorSimulator({
    seed: options.seed ?? 1,
    vendors: records,
    customers: records,
    // The demo config reads Epicor times in UTC; the simulator's tenant must agree.
    timeZone: 'UTC',
    // Seeded change times end yesterday, so the dashboard's cursors and lag look current.
    dataWindowEnd: (options.clock?.now() ?? Date.now()) - 24 * 60 * 60 * 1000,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  let hubspot: HubSpotSimulator;
  try {
    hubspot = await startHubSpotSimulator({
      tier: options.tier ?? 'professional',
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  } catch (error) {
    await epicor.close();
    throw error;
  }
  return {
    epicor,
    hubspot,
    close: async () => {
      await Promise.allSettled([epicor.close(), hubspot.close()]);
    },
  };
}

export interface DemoFiles {
  readonly dir: string;
  readonly configPath: string;
  /** Where the master key lives (undefined when it comes from ML_CONNECTOR_MASTER_KEY). */
  readonly keyFile: string | undefined;
}

/**
 * Writes `ml-connector.yaml` pointing at the simulators into `dir`, and a master key (0600) unless
 * `ML_CONNECTOR_MASTER_KEY` is set. The demo database is started afresh: the simulators are new on
 * every start, so an old id map would wrongly call everything unchanged.
 */
export async function writeDemoFiles(
  dir: string,
  sims: DemoSimulators,
  env: Env,
  options: { readonly every?: string } = {},
): Promise<DemoFiles> {
  const absolute = resolve(dir);
  await mkdir(absolute, { recursive: true, mode: 0o700 });
  for (const suffix of ['', '-wal', '-shm'])
    await rm(join(absolute, `ml-connector.db${suffix}`), { force: true });
  const user = sims.epicor.settings.users[0];
  const text = demoConfig({
    epicorUrl: sims.epicor.tenantUrl,
    hubspotUrl: sims.hubspot.url,
    dataDir: absolute,
    company: sims.epicor.settings.companies[0] ?? 'EPIC06',
    ...(user === undefined ? {} : { username: user.username }),
    ...(options.every === undefined ? {} : { every: options.every }),
  });
  parseConfig(text, { env: {}, baseDir: absolute }); // the template must stay valid
  const configPath = join(absolute, 'ml-connector.yaml');
  await writeFile(configPath, text, { mode: 0o600 });
  const fromEnv = env[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return { dir: absolute, configPath, keyFile: undefined };
  const keyFile = join(absolute, 'master.key');
  try {
    await readKeyFile(keyFile);
  } catch {
    await rm(keyFile, { force: true });
    await createKeyFile(keyFile);
  }
  return { dir: absolute, configPath, keyFile };
}

/** Stores the simulators' (public, fixed) test credentials in the vault, as `credentials set` would. */
export async function storeDemoCredentials(ctx: AppContext, sims: DemoSimulators): Promise<void> {
  const row = await ensureConnectionRow(ctx, ctx.connectionConfig(DEMO_CONNECTION_ID));
  const user = sims.epicor.settings.users[0];
  await ctx.vault.put(row.id, 'epicor', {
    apiKey: sims.epicor.settings.apiKey,
    ...(user === undefined ? {} : { password: user.password }),
  });
  await ctx.vault.put(row.id, 'hubspot', { token: sims.hubspot.control.privateAppToken });
}

/** `setup`: creates the property group and the properties the mapping writes (idempotent). */
export async function runDemoSetup(runtime: ConnectionRuntime, signal?: AbortSignal): Promise<SchemaReport> {
  return runtime.ensureSchema(signal);
}

export interface DemoSession {
  readonly sims: DemoSimulators;
  readonly files: DemoFiles;
  readonly ctx: AppContext;
  readonly runtime: ConnectionRuntime;
  close(): Promise<void>;
}

/**
 * Everything up to the first sync: simulators, files, context, credentials, wired connection. The
 * caller runs `runDemoSetup` and `runtime.engine.sync()` with its own progress view.
 */
export async function openDemoSession(options: {
  readonly dir?: string;
  readonly env: Env;
  readonly simulators?: DemoSimulatorOptions;
  /** The demo connection's schedule interval (service mode), e.g. `30s`. Default: the template's. */
  readonly every?: string;
  readonly events: SyncEvents;
  readonly logger?: Logger;
  readonly logLevel?: string;
  readonly redactor?: Redactor;
}): Promise<DemoSession> {
  const sims = await startDemoSimulators(options.simulators);
  try {
    const files = await writeDemoFiles(
      options.dir ?? DEFAULT_DEMO_DIR,
      sims,
      options.env,
      options.every === undefined ? {} : { every: options.every },
    );
    const ctx = await openAppContext({
      configPath: files.configPath,
      env: options.env,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
      ...(options.redactor === undefined ? {} : { redactor: options.redactor }),
    });
    try {
      await storeDemoCredentials(ctx, sims);
      const runtime = await buildConnection(ctx, DEMO_CONNECTION_ID, { events: options.events });
      return {
        sims,
        files,
        ctx,
        runtime,
        close: async () => {
          await ctx.close();
          await sims.close();
        },
      };
    } catch (error) {
      await ctx.close();
      throw error;
    }
  } catch (error) {
    await sims.close();
    throw error;
  }
}

/** A demo sync: every enabled stream. */
export function runDemoSync(session: DemoSession, signal?: AbortSignal): Promise<RunResult> {
  return session.runtime.engine.sync({
    streams: session.runtime.kinds,
    ...(signal === undefined ? {} : { signal }),
  });
}
