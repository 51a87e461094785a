/**
 * End-to-end harness: both simulators in the test process on loopback, a temp data dir with a config
 * and a master key in env, credentials in the vault, and the built CLI spawned as a user would run it
 * (`node dist/src/cli/main.js …`, or through tsx when the tests run from source).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EpicorSimulator, startEpicorSimulator } from '../../../sim/epicor/index.js';
import { type DumpRecord, type HubSpotSimulator, startHubSpotSimulator } from '../../../sim/hubspot/index.js';
import { ensureConnectionRow } from '../../app/connection.js';
import { type AppContext, openAppContext } from '../../app/context.js';
import type { EpicorSecret, HubSpotSecret } from '../../app/secrets.js';
import { silentLogger } from '../../core/logger.js';
import { MasterKey } from '../../credentials/index.js';
import type { EntityKind } from '../../sync/model.js';
import { buildSourceId } from '../../sync/source-id.js';

export const COMPANY = 'EPIC06';
export const CONNECTION = 'main';

const here = import.meta.url;
const fromSource = here.endsWith('.ts');
const MAIN = fileURLToPath(new URL(fromSource ? '../main.ts' : '../main.js', here));

/**
 * Retry after milliseconds, not seconds, so a test can take a simulator down without waiting. Indented
 * for the connection's `epicor:` / `hubspot:` block; other harnesses reuse them.
 */
export const FAST_EPICOR_RETRY =
  '      retry: { baseDelay: 1ms, maxDelay: 5ms, license: { baseDelay: 1ms, maxDelay: 5ms } }';
export const FAST_HUBSPOT_RETRY =
  '      retry: { baseDelay: 1ms, maxDelay: 5ms, lockedDelay: 5ms, secondlyDelay: 5ms }';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (whatever the reason). */
  readonly done: Promise<CliResult>;
  /** Lines of stderr so far. */
  stderrLines(): string[];
  /** Resolves once `predicate` holds for stderr (checked on every chunk). */
  waitForStderr(predicate: (text: string) => boolean): Promise<void>;
}

export interface WorldOptions {
  readonly vendors?: number;
  readonly customers?: number;
  readonly seed?: number;
  /** Rows per Epicor page (small pages make many batches). Default 10. */
  readonly top?: number;
  /** Extra YAML under the connection's `mapping:` key (indented by the caller). */
  readonly mappingYaml?: string;
}

export interface ExpectedRecord {
  readonly sourceId: string;
  readonly kind: EntityKind;
  readonly name?: string;
  readonly parent?: string;
}

export class E2EWorld {
  readonly dir: string;
  readonly configPath: string;
  readonly env: Record<string, string>;
  readonly epicor: EpicorSimulator;
  readonly hubspot: HubSpotSimulator;
  readonly #children = new Set<ChildProcess>();

  private constructor(
    dir: string,
    epicor: EpicorSimulator,
    hubspot: HubSpotSimulator,
    env: Record<string, string>,
  ) {
    this.dir = dir;
    this.configPath = join(dir, 'ml-connector.yaml');
    this.epicor = epicor;
    this.hubspot = hubspot;
    this.env = env;
  }

