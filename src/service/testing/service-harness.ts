/**
 * Test-only: the whole service over loopback — both simulators in this process, a demo config and master
 * key in a temp folder, the simulators' credentials in the vault, HubSpot set up, and `startService` with
 * its HTTP server on port 0. The schedule is pushed out to an hour so only the test triggers runs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_CONNECTION_ID,
  type DemoSimulators,
  runDemoSetup,
  startDemoSimulators,
  storeDemoCredentials,
  writeDemoFiles,
} from '../../app/demo.js';
import { type AppContext, buildConnection, openAppContext } from '../../app/index.js';
import { FAST_EPICOR_RETRY, FAST_HUBSPOT_RETRY } from '../../cli/testing/e2e.js';
import { silentLogger } from '../../core/logger.js';
import { type RunningService, type ServiceOptions, startService } from '../run-service.js';

export const TEST_TOKEN = 'service-test-token-0123456789abcdef';

export interface ServiceHarness {
  readonly sims: DemoSimulators;
  readonly dir: string;
  readonly configPath: string;
  readonly ctx: AppContext;
  readonly service: RunningService;
  readonly url: string;
  readonly token: string;
  /** Fetch with the Bearer token. */
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function startServiceHarness(
  options: {
    records?: number;
    service?: Partial<Omit<ServiceOptions, 'ctx' | 'http'>>;
    /** Edits the demo config's YAML (e.g. appends an `alerts:` block to the connection). */
    editConfig?: (text: string) => string;
  } = {},
): Promise<ServiceHarness> {
  const sims = await startDemoSimulators({ records: options.records ?? 30 });
  const dir = await mkdtemp(join(tmpdir(), 'mlc-service-'));
  const files = await writeDemoFiles(dir, sims, {});
  const text = await readFile(files.configPath, 'utf8');
  // Retry after milliseconds so a test can take a simulator down without waiting.
  const edited = text
    .replace(/every: .*/, 'every: "1h"')
    .replace('      timeZone: UTC\n', `      timeZone: UTC\n${FAST_EPICOR_RETRY}\n`)
    .replace(/( {6}tier: .*\n)/, `$1${FAST_HUBSPOT_RETRY}\n`);
  if (edited.split('retry:').length !== 3) throw new Error('service harness: the demo config changed shape');
  await writeFile(files.configPath, options.editConfig?.(edited) ?? edited, { mode: 0o600 });
  const ctx = await openAppContext({ configPath: files.configPath, env: {}, logger: silentLogger });
  await storeDemoCredentials(ctx, sims);
  await runDemoSetup(await buildConnection(ctx, DEMO_CONNECTION_ID));
  const service = await startService({
    ctx,
    http: { token: TEST_TOKEN, port: 0 },
    overridesPollMs: 100,
    processMetrics: false,
    syncOnStart: false,
    ...options.service,
  });
  const url = service.url ?? '';
  return {
    sims,
    dir,
    configPath: files.configPath,
    ctx,
    service,
    url,
    token: TEST_TOKEN,
    api: (path, init = {}) =>
      fetch(url + path, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
    close: async () => {
      await service.stop({ graceful: true });
      await ctx.close();
      await sims.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
