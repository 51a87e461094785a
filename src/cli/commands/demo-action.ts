/**
 * The `demo` command: what `registerDemoCommand` runs (imported only then, so that `--help` and the
 * other commands do not load the simulators, faker, fastify and the engine).
 */
import { openDemoSession, runDemoSetup, runDemoSync } from '../../app/demo.js';
import { createLogger } from '../../core/logger.js';
import { serveDemo } from '../../service/demo-serve.js';
import { SyncEvents } from '../../sync/index.js';
import { logProgress, terminalProgress } from '../engine-run/progress.js';
import { exitCodeForResult, renderSummary, reportJson } from '../engine-run/summary.js';
import { EXIT } from '../exit-codes.js';
import { type ActionContext, processOutput } from '../output/io.js';
import { toJson } from '../output/json.js';
import type { DemoFlags } from './demo.js';

export async function demoAction(flags: DemoFlags, { globals, redactor }: ActionContext): Promise<number> {
  const out = processOutput;
  const tty = process.stderr.isTTY === true && !globals.json;
  const events = new SyncEvents();
  const logger = createLogger({ level: globals.logLevel ?? (tty ? 'warn' : 'info'), redactor });
  const say = (text: string): void => {
    if (!globals.json) out.err(`${text}\n`);
  };
  say(
    `Starting the Epicor and HubSpot simulators (${flags.records} vendors and ${flags.records} customers)…`,
  );
  const session = await openDemoSession({
    dir: flags.dir,
    env: process.env,
    simulators: { records: flags.records, seed: flags.seed },
    every: flags.every,
    events,
    logger,
    redactor,
  });
  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new DOMException('interrupted', 'AbortError'));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    say(`  Epicor simulator   ${session.sims.epicor.tenantUrl}`);
    say(`  HubSpot simulator  ${session.sims.hubspot.url} (Professional tier)`);
    say(`  config             ${session.files.configPath}`);
    say('Setting up HubSpot (property group and properties)…');
    const schema = await runDemoSetup(session.runtime, controller.signal);
    say(`  ${JSON.stringify(schema)}`.slice(0, 300));
    say('Syncing…');
    const view = tty ? await terminalProgress(events, process.stderr) : logProgress(events, logger);
    let result: Awaited<ReturnType<typeof runDemoSync>>;
    try {
      result = await runDemoSync(session, controller.signal);
    } finally {
      view.stop();
    }
    const report = {
      connection: session.runtime.connection.id,
      result,
      requests: session.runtime.requests(),
    };
    if (globals.json) {
      out.out(
        toJson({
          ...(reportJson(report) as object),
          hubspot: {
            companies: session.sims.hubspot.control.count('companies'),
            contacts: session.sims.hubspot.control.count('contacts'),
          },
        }),
      );
    } else {
      out.out(renderSummary(report, redactor));
      out.out(
        `HubSpot simulator now holds ${session.sims.hubspot.control.count('companies')} companies and ` +
          `${session.sims.hubspot.control.count('contacts')} contacts.\n`,
      );
      if (flags.once === true)
        out.out(`Try: node dist/src/cli/main.js status --config ${session.files.configPath}\n`);
    }
    if (controller.signal.aborted) return EXIT.interrupted;
    if (flags.once === true) return exitCodeForResult(result);
    // Service mode: the scheduler, the dashboard and the API on the demo's config, until Ctrl-C.
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const served = await serveDemo(session, { port: flags.port, say });
    return served.graceful ? EXIT.ok : EXIT.interrupted;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}