  static async start(options: WorldOptions = {}): Promise<E2EWorld> {
    const dir = await mkdtemp(join(tmpdir(), 'ml-e2e-'));
    const epicor = await startEpicorSimulator({
      seed: options.seed ?? 7,
      vendors: options.vendors ?? 30,
      customers: options.customers ?? 30,
      timeZone: 'UTC',
    });
    // Rate limits are not under test here: relaxed in the simulator and in the client.
    const hubspot = await startHubSpotSimulator({ tier: 'professional', rateLimits: { enabled: false } });
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      ML_CONNECTOR_MASTER_KEY: MasterKey.generate().unsafeExport(),
      ML_CONNECTOR_LOG_LEVEL: 'info',
    };
    const world = new E2EWorld(dir, epicor, hubspot, env);
    await writeFile(world.configPath, world.configText(options));
    await world.putCredentials();
    return world;
  }

  configText(options: WorldOptions): string {
    const top = options.top ?? 10;
    const user = this.epicor.settings.users[0]?.username ?? 'manager';
    const stream = `{ top: ${top}, lookbackMinutes: 1 }`;
    return `dataDir: ${JSON.stringify(this.dir)}
connections:
  - id: ${CONNECTION}
    epicor:
      tenantUrl: ${JSON.stringify(this.epicor.tenantUrl)}
      company: ${COMPANY}
      auth: { kind: basic, username: ${JSON.stringify(user)} }
      timeZone: UTC
      requestTimeout: 10s
${FAST_EPICOR_RETRY}
    hubspot:
      baseUrl: ${JSON.stringify(this.hubspot.url)}
      tier: professional
      limits: { tenSecondLimit: 100000 }
      requestTimeout: 10s
${FAST_HUBSPOT_RETRY}
    streams:
      vendors: ${stream}
      customers: ${stream}
      vendorContacts: ${stream}
      customerContacts: ${stream}
${options.mappingYaml === undefined ? '' : `    mapping:\n${options.mappingYaml}\n`}`;
  }

  /** Opens the app context in this process (short-lived: children share the SQLite file). */
  async withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
    const ctx = await openAppContext({ configPath: this.configPath, env: this.env, logger: quiet });
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  }

  async putCredentials(
    overrides: { epicor?: Partial<EpicorSecret>; hubspot?: Partial<HubSpotSecret> } = {},
  ): Promise<void> {
    await this.withContext(async (ctx) => {
      const row = await ensureConnectionRow(ctx, ctx.connectionConfig(CONNECTION));
      const user = this.epicor.settings.users[0];
      await ctx.vault.put(row.id, 'epicor', {
        apiKey: this.epicor.settings.apiKey,
        password: user?.password ?? 'manager',
        ...overrides.epicor,
      });
      await ctx.vault.put(row.id, 'hubspot', {
        token: this.hubspot.control.privateAppToken,
        ...overrides.hubspot,
      });
    });
  }

  /** Starts the CLI with the world's config and env; stdout/stderr are collected. */
  spawnCli(args: readonly string[]): RunningCli {
    const argv = [...(fromSource ? ['--import', 'tsx'] : []), MAIN, '--config', this.configPath, ...args];
    const child = spawn(process.execPath, argv, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#children.add(child);
    let stdout = '';
    let stderr = '';
    const waiters: { predicate: (text: string) => boolean; resolve: () => void }[] = [];
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const w of [...waiters]) {
        if (w.predicate(stderr)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
    const done = new Promise<CliResult>((resolve) => {
      child.on('close', (code, signal) => {
        this.#children.delete(child);
        for (const w of waiters) w.resolve();
        resolve({ code, signal, stdout, stderr });
      });
    });
    return {
      child,
      done,
      stderrLines: () => stderr.split('\n').filter((l) => l !== ''),
      waitForStderr: (predicate) =>
        predicate(stderr)
          ? Promise.resolve()
          : new Promise<void>((resolve) => waiters.push({ predicate, resolve })),
    };
  }

  cli(...args: string[]): Promise<CliResult> {
    return this.spawnCli(args).done;
  }

  /** `cli(..., '--json')` and the parsed JSON document on stdout. */
  async cliJson(...args: string[]): Promise<{ result: CliResult; json: JsonReport }> {
    const result = await this.cli('--json', ...args);
    let json: JsonReport;
    try {
      json = JSON.parse(result.stdout) as JsonReport;
    } catch {
      throw new Error(
        `stdout is not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
      );
    }
    return { result, json };
  }

  /** Every record Epicor holds now, as the source ids and facts HubSpot must show. */
  expected(): { companies: Map<string, ExpectedRecord>; contacts: Map<string, ExpectedRecord> } {
    const c = this.epicor.control;
    const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
    const companies = new Map<string, ExpectedRecord>();
    const contacts = new Map<string, ExpectedRecord>();
    for (const v of c.list('Vendors')) {
      const id = buildSourceId(COMPANY, 'vendor', [s(v['VendorNum'])]);
      companies.set(id, { sourceId: id, kind: 'vendor', name: s(v['Name']).trim() });
    }
    for (const v of c.list('Customers')) {
      const id = buildSourceId(COMPANY, 'customer', [s(v['CustNum'])]);
      companies.set(id, { sourceId: id, kind: 'customer', name: s(v['Name']).trim() });
    }
    for (const r of c.list('VendCntMains')) {
      const id = buildSourceId(COMPANY, 'vendorContact', [
        s(r['VendorNum']),
        s(r['PurPoint']),
        s(r['ConNum']),
      ]);
      contacts.set(id, {
        sourceId: id,
        kind: 'vendorContact',
        parent: buildSourceId(COMPANY, 'vendor', [s(r['VendorNum'])]),
      });
    }
    for (const r of c.list('CustCnts')) {
      const id = buildSourceId(COMPANY, 'customerContact', [
        s(r['CustNum']),
        s(r['ShipToNum']),
        s(r['ConNum']),
      ]);
      contacts.set(id, {
        sourceId: id,
        kind: 'customerContact',
        parent: buildSourceId(COMPANY, 'customer', [s(r['CustNum'])]),
      });
    }
    return { companies, contacts };
  }

  /**
   * Differences between HubSpot and Epicor (empty = equal): every record present exactly once with its
   * source id, record type, vendor type and name; every contact associated with its company.
   */
  differences(): string[] {
    const problems: string[] = [];
    const { companies, contacts } = this.expected();
    const bySource = (records: DumpRecord[], what: string): Map<string, DumpRecord> => {
      const map = new Map<string, DumpRecord>();
      for (const r of records) {
        const id = r.properties['epicor_source_id'];
        if (id === undefined || id === '') {
          problems.push(`${what} ${r.id} has no epicor_source_id`);
          continue;
        }
        if (map.has(id)) problems.push(`${what} ${id} exists twice in HubSpot`);
        map.set(id, r);
      }
      return map;
    };
    const hsCompanies = bySource(this.hubspot.control.records('companies'), 'company');
    const hsContacts = bySource(this.hubspot.control.records('contacts'), 'contact');
    for (const [id, e] of companies) {
      const h = hsCompanies.get(id);
      if (h === undefined) {
        problems.push(`company ${id} missing in HubSpot`);
        continue;
      }
      if (h.properties['epicor_record_type'] !== e.kind)
        problems.push(`company ${id}: record type ${h.properties['epicor_record_type']}`);
      if (e.kind === 'vendor' && h.properties['type'] !== 'VENDOR')
        problems.push(`vendor ${id}: type ${h.properties['type']}`);
      if ((h.properties['name'] ?? '') !== e.name)
        problems.push(
          `company ${id}: name ${JSON.stringify(h.properties['name'])} ≠ ${JSON.stringify(e.name)}`,
        );
    }
    for (const id of hsCompanies.keys())
      if (!companies.has(id)) problems.push(`company ${id} in HubSpot but not in Epicor`);
    for (const [id, e] of contacts) {
      const h = hsContacts.get(id);
      if (h === undefined) {
        problems.push(`contact ${id} missing in HubSpot`);
        continue;
      }
      const parent = e.parent === undefined ? undefined : hsCompanies.get(e.parent);
      const linked = h.associations.companies?.some((a) => a.id === parent?.id) ?? false;
      if (!linked) problems.push(`contact ${id} not associated with its company ${e.parent}`);
    }
    for (const id of hsContacts.keys())
      if (!contacts.has(id)) problems.push(`contact ${id} in HubSpot but not in Epicor`);
    return problems;
  }

  /** HubSpot write requests (anything but GET) in the simulator's request log. */
  hubspotWrites(): number {
    return this.hubspot.control.requestLog().filter((r) => r.method !== 'GET').length;
  }

  async close(): Promise<void> {
    for (const child of this.#children) child.kill('SIGKILL');
    await Promise.allSettled([this.epicor.close(), this.hubspot.close()]);
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface JsonReport {
  readonly ok: boolean;
  readonly status: string;
  readonly runId: string;
  readonly exitCode: number;
  readonly totals: Record<string, number>;
  readonly streams: Record<string, Record<string, number>>;
  readonly failures: readonly { sourceId: string; category: string; message: string; batchId?: string }[];
  readonly requests: { epicor: number; hubspot: number };
  readonly error?: { code: string; message: string };
  readonly errorCode?: string;
  readonly plan?: readonly { sourceId: string; action: string }[];
}

const quiet = silentLogger;
